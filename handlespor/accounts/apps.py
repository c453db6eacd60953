from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp import apps as totp_apps
from django_tasks_db import apps as tasks_apps


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


# The admin's sections of the libraries we use, named in Danish like our own.


class AxesConfig(axes_apps.AppConfig):
    default = False
    verbose_name = _("Login-spærring")


class TotpConfig(totp_apps.DefaultConfig):
    default = False
    verbose_name = _("To-trins-login")


class TasksConfig(tasks_apps.TasksAppConfig):
    default = False
    verbose_name = _("Baggrundsopgaver")
