from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "handlespor.accounts"
    verbose_name = _("Konti")

    def ready(self) -> None:
        from handlespor.roles import register_admin_rules

        register_admin_rules()


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin on the site that asks the project's rules."""

    default = False
    default_site = "handlespor.accounts.admin_site.StaffAdminSite"
