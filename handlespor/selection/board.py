"""The composition board: run the engine, see each track's proposal, lock and exclude."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from handlespor.calls.models import Application, Call
from handlespor.downloads import table_download
from handlespor.roles import led_tracks_of
from handlespor.selection import decisions, domain, exports, lottery, overview
from handlespor.selection.forms import (
    CommentForm,
    CompareForm,
    LockForm,
    LotteryDrawForm,
    ProposalNameForm,
    TargetFormSet,
)
from handlespor.selection.models import Decision, Lottery, Proposal, Run, SelectionLock


def _get_call_for_composer(request: HttpRequest, year: int) -> Call:
    """The call, for a user who composes (403 otherwise)."""
    call = get_object_or_404(Call, year=year)
    if not request.user.has_perm("selection.compose"):
        raise PermissionDenied
    return call


def _get_call_for_viewer(request: HttpRequest, year: int) -> tuple[Call, bool, set[str]]:
    """The call with whether the user composes and which tracks they lead: composers see
    everything; a track leader sees every track read-only, sensitive attributes only of the
    applications that chose their track."""
    call = get_object_or_404(Call, year=year)
    if not request.user.has_perm("selection.view_board", call):
        raise PermissionDenied
    led = {str(pk) for pk in led_tracks_of(request.user, call)}
    return call, request.user.has_perm("selection.compose"), led


@login_required
@require_safe
def board(request: HttpRequest, year: int) -> HttpResponse:
    call, composes, led = _get_call_for_viewer(request, year)
    context = overview.board_context(call) | {"can_compose": composes, "led": led}
    context["year_pages"] = [
        t for t in context["call_tracks"] if request.user.has_perm("trackyear.manage_track", t)
    ]
    if not composes:
        overview.board_for_leader(request.user, context, led)
    return render(request, "selection/board.html", context)


@login_required
@require_safe
def board_status(request: HttpRequest, year: int) -> HttpResponse:
    """The newest run's status alone, which the board polls while a run is going; once the
    run has ended, htmx reloads the whole board to show its result."""
    call, composes, _led = _get_call_for_viewer(request, year)
    proposal = Proposal.objects.filter(call=call).first()
    return _polled(
        request,
        "selection/board.html#run-status",
        {"call": call, "proposal": proposal, "can_compose": composes},
        proposal,
    )


def _polled(request: HttpRequest, template: str, context: dict, run: Run | None) -> HttpResponse:
    """A run's status fragment, which a page polls while the run goes; once it has ended, htmx
    reloads the whole page to show the result."""
    response = render(request, template, context)
    if request.headers.get("HX-Request") and run is not None and not run.is_active:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def board_run(request: HttpRequest, year: int) -> HttpResponse:
    call = _get_call_for_composer(request, year)
    try:
        domain.proposal_start(call=call, user=request.user, name=request.POST.get("name", "")[:120])
    except domain.AlreadyRunning:
        messages.warning(request, _("En sammensætning kører allerede; vent til den er færdig."))
    else:
        messages.success(request, _("Sammensætningen er startet."))
    return redirect("selection:board", year=call.year)


@login_required
@require_POST
def board_lock(request: HttpRequest, year: int) -> HttpResponse:
    call = _get_call_for_composer(request, year)
    form = LockForm(request.POST, call=call)
    if form.is_valid():
        domain.lock_set(call=call, user=request.user, **form.cleaned_data)
        if request.headers.get("HX-Request"):
            return _locks_fragment(request, call)
        messages.success(request, _("Låsen er sat. Kør sammensætningen igen for at se virkningen."))
    else:
        problem = " ".join(e for errors in form.errors.values() for e in errors)
        if request.headers.get("HX-Request"):
            # Plain text, which the page shows beside the button that was clicked (site.js).
            return HttpResponse(problem, status=422, content_type="text/plain; charset=utf-8")
        messages.error(request, problem)
    return redirect("selection:board", year=call.year)


def _locks_fragment(request: HttpRequest, call: Call, status: int = 200) -> HttpResponse:
    """The board's list of locks, for htmx to swap in after a lock or a release."""
    locks = SelectionLock.objects.filter(call=call).select_related("application", "track")
    return render(
        request,
        "selection/board.html#locks",
        {"call": call, "locks": locks, "can_compose": True},
        status=status,
    )


@login_required
@require_POST
def board_release(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    call = _get_call_for_composer(request, year)
    lock = SelectionLock.objects.filter(call=call, pk=pk).first()
    if lock is None:
        problem = _("Låsen er allerede frigivet. Genindlæs siden.")
        if request.headers.get("HX-Request"):
            return HttpResponse(problem, status=422, content_type="text/plain; charset=utf-8")
        raise Http404(problem)
    domain.lock_release(lock=lock, user=request.user)
    if request.headers.get("HX-Request"):
        return _locks_fragment(request, call)
    messages.success(request, _("Låsen er frigivet."))
    return redirect("selection:board", year=call.year)


def _confirm_before_deadline(
    request: HttpRequest, call: Call, action: str, button: str
) -> HttpResponse | None:
    """While the call is open, a page that asks to confirm (and says how many days are left),
    unless the form already confirmed; None when nothing needs confirming."""
    now = timezone.now()
    if not call.is_open(now) or request.POST.get("before_deadline") == "on":
        return None
    return render(
        request,
        "selection/confirm_before_deadline.html",
        {
            "call": call,
            "days": (call.closes_at - now).days + 1,
            "action": action,
            "button": button,
        },
    )


@login_required
@require_POST
def board_approve(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    call = _get_call_for_composer(request, year)
    proposal = get_object_or_404(Proposal, call=call, pk=pk, status=Proposal.Status.DONE)
    action = reverse("selection:approve", args=[call.year, proposal.pk])
    if asked := _confirm_before_deadline(request, call, action, _("Godkend alligevel")):
        return asked
    try:
        count = decisions.proposal_approve(proposal=proposal, user=request.user)
    except decisions.DecisionsReleasedError:
        messages.error(request, _("Afgørelserne er allerede sendt og kan ikke erstattes."))
        return redirect("selection:board", year=call.year)
    messages.success(
        request,
        _("Forslaget er godkendt: %(n)s afgørelser venter på at blive sendt.") % {"n": count},
    )
    return redirect("selection:outbox", year=call.year)


@login_required
@require_safe
def outbox(request: HttpRequest, year: int) -> HttpResponse:
    call = _get_call_for_composer(request, year)
    undecided = (
        call.applications.filter(state=Application.State.SUBMITTED, decision__isnull=True)
        .order_by("submitted_at")
        .only("name", "submitted_at")
        if Decision.objects.filter(application__call=call).exists()
        else []
    )
    return render(
        request,
        "selection/outbox.html",
        {
            "call": call,
            "rendered": decisions.decisions_render(call=call),
            "undecided": undecided,
        },
    )


@login_required
@require_POST
def release(request: HttpRequest, year: int) -> HttpResponse:
    call = _get_call_for_composer(request, year)
    action = reverse("selection:send", args=[call.year])
    if asked := _confirm_before_deadline(request, call, action, _("Send alligevel")):
        return asked
    count = decisions.decisions_release(call=call, user=request.user)
    messages.success(request, _("%(n)s afgørelser er sendt til udbakken.") % {"n": count})
    return redirect("selection:outbox", year=call.year)


@login_required
@require_safe
def groups_export(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    call = _get_call_for_composer(request, year)
    return table_download(
        fmt=fmt,
        name=f"deltagerkredse-{year}",
        writers={
            "csv": lambda: exports.groups_csv(call),
            "xlsx": lambda: exports.groups_xlsx(call),
        },
    )


@login_required
@require_safe
def report(request: HttpRequest, year: int) -> HttpResponse:
    """A printable report per track: the approved proposal's members and representation."""
    call = _get_call_for_composer(request, year)
    approved = Proposal.objects.filter(call=call, decisions__isnull=False).distinct().first()
    if approved is None:
        messages.info(request, _("Godkend et forslag for at få rapporten."))
        return redirect("selection:board", year=call.year)
    return render(request, "selection/report.html", overview.board_context(call, shown=approved))


@login_required
@require_POST
def leave(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    call = _get_call_for_composer(request, year)
    decision = get_object_or_404(
        Decision.objects.select_related("application__call", "track"),
        application__call=call,
        pk=pk,
        outcome=Decision.Outcome.SELECTED,
        left_at__isnull=True,
    )
    proposed = decisions.participant_leave(decision=decision, user=request.user)
    return render(
        request,
        "selection/replacement.html",
        {"call": call, "decision": decision, "proposed": proposed},
    )


@login_required
@require_POST
def offer(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    call = _get_call_for_composer(request, year)
    decision = get_object_or_404(
        Decision.objects.select_related("application__call", "track"),
        application__call=call,
        pk=pk,
        outcome=Decision.Outcome.WAITING,
    )
    decisions.seat_offer(decision=decision, user=request.user)
    messages.success(
        request, _("%(name)s har fået tilbudt pladsen.") % {"name": decision.application.name}
    )
    return redirect("selection:board", year=call.year)


@login_required
@require_POST
def proposal_rename(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    call = _get_call_for_composer(request, year)
    proposal = get_object_or_404(Proposal, call=call, pk=pk)
    form = ProposalNameForm(request.POST)
    if form.is_valid():
        domain.proposal_name(proposal=proposal, name=form.cleaned_data["name"], user=request.user)
    else:
        messages.error(request, _("Giv forslaget et navn på højst 120 tegn."))
    return redirect("selection:board", year=call.year)


@login_required
@require_POST
def proposal_comment(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    call, _composes, _led = _get_call_for_viewer(request, year)
    proposal = get_object_or_404(Proposal, call=call, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        domain.proposal_comment(
            proposal=proposal, text=form.cleaned_data["text"], user=request.user
        )
    else:
        messages.error(request, _("Skriv en kommentar på højst 2000 tegn."))
    return redirect("selection:board", year=call.year)


@login_required
@require_safe
def compare(request: HttpRequest, year: int) -> HttpResponse:
    call = _get_call_for_composer(request, year)
    form = CompareForm(request.GET or None, call=call)
    rows = None
    if form.is_valid():
        rows = overview.proposals_compare(a=form.cleaned_data["a"], b=form.cleaned_data["b"])
    return render(request, "selection/compare.html", {"call": call, "form": form, "rows": rows})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def targets(request: HttpRequest, year: int) -> HttpResponse:
    """Edit the call's representation targets; the next run uses them."""
    call = _get_call_for_composer(request, year)
    formset = TargetFormSet(
        request.POST if request.method == "POST" else None,
        queryset=call.targets.all(),
        form_kwargs={"call": call},
    )
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
            domain.activity_log(
                call=call, actor=request.user, text="Rettede målene for repræsentation"
            )
        messages.success(request, _("Målene er gemt. Kør sammensætningen igen for at bruge dem."))
        return redirect("selection:board", year=call.year)
    return render(request, "selection/targets.html", {"call": call, "formset": formset})


# The fair lottery


def _get_lottery_for_composer(request: HttpRequest, year: int, pk: int) -> Lottery:
    call = _get_call_for_composer(request, year)
    return get_object_or_404(Lottery.objects.select_related("call", "proposal"), call=call, pk=pk)


@login_required
@require_safe
def lottery_page(request: HttpRequest, year: int) -> HttpResponse:
    """The newest lottery of the call: its status, each applicant's chance (overall and per
    track), the lowest, who is certain or impossible and why, and the draw."""
    call = _get_call_for_composer(request, year)
    current = Lottery.objects.filter(call=call).select_related("proposal").first()
    context = overview.lottery_context(call, current) | {"form": LotteryDrawForm()}
    return render(request, "selection/lottery.html", context)


@login_required
@require_safe
def lottery_status(request: HttpRequest, year: int) -> HttpResponse:
    """The newest lottery's status alone, polled while it is computed; once it has ended, htmx
    reloads the page."""
    call = _get_call_for_composer(request, year)
    current = Lottery.objects.filter(call=call).first()
    return _polled(
        request,
        "selection/lottery.html#lottery-status",
        {"call": call, "lottery": current},
        current,
    )


@login_required
@require_POST
def lottery_run(request: HttpRequest, year: int) -> HttpResponse:
    call = _get_call_for_composer(request, year)
    try:
        lottery.lottery_start(call=call, user=request.user)
    except domain.AlreadyRunning:
        messages.warning(request, _("Chancerne beregnes allerede; vent til det er færdigt."))
    else:
        messages.success(request, _("Beregningen af chancerne er startet."))
    return redirect("selection:lottery", year=call.year)


@login_required
@require_POST
def lottery_draw(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    current = _get_lottery_for_composer(request, year, pk)
    call = current.call
    form = LotteryDrawForm(request.POST)
    if not form.is_valid():
        context = overview.lottery_context(call, current) | {"form": form}
        return render(request, "selection/lottery.html", context, status=400)
    try:
        proposal = lottery.lottery_draw(
            lottery=current, seed=form.cleaned_data["seed"], user=request.user
        )
    except lottery.LotteryNotDrawable as error:
        messages.error(request, str(error))
        return redirect("selection:lottery", year=call.year)
    messages.success(
        request,
        _("Lodtrækningen gav nummer %(number)s. Forslaget står nu på tavlen og kan godkendes.")
        % {"number": proposal.lottery.number},
    )
    return redirect("selection:board", year=call.year)


@login_required
@require_safe
def lottery_public(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """The printable page for the steering group to publish: the procedure, each group's
    chance and, once drawn, the seed and the number. No names: groups are numbered."""
    current = _get_lottery_for_composer(request, year, pk)
    if not current.has_table:
        raise Http404(_("Chancerne er ikke beregnet."))
    context = overview.lottery_context(current.call, current)
    return render(request, "selection/lottery_public.html", context)


@login_required
@require_safe
def lottery_table(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """The published table as CSV: exactly the text whose SHA-256 the activity log records."""
    current = _get_lottery_for_composer(request, year, pk)
    if not current.has_table:
        raise Http404(_("Chancerne er ikke beregnet."))
    response = HttpResponse(
        lottery.table_csv(current.result), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="lodtraekning-{year}-{current.pk}-tabel.csv"'
    )
    return response
