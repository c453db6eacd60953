"""The public side: the call page, the application form and the private link."""

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from handlespor.attributes import region_for_postcode
from handlespor.calls import domain
from handlespor.calls.forms import ApplicationForm, WithdrawForm
from handlespor.calls.models import Application, Call, Track
from handlespor.links import private
from handlespor.partners.models import Organisation

RECEIPT_SESSION_KEY = "received_application"


def _get_call(year: int) -> Call:
    return get_object_or_404(Call.objects.prefetch_related("tracks"), year=year)


def _get_application_for_token(token: str) -> Application:
    """The application behind a private link; a wrong or foreign token is a 404."""
    application = domain.application_get_by_token(token=token)
    if application is None:
        raise Http404
    return application


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Too many requests from one address: a plain Danish page, status 429."""
    response = render(request, "calls/rate_limited.html", status=429)
    response["Retry-After"] = "600"
    return response


def _posted(request: HttpRequest) -> QueryDict | None:
    """The POST data, so that even an empty POST is validated, or None for a GET."""
    return request.POST if request.method == "POST" else None


def _closed(request: HttpRequest, call: Call, status: int = 200) -> HttpResponse:
    return render(request, "calls/closed.html", {"call": call}, status=status)


@require_safe
def call_current(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    call = (
        Call.objects.filter(opens_at__lte=now).order_by("-year").first()
        or Call.objects.order_by("year").first()
    )
    if call is None:
        return render(request, "calls/no_call.html")
    return redirect("calls:call", year=call.year)


@require_safe
def call_detail(request: HttpRequest, year: int) -> HttpResponse:
    call = _get_call(year)
    return render(
        request,
        "calls/call_detail.html",
        {"call": call, "tracks": call.tracks.all(), "is_open": call.is_open()},
    )


@require_safe
def track_terms_pdf(request: HttpRequest, year: int, slug: str) -> FileResponse:
    track = get_object_or_404(Track, call__year=year, slug=slug)
    if not track.terms_of_reference_pdf:
        raise Http404
    return FileResponse(
        track.terms_of_reference_pdf.open("rb"),
        content_type="application/pdf",
        filename=f"kommissorium-{track.slug}.pdf",
    )


# What the receipt page shows of the submitted form; kept in the submitting browser's session.
RECEIPT_FIELDS = (
    "email",
    *(
        field
        for field in domain.APPLICANT_FIELDS
        if field not in {"organisation", "first_choice", "second_choice"}
        and not field.startswith("confirms_")
    ),
)
RECEIPT_SECONDS = 3600


def _remember_receipt(request: HttpRequest, call: Call, data: dict[str, Any]) -> None:
    """The receipt shows what this browser sent, never what is stored: the page is the same
    whether the address applied before or not, and reveals nothing about anyone else."""
    request.session[RECEIPT_SESSION_KEY] = {
        "year": call.year,
        "fields": {field: data.get(field) or "" for field in RECEIPT_FIELDS},
        "organisation": data["organisation"].pk if data.get("organisation") else None,
        "first_choice": data["first_choice"].pk,
        "second_choice": data["second_choice"].pk if data.get("second_choice") else None,
    }
    request.session.set_expiry(RECEIPT_SECONDS)


@ratelimit(key="ip", rate=lambda _g, _r: settings.RATELIMIT_SUBMIT, method="POST")
@require_http_methods(["GET", "HEAD", "POST"])
def application_create(request: HttpRequest, year: int) -> HttpResponse:
    call = _get_call(year)
    if not call.is_open():
        return _closed(request, call, status=403 if request.method == "POST" else 200)
    form = ApplicationForm(_posted(request), call=call)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("website"):
            # A bot filled in the hidden field: it sees the receipt, nothing is stored or sent.
            _remember_receipt(request, call, form.cleaned_data)
            return redirect("calls:received", year=call.year)
        try:
            domain.application_submit(
                call=call,
                data=form.cleaned_data,
                language=translation.get_language(),
                submission=form.cleaned_data.get("submission") or "",
            )
        except domain.CallClosedError:
            return _closed(request, call, status=403)
        _remember_receipt(request, call, form.cleaned_data)
        return redirect("calls:received", year=call.year)
    context = {"call": call, "form": form}
    if not form.is_bound:
        context["fields_html"] = _blank_fields_html(request, call, form)
    return render(request, "calls/application_form.html", context)


BLANK_FORM_SECONDS = 60


def _blank_fields_html(request: HttpRequest, call: Call, form: ApplicationForm) -> str:
    """The empty form's fields, rendered once a minute per call and language: they are the same
    for every visitor (the one-time key and the CSRF token stay outside), and rendering ~400
    widget templates is most of the form page's time. A change of tracks or register shows
    within the minute."""
    key = f"calls:blank-form:{call.pk}:{translation.get_language()}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "calls/_application_fields.html", {"form": form, "call": call}, request=request
        )
        cache.set(key, html, BLANK_FORM_SECONDS)
    return html


@require_safe
def region_hint(request: HttpRequest) -> HttpResponse:
    region = region_for_postcode(request.GET.get("postcode", ""))
    return render(request, "calls/application_form.html#region-hint", {"region": region})


@never_cache
@require_safe
def application_received(request: HttpRequest, year: int) -> HttpResponse:
    """The receipt page, for the browser that just submitted; the link itself goes by e-mail."""
    receipt = request.session.get(RECEIPT_SESSION_KEY)
    if not receipt or receipt.get("year") != year:
        return redirect("calls:call", year=year)
    call = _get_call(year)
    tracks = {track.pk: track for track in call.tracks.all()}
    organisation = (
        Organisation.objects.filter(pk=receipt["organisation"]).first()
        if receipt["organisation"]
        else None
    )
    # An unsaved application made of what was sent, for the summary.
    sent = Application(
        call=call,
        organisation=organisation,
        first_choice=tracks.get(receipt["first_choice"]),
        second_choice=tracks.get(receipt["second_choice"]),
        **receipt["fields"],
    )
    eligibility, _reasons = domain.eligibility_assess(
        call=call, organisation=organisation, organisation_name=sent.organisation_name
    )
    return render(
        request,
        "calls/application_received.html",
        {"application": sent, "call": call, "needs_check": eligibility != "eligible"},
    )


@private
@require_safe
def application_detail(request: HttpRequest, token: str) -> HttpResponse:
    application = _get_application_for_token(token)
    domain.application_log_view(application=application)
    return render(
        request,
        "calls/application_detail.html",
        {
            "application": application,
            "call": application.call,
            "token": token,
            "is_open": application.call.is_open(),
            "can_complete": application.can_complete(),
        },
    )


@private
@require_http_methods(["GET", "HEAD", "POST"])
def application_edit(request: HttpRequest, token: str) -> HttpResponse:
    application = _get_application_for_token(token)
    call = application.call
    if application.is_incomplete:
        return redirect("calls:complete", token=token)
    if not call.is_open() or application.is_withdrawn:
        status = 403 if request.method == "POST" else 200
        return _closed(request, call, status=status)
    initial = {field: getattr(application, field) for field in domain.APPLICANT_FIELDS}
    form = ApplicationForm(_posted(request), call=call, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = domain.application_update(application=application, data=form.cleaned_data)
        except domain.CallClosedError:
            return _closed(request, call, status=403)
        messages.success(
            request,
            _("Dine ændringer er gemt.") if changed else _("Der var ingen ændringer at gemme."),
        )
        return redirect("calls:application", token=token)
    return render(
        request,
        "calls/application_edit.html",
        {"call": call, "form": form, "application": application, "token": token},
    )


@private
@require_http_methods(["GET", "HEAD", "POST"])
def application_complete(request: HttpRequest, token: str) -> HttpResponse:
    """An application received by e-mail: the applicant adds what the e-mail could not carry."""
    application = _get_application_for_token(token)
    if not application.is_incomplete:
        return redirect("calls:application", token=token)
    call = application.call
    if not application.can_complete():
        return _closed(request, call, status=403 if request.method == "POST" else 200)
    initial = {field: getattr(application, field) for field in domain.APPLICANT_FIELDS}
    form = ApplicationForm(_posted(request), call=call, completing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            domain.application_complete(
                application=application, data=form.cleaned_data, token=token
            )
        except domain.CallClosedError:
            return _closed(request, call, status=403)
        messages.success(request, _("Tak – din ansøgning er nu komplet."))
        return redirect("calls:application", token=token)
    return render(
        request,
        "calls/application_complete.html",
        {
            "call": call,
            "form": form,
            "application": application,
            "token": token,
            "closes_at": application.completion_deadline(),
        },
    )


@private
@require_http_methods(["GET", "HEAD", "POST"])
def application_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    application = _get_application_for_token(token)
    call = application.call
    if not call.is_open():
        return _closed(request, call, status=403 if request.method == "POST" else 200)
    form = WithdrawForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            domain.application_withdraw(application=application)
        except domain.CallClosedError:
            return _closed(request, call, status=403)
        messages.success(request, _("Din ansøgning er trukket tilbage."))
        return redirect("calls:application", token=token)
    return render(
        request,
        "calls/application_withdraw.html",
        {"call": call, "form": form, "application": application, "token": token},
    )


@private
@require_POST
def application_reinstate(request: HttpRequest, token: str) -> HttpResponse:
    application = _get_application_for_token(token)
    try:
        domain.application_reinstate(application=application)
    except domain.CallClosedError:
        return _closed(request, application.call, status=403)
    messages.success(request, _("Din ansøgning er genoptaget."))
    return redirect("calls:application", token=token)


@private
@require_safe
def application_export(request: HttpRequest, token: str) -> HttpResponse:
    application = _get_application_for_token(token)
    data = domain.application_export(application=application)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="ansoegning-{application.call.year}.json"'
    )
    return response
