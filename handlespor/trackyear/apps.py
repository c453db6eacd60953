from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackYearConfig(AppConfig):
    name = "handlespor.trackyear"
    verbose_name = _("Handlesporenes år")
