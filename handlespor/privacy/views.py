"""The privacy notice, an applicant's erasure from the private link, and the secretariat's list
of erasures to confirm."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from handlespor.calls.domain import application_get_by_token
from handlespor.calls.forms import WithdrawForm
from handlespor.calls.models import Application, Call
from handlespor.links import private
from handlespor.privacy import domain
from handlespor.roles import require


@require_safe
def notice(request: HttpRequest) -> HttpResponse:
    """What is stored, why, for how long and who sees it, in plain words."""
    call = Call.objects.order_by("-year").first()
    return render(
        request,
        "privacy/notice.html",
        {
            "call": call,
            "retention_months": (call.retention_months if call else None)
            or settings.RETENTION_MONTHS,
            "mail_retention_months": settings.MAIL_RETENTION_MONTHS,
        },
    )


@private
@require_http_methods(["GET", "HEAD", "POST"])
def erase(request: HttpRequest, token: str) -> HttpResponse:
    """The applicant asks to have the application and their data deleted."""
    application = application_get_by_token(token=token)
    if application is None:
        raise Http404
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    form.fields["confirm"].label = _("Ja, slet min ansøgning og mine oplysninger.")
    if request.method == "POST" and form.is_valid():
        call = application.call
        if domain.erasure_request(application=application):
            return render(request, "privacy/erased.html", {"call": call})
        messages.success(
            request,
            _(
                "Din anmodning om sletning er sendt til sekretariatet, som sletter dine "
                "oplysninger hurtigst muligt og senest inden for en måned."
            ),
        )
        return redirect("calls:application", token=token)
    return render(
        request,
        "privacy/erase.html",
        {"application": application, "call": application.call, "token": token, "form": form},
    )


@require("backoffice.confirm_erasure")
@require_safe
def erasure_list(request: HttpRequest) -> HttpResponse:
    """Erasures asked for after a deadline, waiting for the secretariat."""
    waiting = (
        Application.objects.filter(erasure_requested_at__isnull=False, anonymised_at__isnull=True)
        .select_related("call", "first_choice")
        .order_by("erasure_requested_at")
    )
    return render(request, "privacy/erasures.html", {"waiting": waiting})


@require("backoffice.confirm_erasure")
@require_POST
def erasure_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        Application, pk=pk, erasure_requested_at__isnull=False, anonymised_at__isnull=True
    )
    domain.erasure_confirm(application=application, actor=request.user)
    messages.success(request, _("Ansøgningen er anonymiseret."))
    return redirect("privacy:erasures")
