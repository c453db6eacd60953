"""After login: each role's landing page, the page for a user without a role, and two-factor
authentication (set up an authenticator app, give its code at login)."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from handlespor.accounts.forms import TokenForm
from handlespor.roles import landing_url, role_names


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return landing_url(request.user)


@login_required
@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    """Where the login sends a user without a `next`: their role's first page."""
    return redirect(landing_url(request.user))


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """A logged-in user's own page: their roles and where to go, or that they have none."""
    return render(
        request,
        "accounts/home.html",
        {
            "roles": role_names(request.user),
            "has_two_factor": user_has_device(request.user),
            "landing": landing_url(request.user),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step of the login: the code from the authenticator app."""
    if request.user.is_verified() or not user_has_device(request.user):
        return redirect(_next(request))
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("token", _("Koden passer ikke. Prøv den næste, appen viser."))
    return render(request, "accounts/two_factor.html", {"form": form, "next": _next(request)})


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the code (or type the key), then give one code."""
    if user_has_device(request.user) and not request.user.is_verified():
        return redirect("accounts:two_factor")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name=_("Godkendelsesapp"), confirmed=False
        )
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
            otp_login(request, device)
            messages.success(request, _("Totrinsbekræftelse er slået til for din bruger."))
            return redirect(_next(request))
        form.add_error("token", _("Koden passer ikke. Prøv den næste, appen viser."))
    uri = device.config_url
    qr = segno.make(uri, error="m").svg_inline(scale=4, title=_("QR-kode til godkendelsesappen"))
    secret = uri.split("secret=", 1)[1].split("&", 1)[0]
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            # segno writes the SVG from the URI's bits alone: no text of ours goes in unescaped.
            "qr": mark_safe(qr),  # noqa: S308
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next(request),
        },
    )
