"""The back office's inbox: e-mails taken in, the unsorted list, uploads and corrections."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from handlespor.calls.models import Call
from handlespor.inbox import domain as intake
from handlespor.inbox.forms import (
    AttachForm,
    InboundUploadForm,
    IntakeTracksForm,
    MakeApplicationForm,
    MergeForm,
)
from handlespor.inbox.mailparse import read_body
from handlespor.inbox.models import InboundAttachment, InboundMessage
from handlespor.inbox.tasks import fetch_inbox
from handlespor.roles import require

PAGE_SIZE = 50
FILTERS = {
    "usorteret": {"status": InboundMessage.Status.UNSORTED},
    "ansoegninger": {"status": InboundMessage.Status.APPLICATION},
    "knyttet": {"status": InboundMessage.Status.ATTACHED},
    "lagt-til-side": {"status": InboundMessage.Status.DISMISSED},
    "ikke-behandlet": {"processed_at__isnull": True},
    "alle": {},
}


def _get_message_for_user(pk: int) -> InboundMessage:
    """Staff only (the decorator); a message that does not exist is a 404."""
    return get_object_or_404(
        InboundMessage.objects.select_related(
            "call", "organisation", "application__first_choice", "application__second_choice"
        ),
        pk=pk,
    )


def _call_of(message: InboundMessage) -> Call | None:
    return message.call or Call.objects.order_by("-year").first()


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename[:120] or "fil")
    return response


@require("backoffice.use_inbox")
@require_safe
def inbox(request: HttpRequest, upload_form: InboundUploadForm | None = None) -> HttpResponse:
    shown = request.GET.get("vis", "usorteret")
    if shown not in FILTERS:
        shown = "usorteret"
    rows = (
        InboundMessage.objects.filter(**FILTERS[shown])
        .select_related("application", "call")
        .defer("raw", "body_text")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("side"))
    counts = {
        "usorteret": InboundMessage.objects.filter(status=InboundMessage.Status.UNSORTED).count()
    }
    return render(
        request,
        "inbox/inbox.html",
        {
            "page": page,
            "shown": shown,
            "filters": list(FILTERS),
            "counts": counts,
            "upload_form": upload_form or InboundUploadForm(),
            "imap_configured": bool(settings.IMAP.get("host")),
        },
        status=400 if upload_form is not None else 200,
    )


@require("backoffice.use_inbox")
@require_POST
def inbox_upload(request: HttpRequest) -> HttpResponse:
    form = InboundUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        request.method = "GET"
        return inbox(request, upload_form=form)
    upload = form.cleaned_data["file"]
    try:
        report = intake.inbound_upload(filename=upload.name, data=upload.read())
    except intake.UploadError as error:
        form.add_error("file", str(error))
        request.method = "GET"
        return inbox(request, upload_form=form)
    messages.success(request, _("Filen er læst: %(summary)s.") % {"summary": report.summary()})
    return redirect("inbox:list")


@require("backoffice.use_inbox")
@require_POST
def inbox_fetch(request: HttpRequest) -> HttpResponse:
    if not settings.IMAP.get("host"):
        messages.error(request, _("Indbakken er ikke sat op (IMAP_HOST mangler)."))
    else:
        fetch_inbox.enqueue()
        messages.success(request, _("Indbakken hentes nu i baggrunden."))
    return redirect("inbox:list")


def _detail(request: HttpRequest, message: InboundMessage, **forms: object) -> HttpResponse:
    call = _call_of(message)
    application = message.application
    context: dict[str, object] = {
        "message": message,
        "attachments": message.attachments.defer("content"),
        "full_text": read_body(bytes(message.raw)),
        "call": call,
        "application": application,
        "track_names": _track_names(message, call),
    }
    if application is None and call is not None:
        context["make_form"] = forms.get("make_form") or MakeApplicationForm(
            call=call, initial={"organisation": message.organisation}
        )
        context["attach_form"] = forms.get("attach_form") or AttachForm(call=call)
    if application is not None and application.is_incomplete:
        context["correct_form"] = forms.get("correct_form") or IntakeTracksForm(
            call=application.call,
            initial={
                "first_choice": application.first_choice,
                "second_choice": application.second_choice,
                "organisation": application.organisation,
            },
        )
        context["merge_form"] = forms.get("merge_form") or MergeForm(source=application)
    status = 400 if any(forms.values()) else 200
    return render(request, "inbox/message.html", context, status=status)


def _track_names(message: InboundMessage, call: Call | None) -> list[str]:
    if call is None:
        return list(message.track_slugs)
    names = dict(call.tracks.values_list("slug", "name"))
    return [names.get(slug, slug) for slug in message.track_slugs]


@require("backoffice.use_inbox")
@require_safe
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get_message_for_user(pk))


@require("backoffice.use_inbox")
@require_POST
def message_make_application(request: HttpRequest, pk: int) -> HttpResponse:
    message = _get_message_for_user(pk)
    call = _call_of(message)
    if call is None or message.application is not None:
        messages.error(request, _("E-mailen hører allerede til en ansøgning."))
        return redirect("inbox:message", pk=pk)
    form = MakeApplicationForm(request.POST, call=call)
    if not form.is_valid():
        return _detail(request, message, make_form=form)
    try:
        intake.inbound_make_application(
            message=message,
            call=call,
            tracks=form.tracks,
            organisation=form.cleaned_data["organisation"],
            actor=request.user,
            send_reply=form.cleaned_data["send_reply"],
        )
    except intake.IntakeError as error:
        form.add_error(None, str(error))
        return _detail(request, message, make_form=form)
    messages.success(request, _("Ansøgningen er oprettet."))
    return redirect("inbox:message", pk=pk)


@require("backoffice.use_inbox")
@require_POST
def message_attach(request: HttpRequest, pk: int) -> HttpResponse:
    message = _get_message_for_user(pk)
    call = _call_of(message)
    if call is None:
        return redirect("inbox:message", pk=pk)
    form = AttachForm(request.POST, call=call)
    if not form.is_valid():
        return _detail(request, message, attach_form=form)
    intake.inbound_attach(
        message=message, application=form.cleaned_data["application"], actor=request.user
    )
    messages.success(request, _("E-mailen er knyttet til ansøgningen."))
    return redirect("inbox:message", pk=pk)


@require("backoffice.use_inbox")
@require_POST
def message_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    message = _get_message_for_user(pk)
    if message.application is None:
        intake.inbound_dismiss(message=message, actor=request.user)
        messages.success(request, _("E-mailen er lagt til side. Den er ikke slettet."))
    return redirect("inbox:list")


@require("backoffice.use_inbox")
@require_POST
def message_correct(request: HttpRequest, pk: int) -> HttpResponse:
    message = _get_message_for_user(pk)
    application = message.application
    if application is None or not application.is_incomplete:
        return redirect("inbox:message", pk=pk)
    form = IntakeTracksForm(request.POST, call=application.call)
    if not form.is_valid():
        return _detail(request, message, correct_form=form)
    changed = intake.application_correct(
        application=application,
        tracks=form.tracks,
        organisation=form.cleaned_data["organisation"],
        actor=request.user,
    )
    messages.success(
        request, _("Rettelsen er gemt.") if changed else _("Der var ingen ændringer at gemme.")
    )
    return redirect("inbox:message", pk=pk)


@require("backoffice.use_inbox")
@require_POST
def message_merge(request: HttpRequest, pk: int) -> HttpResponse:
    message = _get_message_for_user(pk)
    source = message.application
    if source is None:
        return redirect("inbox:message", pk=pk)
    form = MergeForm(request.POST, source=source)
    if not form.is_valid():
        return _detail(request, message, merge_form=form)
    try:
        intake.application_merge(
            source=source, target=form.cleaned_data["target"], actor=request.user
        )
    except intake.IntakeError as error:
        form.add_error(None, str(error))
        return _detail(request, message, merge_form=form)
    messages.success(request, _("E-mailansøgningen er flettet ind i webansøgningen."))
    return redirect("inbox:message", pk=pk)


@require("backoffice.use_inbox")
@require_safe
def message_raw(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(InboundMessage, pk=pk)
    return _download(bytes(message.raw), "message/rfc822", f"e-mail-{message.pk}.eml")


@require("backoffice.use_inbox")
@require_safe
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(InboundAttachment, pk=pk, content__isnull=False)
    # Never shown inline: a sender's HTML or SVG must not run in the back office.
    return _download(bytes(attachment.content), "application/octet-stream", attachment.filename)
