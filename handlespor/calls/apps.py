from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "handlespor.calls"
    verbose_name = _("Open call og ansøgninger")

    def ready(self) -> None:
        from handlespor.calls.domain import eligibility_on_reporting_changed
        from handlespor.reporting.signals import reporting_changed

        reporting_changed.connect(
            eligibility_on_reporting_changed, dispatch_uid="calls.eligibility_follows_reporting"
        )
