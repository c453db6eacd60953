"""The inbox in the admin: an application's page lists the e-mails that made or joined it."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from handlespor.calls.admin import ApplicationAdmin
from handlespor.inbox.models import InboundMessage


class InboundMessageInline(admin.TabularInline):
    model = InboundMessage
    extra = 0
    fields = ["received_at", "subject", "status", "open_in_inbox"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).defer("raw", "body_text")

    @admin.display(description=_("e-mail"))
    def open_in_inbox(self, message: InboundMessage) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("inbox:message", args=[message.pk]),
            _("Åbn i indbakken"),
        )


ApplicationAdmin.inlines = [InboundMessageInline, *ApplicationAdmin.inlines]
