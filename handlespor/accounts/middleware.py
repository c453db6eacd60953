"""Two-factor authentication before any other page."""

from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django_otp import user_has_device

from handlespor.roles import is_secretariat

SESSION_KEY = "two_factor_passed"
# Pages a logged-in user reaches before the second factor: those that give it, and leaving.
EXEMPT = {"accounts:two_factor", "accounts:two_factor_setup", "logout", "set_language"}


class TwoFactorMiddleware:
    """A user with an authenticator app gives its code once per login before any other page;
    with STAFF_REQUIRE_2FA, the secretariat sets one up first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and request.session.get(SESSION_KEY) != user.pk:
            target = self._second_step(request)
            if target is None:
                # Checked once per login: the session is through (a new login starts anew).
                request.session[SESSION_KEY] = user.pk
            elif not self._exempt(request):
                return redirect(
                    f"{reverse(target)}?next={quote(request.get_full_path(), safe='/')}"
                )
        return self.get_response(request)

    @staticmethod
    def _second_step(request: HttpRequest) -> str | None:
        """The page the user must pass first, or None."""
        user = request.user
        if user.is_verified():
            return None
        if user_has_device(user):
            return "accounts:two_factor"
        if settings.STAFF_REQUIRE_2FA and is_secretariat(user):
            return "accounts:two_factor_setup"
        return None

    @staticmethod
    def _exempt(request: HttpRequest) -> bool:
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True
        return match.view_name in EXEMPT
