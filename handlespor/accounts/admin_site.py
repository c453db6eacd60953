"""The admin site: only for the secretariat (by the rules), logging in on the one login page."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext_lazy as _


class StaffAdminSite(AdminSite):
    site_header = _("handlespor · back office")
    site_title = _("handlespor")
    index_title = _("Sekretariatet")

    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.has_perm("backoffice.use_admin")

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """The admin's login is the site's login."""
        return redirect_to_login(
            request.GET.get("next") or resolve_url("admin:index"), resolve_url(settings.LOGIN_URL)
        )
