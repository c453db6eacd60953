"""A list filter for the admin, shared by the apps' admin modules (it imports only Django)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class ValueFilter(admin.AllValuesFieldListFilter):
    """Django's filter by every value of a text field, but a blank value is listed as
    "(ikke angivet)" rather than as a link with no text."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == "":
                choice = {**choice, "display": _("(ikke angivet)")}
            yield choice
