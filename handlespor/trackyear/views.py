"""The seat link (confirm or decline; then the member page) and the page to ask for a new link.
No account: the link is the key, so these pages are limited per address and never cached."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from handlespor.calls.models import Call, Track
from handlespor.downloads import table_download
from handlespor.links import private
from handlespor.selection.decisions import (
    seat_confirm,
    seat_decline,
    seat_get_by_token,
    seat_leave,
)
from handlespor.selection.models import Decision
from handlespor.trackyear import domain
from handlespor.trackyear.calendar import meetings_feed
from handlespor.trackyear.forms import (
    ActionForm,
    AttendanceForm,
    CancelForm,
    DocumentForm,
    FinaliseForm,
    LeaveForm,
    MeetingForm,
    NewLinkForm,
    PollAnswerForm,
    PollForm,
    PurposeForm,
    RecordForm,
    RenewalForm,
    RsvpForm,
    SeatAnswerForm,
    ShareEmailForm,
    TravelAcceptForm,
    TravelForm,
)
from handlespor.trackyear.models import Action, DatePoll, Document, Meeting, PollAnswer, Rsvp
from handlespor.trackyear.overview import members_csv, members_xlsx, year_overview


def _number(value: str | None) -> int:
    """A posted id; anything else is an id that is not there (0)."""
    return int(value) if value and value.isdigit() else 0


def _get_seat_for_token(token: str) -> Decision:
    """The seat behind a private link; a wrong, old or foreign token is a 404."""
    decision = seat_get_by_token(token=token)
    if decision is None:
        raise Http404
    return decision


@private
@require_http_methods(["GET", "HEAD", "POST"])
def member(request: HttpRequest, token: str) -> HttpResponse:
    decision = _get_seat_for_token(token)
    state = decision.seat_state
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action") if posted else None
    answer_form = SeatAnswerForm(posted if action == "answer" else None)
    leave_form = LeaveForm(posted if action == "leave" else None)
    share_form = ShareEmailForm(
        posted if action == "share" else None, initial={"share_email": decision.share_email}
    )
    if state == Decision.SeatState.OFFERED and action == "answer" and answer_form.is_valid():
        if answer_form.cleaned_data["answer"] == "confirm":
            seat_confirm(decision=decision)
            messages.success(request, _("Tak! Din plads er bekræftet. Velkommen i handlesporet."))
        else:
            seat_decline(decision=decision)
            messages.success(request, _("Tak for dit svar. Pladsen går videre til ventelisten."))
        return redirect("trackyear:member", token=token)
    if state == Decision.SeatState.CONFIRMED and action == "share" and share_form.is_valid():
        decision.share_email = share_form.cleaned_data["share_email"]
        decision.save(update_fields=["share_email"])
        messages.success(request, _("Dit valg er gemt."))
        return redirect("trackyear:member", token=token)
    polls, meetings = _member_year(decision, posted if action in {"poll", "rsvp"} else None)
    if state == Decision.SeatState.CONFIRMED and action == "poll":
        form = next((f for f in polls if str(f.poll.pk) == posted.get("poll")), None)
        if form is not None and form.is_valid():
            try:
                domain.poll_answer(poll=form.poll, member=decision, answers=form.answers)
            except domain.PollClosedError:
                messages.error(request, _("Afstemningen er lukket; dit svar er ikke gemt."))
            else:
                messages.success(request, _("Dine svar er gemt. Du kan ændre dem, til den lukker."))
            return redirect("trackyear:member", token=token)
    if state == Decision.SeatState.CONFIRMED and action == "rsvp":
        entry = next((m for m in meetings if str(m["meeting"].pk) == posted.get("meeting")), None)
        if entry is not None and entry["form"].is_valid():
            domain.rsvp_set(meeting=entry["meeting"], member=decision, **entry["form"].cleaned_data)
            messages.success(request, _("Tak, dit svar er gemt."))
            return redirect("trackyear:member", token=token)
    if state == Decision.SeatState.CONFIRMED and action == "action_status":
        item = get_object_or_404(Action, track=decision.track, pk=_number(posted.get("item")))
        done = posted.get("status") == Action.Status.DONE
        domain.action_set_status(
            action=item,
            status=Action.Status.DONE if done else Action.Status.OPEN,
            member=decision,
        )
        return redirect("trackyear:member", token=token)
    renewal_form = RenewalForm(posted if action == "renewal" else None)
    if state == Decision.SeatState.CONFIRMED and action == "renewal" and renewal_form.is_valid():
        domain.renewal_answer(member=decision, continues=renewal_form.cleaned_data["continues"])
        messages.success(request, _("Tak for dit svar om næste år."))
        return redirect("trackyear:member", token=token)
    if state == Decision.SeatState.CONFIRMED and action == "leave" and leave_form.is_valid():
        seat_leave(decision=decision)
        messages.success(request, _("Du har forladt handlesporet. Tak for din tid."))
        return redirect("trackyear:member", token=token)
    status = (
        400 if posted and action in {"answer", "leave", "share", "poll", "rsvp", "renewal"} else 200
    )
    return render(
        request,
        "trackyear/member.html",
        {
            "decision": decision,
            "application": decision.application,
            "track": decision.track,
            "call": decision.application.call,
            "state": state,
            "states": Decision.SeatState,
            "members": list(domain.track_members(decision.track))
            if state == Decision.SeatState.CONFIRMED
            else [],
            "answer_form": answer_form,
            "leave_form": leave_form,
            "share_form": share_form,
            "renewal_form": renewal_form,
            "polls": polls,
            "meetings": meetings,
            "token": token,
            "my_actions": decision.actions.order_by("status", "due", "pk")
            if decision.is_member
            else [],
        },
        status=status,
    )


def _member_year(decision: Decision, posted) -> tuple[list[PollAnswerForm], list[dict]]:
    """A confirmed member's open polls (as forms with their answers so far) and the track's
    meetings with their own answer (as forms for the fixed ones)."""
    if not decision.is_member:
        return [], []
    meetings = list(
        decision.track.meetings.select_related("venue", "poll")
        .prefetch_related(
            Prefetch("rsvps", queryset=Rsvp.objects.filter(member=decision), to_attr="mine"),
            "poll__options",
            "documents",
        )
        .order_by("starts_at", "pk")
    )
    mine = dict(PollAnswer.objects.filter(member=decision).values_list("option_id", "answer"))
    polls = []
    for meeting in meetings:
        poll = getattr(meeting, "poll", None) if meeting.status == Meeting.Status.POLLING else None
        if poll is not None and poll.is_open():
            polls.append(
                PollAnswerForm(
                    posted if posted and posted.get("poll") == str(poll.pk) else None,
                    poll=poll,
                    initial_answers=mine,
                    prefix=f"poll{poll.pk}",
                )
            )
    entries = []
    for meeting in meetings:
        own = meeting.mine[0] if meeting.mine else None
        form = None
        if meeting.status == Meeting.Status.FIXED:
            bound = posted if posted and posted.get("meeting") == str(meeting.pk) else None
            initial = {"answer": own.answer, "reason": own.reason} if own else None
            form = RsvpForm(bound, initial=initial, prefix=f"rsvp{meeting.pk}")
        entries.append({"meeting": meeting, "rsvp": own, "form": form})
    return polls, entries


@private
@require_safe
def member_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The member's private calendar feed: the track's meetings with a date."""
    decision = _get_seat_for_token(token)
    if not decision.is_member:
        raise Http404
    meetings = list(decision.track.meetings.select_related("venue", "track"))
    body = meetings_feed(meetings, name=decision.track.name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="handlespor.ics"'
    return response


def _get_track_for_user(request: HttpRequest, year: int, slug: str) -> Track:
    """The track, for its leaders and the secretariat (403 for anyone else)."""
    track = get_object_or_404(Track.objects.select_related("call"), call__year=year, slug=slug)
    if not request.user.has_perm("trackyear.manage_track", track):
        raise PermissionDenied
    return track


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def track_year(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    """A track's year for its leaders and the secretariat: the members with their contact
    details, the meetings, and the date polls with their answers."""
    track = _get_track_for_user(request, year, slug)
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action") if posted else None
    meeting_form = MeetingForm(
        posted if action == "meeting" else None, track=track, prefix="meeting"
    )
    purpose_form = PurposeForm(
        posted if action == "purpose" else None,
        initial={"year_purpose": track.year_purpose},
        prefix="purpose",
    )
    if action == "purpose" and purpose_form.is_valid():
        domain.year_purpose_set(
            track=track, text=purpose_form.cleaned_data["year_purpose"], actor=request.user
        )
        messages.success(request, _("Formålet for året er gemt."))
        return redirect("trackyear:track", year=year, slug=slug)
    poll_form = PollForm(posted if action == "poll" else None, track=track, prefix="poll")
    cancel_form = CancelForm(posted if action == "cancel" else None, track=track)
    if action == "meeting" and meeting_form.is_valid():
        domain.meeting_create(track=track, actor=request.user, **meeting_form.cleaned_data)
        messages.success(request, _("Mødet er planlagt."))
        return redirect("trackyear:track", year=year, slug=slug)
    if action == "poll" and poll_form.is_valid():
        data = poll_form.cleaned_data
        domain.poll_open(
            meeting=data["meeting"],
            options=data["options"],
            closes_at=data["closes_at"],
            actor=request.user,
        )
        messages.success(request, _("Datoafstemningen er åben; deltagerne svarer på deres side."))
        return redirect("trackyear:track", year=year, slug=slug)
    if action == "cancel" and cancel_form.is_valid():
        sent = domain.meeting_cancel(
            meeting=cancel_form.cleaned_data["meeting"], actor=request.user
        )
        messages.success(request, _("Mødet er aflyst; %(n)s beskeder er sendt.") % {"n": sent})
        return redirect("trackyear:track", year=year, slug=slug)
    members = domain.track_members(track)
    action_form = ActionForm(
        posted if action == "action" else None, members=members, prefix="action"
    )
    if action == "action" and action_form.is_valid():
        data = action_form.cleaned_data
        domain.action_create(
            track=track,
            what=data["what"],
            owners=list(data["owners"]),
            due=data["due"],
            actor=request.user,
        )
        messages.success(request, _("Handlingen er oprettet."))
        return redirect("trackyear:track", year=year, slug=slug)
    if action == "action_status":
        item = get_object_or_404(Action, track=track, pk=_number(posted.get("item")))
        done = posted.get("status") == Action.Status.DONE
        domain.action_set_status(
            action=item, status=Action.Status.DONE if done else Action.Status.OPEN
        )
        return redirect("trackyear:track", year=year, slug=slug)
    travel_form = TravelForm(posted if action == "travel" else None, prefix="travel")
    proposal, accept_form = None, None
    if action == "travel" and travel_form.is_valid():
        proposal = domain.travel_propose(
            track=track, venues=list(travel_form.cleaned_data["venues"])
        )
        accept_form = TravelAcceptForm(
            meetings=[m for m in proposal.meetings if m.status != Meeting.Status.FIXED],
            initial={f"venue_{pk}": venue.pk for pk, venue in proposal.venue_of.items()},
            prefix="accept",
        )
    if action == "travel_accept":
        upcoming = track.meetings.exclude(
            status__in=[Meeting.Status.FIXED, Meeting.Status.CANCELLED, Meeting.Status.HELD]
        ).exclude(format=Meeting.Format.ONLINE)
        accept_form = TravelAcceptForm(posted, meetings=list(upcoming), prefix="accept")
        if accept_form.is_valid():
            changed = domain.travel_accept(
                track=track, venue_of=accept_form.venue_of, actor=request.user
            )
            messages.success(request, _("Mødestederne er valgt for %(n)s møder.") % {"n": changed})
            return redirect("trackyear:track", year=year, slug=slug)
    polls = []
    open_polls = DatePoll.objects.filter(meeting__track=track, chosen__isnull=True)
    for poll in open_polls.select_related("meeting"):
        bound = posted if action == "finalise" and posted.get("poll") == str(poll.pk) else None
        form = FinaliseForm(bound, poll=poll, prefix=f"finalise{poll.pk}")
        if bound is not None and form.is_valid():
            sent = domain.poll_finalise(poll=poll, actor=request.user, **form.cleaned_data)
            messages.success(
                request, _("Datoen er fastlagt; %(n)s invitationer er sendt.") % {"n": sent}
            )
            return redirect("trackyear:track", year=year, slug=slug)
        polls.append({"poll": poll, "results": domain.poll_results(poll), "form": form})
    return render(
        request,
        "trackyear/track.html",
        {
            "track": track,
            "call": track.call,
            "members": members,
            "attendance": domain.attendance_overview(track),
            "actions": track.actions.prefetch_related("owners__application"),
            "action_form": action_form,
            "meetings": track.meetings.select_related("venue").order_by("starts_at", "pk"),
            "polls": polls,
            "meeting_form": meeting_form,
            "purpose_form": purpose_form,
            "poll_form": poll_form,
            "cancel_form": cancel_form,
            "travel_form": travel_form,
            "proposal": proposal,
            "accept_form": accept_form,
        },
        status=400 if posted and proposal is None else 200,
    )


@private
@require_http_methods(["GET", "HEAD", "POST"])
def new_link(request: HttpRequest) -> HttpResponse:
    """Ask for a new link by e-mail; the answer is the same whether or not the address holds
    a seat."""
    form = NewLinkForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        domain.member_link_request(email=form.cleaned_data["email"])
        messages.success(
            request,
            _(
                "Hvis adressen hører til en plads i et handlespor, har vi sendt et nyt link til "
                "den. Kig også i spamfilteret."
            ),
        )
        return redirect("trackyear:new_link")
    return render(request, "trackyear/new_link.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_page(request: HttpRequest, year: int, slug: str, pk: int) -> HttpResponse:
    """One meeting for the track's leaders and the secretariat: its RSVPs, attendance on one
    screen, the minutes (published to the members once) and the documents."""
    track = _get_track_for_user(request, year, slug)
    meeting = get_object_or_404(track.meetings.select_related("venue"), pk=pk)
    members = list(domain.track_members(track))
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action") if posted else None
    marks = dict(meeting.attendance.values_list("member_id", "status"))
    attendance_form = AttendanceForm(
        posted if action == "attendance" else None,
        members=members,
        initial_statuses=marks,
        prefix="attendance",
    )
    record_form = RecordForm(
        posted if action == "record" else None,
        initial={"record": meeting.record},
        prefix="record",
    )
    document_form = DocumentForm(
        posted if action == "document" else None,
        request.FILES if action == "document" else None,
        prefix="document",
    )
    back = redirect("trackyear:meeting", year=year, slug=slug, pk=meeting.pk)
    if action == "attendance" and attendance_form.is_valid():
        domain.attendance_record(
            meeting=meeting, statuses=attendance_form.statuses, actor=request.user
        )
        messages.success(request, _("Fremmødet er registreret."))
        return back
    if action == "record" and record_form.is_valid():
        sent = domain.record_save(meeting=meeting, actor=request.user, **record_form.cleaned_data)
        messages.success(
            request,
            _("Referatet er sendt til %(n)s deltagere.") % {"n": sent}
            if sent
            else _("Referatet er gemt."),
        )
        return back
    if action == "document" and document_form.is_valid():
        domain.document_add(meeting=meeting, actor=request.user, **document_form.cleaned_data)
        messages.success(request, _("Dokumentet er tilføjet."))
        return back
    rsvps = {r.member_id: r for r in meeting.rsvps.all()}
    return render(
        request,
        "trackyear/meeting.html",
        {
            "track": track,
            "call": track.call,
            "meeting": meeting,
            "replies": [(m, rsvps.get(m.pk)) for m in members],
            "documents": meeting.documents.all(),
            "open_actions": track.actions.filter(status=Action.Status.OPEN),
            "attendance_form": attendance_form,
            "record_form": record_form,
            "document_form": document_form,
        },
        status=400 if posted else 200,
    )


def _document_response(document: Document) -> FileResponse:
    name = document.file.name.rsplit("/", 1)[-1]
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=name)


@login_required
@require_safe
def document_download(request: HttpRequest, year: int, slug: str, pk: int) -> HttpResponse:
    track = _get_track_for_user(request, year, slug)
    return _document_response(get_object_or_404(Document, meeting__track=track, pk=pk))


@private
@require_safe
def member_document(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """A document of the member's own track, once its meeting's minutes are published."""
    decision = _get_seat_for_token(token)
    if not decision.is_member:
        raise Http404
    document = get_object_or_404(
        Document,
        meeting__track=decision.track,
        meeting__record_published_at__isnull=False,
        pk=pk,
    )
    return _document_response(document)


def _get_call_for_overview(request: HttpRequest, year: int) -> Call:
    call = get_object_or_404(Call, year=year)
    if not request.user.has_perm("trackyear.view_overview"):
        raise PermissionDenied
    return call


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def overview(request: HttpRequest, year: int) -> HttpResponse:
    """Every track's year on one page, for the secretariat; near the year's end, asking the
    members whether they continue, and seating those who do in next year's call."""
    call = _get_call_for_overview(request, year)
    next_call = Call.objects.filter(year__gt=call.year).order_by("year").first()
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "renewal_ask":
        asked = domain.renewal_ask(call=call, actor=request.user)
        messages.success(request, _("%(n)s deltagere er spurgt om næste år.") % {"n": asked})
        return redirect("trackyear:overview", year=year)
    if action == "renewal_carry" and next_call is not None:
        carried = domain.renewal_carry(from_call=call, to_call=next_call, actor=request.user)
        messages.success(
            request,
            _("%(n)s fortsætter og har deres plads i %(call)s.")
            % {"n": carried, "call": next_call.title},
        )
        return redirect("trackyear:overview", year=year)
    continuing = Decision.objects.filter(
        application__call=call, outcome=Decision.Outcome.SELECTED, renewal_asked_at__isnull=False
    )
    return render(
        request,
        "trackyear/overview.html",
        {
            "call": call,
            "rows": year_overview(call),
            "next_call": next_call,
            "asked": continuing.count(),
            "continues": continuing.filter(continues=True).count(),
        },
        status=400 if action else 200,
    )


@login_required
@require_safe
def members_export(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    call = _get_call_for_overview(request, year)
    return table_download(
        fmt=fmt,
        name=f"deltagere-{year}",
        writers={"csv": lambda: members_csv(call), "xlsx": lambda: members_xlsx(call)},
    )


@login_required
@require_safe
def staff_feed(request: HttpRequest, year: int) -> HttpResponse:
    """All the call's meetings as one calendar, for the staff."""
    call = _get_call_for_overview(request, year)
    meetings = list(Meeting.objects.filter(track__call=call).select_related("venue", "track"))
    body = meetings_feed(meetings, name=f"Handlespor {year}")
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
