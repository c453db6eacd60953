"""Workflows of the tracks' year: new member links, the meetings, their date polls and
invitations, and the members' answers."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from handlespor.calls.domain import eligibility_reassess
from handlespor.calls.models import Application, Call, Track
from handlespor.engine.travel import (
    TravelProblem,
    UnknownPostcodeError,
    town_of,
    venues_propose,
)
from handlespor.mail.domain import Attachment, MailTemplates, mail_queue
from handlespor.mail.models import MessageTemplate
from handlespor.selection.decisions import seat_link, seat_link_current
from handlespor.selection.domain import activity_log
from handlespor.selection.models import Decision, SelectionLock
from handlespor.trackyear.calendar import meeting_invitation
from handlespor.trackyear.models import (
    Action,
    Attendance,
    DatePoll,
    Document,
    Meeting,
    PollAnswer,
    PollOption,
    Rsvp,
    Venue,
)


def member_link_request(*, email: str) -> int:
    """Send a new private link to each open seat (offered or confirmed) held by this address;
    return how many were sent. The page that asks says the same whatever the answer, so it
    reveals nothing about who applied or holds a seat.

    Side effects: gives each such seat a new link (the old one stops working) and queues the
    `member_link` e-mail with it.
    """
    seats = (
        Decision.objects.seats()
        .filter(application__email__iexact=email.strip())
        .select_related("application__call", "track")
    )
    templates = MailTemplates()
    sent = 0
    for decision in seats:
        with transaction.atomic():
            token = decision.new_seat_token()
            decision.save(update_fields=["seat_token_nonce", "seat_token_hash"])
            application = decision.application
            mail_queue(
                key=MessageTemplate.Key.MEMBER_LINK,
                language=application.language,
                to=application.email,
                context=application.mail_context(track=decision.track.name, link=seat_link(token)),
                templates=templates,
            )
        sent += 1
    return sent


# The year's meetings and their date polls.


def track_members(track: Track) -> QuerySet[Decision]:
    """The confirmed members of a track (not left)."""
    return (
        Decision.objects.members()
        .filter(track=track)
        .select_related("application__organisation", "application__call", "track")
        .order_by("application__name")
    )


def _meeting_context(member: Decision, meeting: Meeting) -> dict:
    return member.application.mail_context(
        track=meeting.track.name,
        meeting=meeting,
        open_actions=list(meeting.track.actions.filter(status=Action.Status.OPEN)),
        starts_at=timezone.localtime(meeting.starts_at) if meeting.starts_at else None,
        link=seat_link_current(member),
    )


def _send_to_members(meeting: Meeting, key: str, with_invitation: bool) -> int:
    """Queue the e-mail `key` about the meeting to each member, each with their own .ics."""
    templates = MailTemplates()
    members = list(track_members(meeting.track))
    for member in members:
        email = member.application.email
        attachments = None
        if with_invitation:
            cancelled = meeting.status == Meeting.Status.CANCELLED
            attachments = [
                Attachment(
                    filename="invitation.ics",
                    content_type=f"text/calendar; method={'CANCEL' if cancelled else 'REQUEST'}",
                    content=meeting_invitation(meeting, attendee=email).decode(),
                )
            ]
        mail_queue(
            key=key,
            language=member.application.language,
            to=email,
            context=_meeting_context(member, meeting),
            templates=templates,
            attachments=attachments,
        )
    return len(members)


def year_purpose_set(*, track: Track, text: str, actor: Any) -> None:
    """The track's purpose for its year, shown on the members' pages.

    Side effects: saves the track's purpose and logs the activity.
    """
    with transaction.atomic():
        track.year_purpose = text
        track.save(update_fields=["year_purpose"])
        activity_log(call=track.call, actor=actor, text=f"Skrev formålet for {track.name}")


def meeting_create(*, track: Track, actor: Any, **fields: Any) -> Meeting:
    """Plan a meeting of the track's year (no date yet).

    Side effects: stores the Meeting and logs the activity.
    """
    with transaction.atomic():
        meeting = Meeting.objects.create(track=track, **fields)
        activity_log(call=track.call, actor=actor, text=f"Planlagde mødet {meeting.title}")
    return meeting


def poll_open(
    *, meeting: Meeting, options: list[datetime], closes_at: datetime, actor: Any
) -> DatePoll:
    """Open a date poll for the meeting with these candidate times.

    Side effects: replaces an earlier open poll of the meeting, stores the poll and its
    options, sets the meeting to "polling" and logs the activity.
    """
    with transaction.atomic():
        DatePoll.objects.filter(meeting=meeting).delete()
        poll = DatePoll.objects.create(meeting=meeting, closes_at=closes_at)
        PollOption.objects.bulk_create([PollOption(poll=poll, starts_at=o) for o in options])
        meeting.status = Meeting.Status.POLLING
        meeting.save(update_fields=["status"])
        activity_log(
            call=meeting.track.call,
            actor=actor,
            text=f"Åbnede en datoafstemning for {meeting.title} ({len(options)} muligheder)",
        )
    return poll


def poll_answer(*, poll: DatePoll, member: Decision, answers: dict[int, str]) -> None:
    """Store a member's answers (option id → yes / maybe / no), replacing earlier ones.

    Side effects: writes the member's PollAnswers. Raises PollClosedError when the poll no
    longer takes answers, or PermissionDenied for a member of another track.
    """
    if member.track_id != poll.meeting.track_id or not member.is_member:
        raise PermissionDenied
    if not poll.is_open():
        raise PollClosedError
    with transaction.atomic():
        for option in poll.options.filter(pk__in=answers):
            PollAnswer.objects.update_or_create(
                option=option,
                member=member,
                defaults={"answer": answers[option.pk], "at": timezone.now()},
            )


class PollClosedError(Exception):
    """The date poll has closed or a date has been chosen."""


def poll_results(poll: DatePoll) -> list[dict]:
    """Each option with its counts and who answered what, best first: most yes, then most
    "if need be", then fewest no, then the earliest."""
    rows = []
    for option in poll.options.prefetch_related("answers__member__application"):
        by_answer: dict[str, list[str]] = {a: [] for a in PollAnswer.Answer.values}
        for answer in option.answers.all():
            by_answer[answer.answer].append(answer.member.application.name)
        rows.append(
            {
                "option": option,
                "yes": len(by_answer["yes"]),
                "maybe": len(by_answer["maybe"]),
                "no": len(by_answer["no"]),
                "who": {key: sorted(names) for key, names in by_answer.items()},
            }
        )
    return sorted(rows, key=lambda r: (-r["yes"], -r["maybe"], r["no"], r["option"].starts_at))


def poll_finalise(
    *, poll: DatePoll, option: PollOption, actor: Any, venue: Venue | None = None
) -> int:
    """Fix the meeting at the chosen option and invite every member; return how many.

    Side effects: sets the meeting's time (and venue), marks it fixed and the poll decided,
    queues the invitation with its .ics to each member and logs the activity.
    """
    meeting = poll.meeting
    with transaction.atomic():
        poll.chosen = option
        poll.save(update_fields=["chosen"])
        meeting.starts_at = option.starts_at
        meeting.status = Meeting.Status.FIXED
        if venue is not None:
            meeting.venue = venue
        meeting.save()
        sent = _send_to_members(meeting, MessageTemplate.Key.MEETING_INVITATION, True)
        when = timezone.localtime(option.starts_at)
        activity_log(
            call=meeting.track.call,
            actor=actor,
            text=f"Fastlagde {meeting.title} til {when:%d-%m-%Y %H:%M}",
        )
    return sent


def meeting_change(*, meeting: Meeting, actor: Any, **changes: Any) -> int:
    """Change a fixed meeting (time, length, venue, agenda, online link) and send each member
    the update, which calendars apply; return how many were sent.

    Side effects: saves the meeting with its SEQUENCE raised, queues the update with its .ics
    to each member and logs the activity.
    """
    with transaction.atomic():
        for name, value in changes.items():
            setattr(meeting, name, value)
        meeting.sequence += 1
        meeting.save()
        sent = _send_to_members(meeting, MessageTemplate.Key.MEETING_UPDATE, True)
        activity_log(call=meeting.track.call, actor=actor, text=f"Ændrede mødet {meeting.title}")
    return sent


def meeting_cancel(*, meeting: Meeting, actor: Any) -> int:
    """Cancel a meeting; members with a date in their calendar get the cancellation, which
    removes it. Returns how many were sent.

    Side effects: marks the meeting cancelled with its SEQUENCE raised, queues the
    cancellation with its .ics to each member (if the meeting had a date) and logs it.
    """
    with transaction.atomic():
        had_date = meeting.status == Meeting.Status.FIXED and meeting.starts_at is not None
        meeting.status = Meeting.Status.CANCELLED
        meeting.sequence += 1
        meeting.save(update_fields=["status", "sequence"])
        sent = (
            _send_to_members(meeting, MessageTemplate.Key.MEETING_CANCELLED, True)
            if had_date
            else 0
        )
        activity_log(call=meeting.track.call, actor=actor, text=f"Aflyste mødet {meeting.title}")
    return sent


POLL_REMINDER_BEFORE = timedelta(hours=48)


def polls_remind(*, now: datetime | None = None) -> int:
    """One reminder to each member who has not answered an open poll, 48 hours before it
    closes; never to those who answered. Returns how many reminders were queued.

    Side effects: queues the `poll_reminder` e-mails and marks each poll reminded.
    """
    now = now or timezone.now()
    due = DatePoll.objects.filter(
        chosen__isnull=True,
        reminded_at__isnull=True,
        closes_at__gt=now,
        closes_at__lte=now + POLL_REMINDER_BEFORE,
    ).select_related("meeting__track__call")
    templates = MailTemplates()
    sent = 0
    for poll in due:
        with transaction.atomic():
            answered = set(
                PollAnswer.objects.filter(option__poll=poll).values_list("member_id", flat=True)
            )
            for member in track_members(poll.meeting.track).exclude(pk__in=answered):
                mail_queue(
                    key=MessageTemplate.Key.POLL_REMINDER,
                    language=member.application.language,
                    to=member.application.email,
                    context=_meeting_context(member, poll.meeting)
                    | {"closes_at": timezone.localtime(poll.closes_at)},
                    templates=templates,
                )
                sent += 1
            poll.reminded_at = now
            poll.save(update_fields=["reminded_at"])
    return sent


def rsvp_set(*, meeting: Meeting, member: Decision, answer: str, reason: str = "") -> Rsvp:
    """A member's answer to a fixed meeting, replacing an earlier one.

    Side effects: writes the Rsvp. Raises PermissionDenied for a member of another track.
    """
    if member.track_id != meeting.track_id or not member.is_member:
        raise PermissionDenied
    rsvp, _created = Rsvp.objects.update_or_create(
        meeting=meeting,
        member=member,
        defaults={"answer": answer, "reason": reason, "at": timezone.now()},
    )
    return rsvp


# Sharing the travel between the in-person meetings' venues.


@dataclass(frozen=True)
class TravelProposal:
    """The venue proposal for a track's in-person meetings, with each member's travel."""

    meetings: list[Meeting]
    venue_of: dict[int, Venue]  # meeting pk → venue
    rows: list[dict]  # per member: name, km per meeting (in `meetings` order), km for the year
    worst: int
    total: int
    without_postcode: list[str]  # members left out: no Danish postcode to travel from


def travel_propose(*, track: Track, venues: list[Venue]) -> TravelProposal:
    """Propose a venue among `venues` for each of the track's in-person meetings still to come,
    so that the largest yearly travel of any member is smallest, then the total (see
    `engine.travel`). A meeting with its date and venue fixed keeps its venue and counts."""
    meetings = [
        m
        for m in track.meetings.select_related("venue").order_by("starts_at", "pk")
        if m.format != Meeting.Format.ONLINE
        and m.status not in (Meeting.Status.CANCELLED, Meeting.Status.HELD)
    ]
    candidates = {str(v.pk): v for v in venues}
    for meeting in meetings:
        if meeting.status == Meeting.Status.FIXED and meeting.venue is not None:
            candidates.setdefault(str(meeting.venue_id), meeting.venue)
    members, without = {}, []
    for member in track_members(track):
        code = member.application.postcode
        try:
            town_of(code)
        except UnknownPostcodeError:
            without.append(member.application.name)
            continue
        members[str(member.pk)] = (member.application.name, code)
    problem = TravelProblem.from_postcodes(
        members={key: code for key, (_name, code) in members.items()},
        venues={key: venue.postcode for key, venue in candidates.items()},
        meetings=tuple(str(m.pk) for m in meetings),
        fixed={
            str(m.pk): str(m.venue_id)
            for m in meetings
            if m.status == Meeting.Status.FIXED and m.venue_id is not None
        },
    )
    plan = venues_propose(problem)
    rows = [
        {
            "name": name,
            "trips": [problem.trips[key][plan.venue_of[str(m.pk)]] for m in meetings],
            "year": plan.yearly[key],
        }
        for key, (name, _code) in sorted(members.items(), key=lambda item: item[1][0])
    ]
    return TravelProposal(
        meetings=meetings,
        venue_of={m.pk: candidates[plan.venue_of[str(m.pk)]] for m in meetings},
        rows=rows,
        worst=plan.worst,
        total=plan.total,
        without_postcode=without,
    )


def travel_accept(*, track: Track, venue_of: dict[int, Venue], actor: Any) -> int:
    """Set the proposed (or changed) venue on each meeting not yet fixed; return how many.

    Side effects: saves the meetings' venues and logs the activity.
    """
    with transaction.atomic():
        changed = 0
        for meeting in track.meetings.filter(pk__in=venue_of).exclude(
            status__in=[Meeting.Status.FIXED, Meeting.Status.CANCELLED, Meeting.Status.HELD]
        ):
            meeting.venue = venue_of[meeting.pk]
            meeting.save(update_fields=["venue"])
            changed += 1
        activity_log(
            call=track.call, actor=actor, text=f"Valgte mødesteder for {changed} møder i {track}"
        )
    return changed


# After a meeting, and between meetings.


MEETING_REMINDERS = (
    ("week_reminder_at", timedelta(days=7)),
    ("day_reminder_at", timedelta(days=1)),
)


def meetings_remind(*, now: datetime | None = None) -> int:
    """Remind every member of each fixed meeting 7 days and 1 day before it, with the agenda,
    the venue and the .ics; return how many reminders were queued.

    Side effects: queues the `meeting_reminder` e-mails and marks each reminder sent.
    """
    now = now or timezone.now()
    sent = 0
    for field, ahead in (
        ("week_reminder_at", timedelta(days=7)),
        ("day_reminder_at", timedelta(days=1)),
    ):
        due = Meeting.objects.filter(
            status=Meeting.Status.FIXED,
            starts_at__gt=now,
            starts_at__lte=now + ahead,
            **{f"{field}__isnull": True},
        ).select_related("track__call", "venue")
        for meeting in due:
            with transaction.atomic():
                sent += _send_to_members(meeting, MessageTemplate.Key.MEETING_REMINDER, True)
                setattr(meeting, field, now)
                # The day's reminder makes the week's unnecessary, if both fall due together.
                if field == "day_reminder_at" and meeting.week_reminder_at is None:
                    meeting.week_reminder_at = now
                meeting.save(update_fields=["week_reminder_at", "day_reminder_at"])
    return sent


def attendance_record(*, meeting: Meeting, statuses: dict[int, str], actor: Any) -> None:
    """Record who came (member pk → in person / online / absent); the meeting is then held.

    Side effects: writes the Attendance rows, marks the meeting held and logs the activity.
    """
    members = {m.pk: m for m in track_members(meeting.track)}
    with transaction.atomic():
        for pk, status in statuses.items():
            if pk in members:
                Attendance.objects.update_or_create(
                    meeting=meeting, member=members[pk], defaults={"status": status}
                )
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status"])
        activity_log(
            call=meeting.track.call, actor=actor, text=f"Registrerede fremmøde til {meeting.title}"
        )


def attendance_overview(track: Track) -> dict:
    """The held meetings, and per member their attendance at each, the share of the held
    meetings they came to in person, and whether they missed the last two in a row."""
    held = list(track.meetings.filter(status=Meeting.Status.HELD).order_by("starts_at", "pk"))
    marks = {
        (a.meeting_id, a.member_id): a.status for a in Attendance.objects.filter(meeting__in=held)
    }
    rows = []
    for member in track_members(track):
        statuses = [marks.get((m.pk, member.pk)) for m in held]
        came = [s for s in statuses if s is not None]
        in_person = sum(1 for s in came if s == Attendance.Status.IN_PERSON)
        missed_in_a_row = any(a == b == Attendance.Status.ABSENT for a, b in pairwise(statuses))
        rows.append(
            {
                "member": member,
                "statuses": statuses,
                "in_person_share": round(100 * in_person / len(came)) if came else None,
                "missed_two_in_a_row": missed_in_a_row,
            }
        )
    return {"meetings": held, "rows": rows}


def record_save(*, meeting: Meeting, record: str, publish: bool, actor: Any) -> int:
    """Save the meeting's minutes; with `publish`, the first time, send them to the members.
    Returns how many e-mails were sent.

    Side effects: saves the record (and its publication time), queues the
    `minutes_published` e-mail to each member once, and logs the activity.
    """
    with transaction.atomic():
        meeting.record = record
        first = publish and meeting.record_published_at is None
        if first:
            meeting.record_published_at = timezone.now()
        meeting.save(update_fields=["record", "record_published_at"])
        sent = (
            _send_to_members(meeting, MessageTemplate.Key.MINUTES_PUBLISHED, False) if first else 0
        )
        activity_log(
            call=meeting.track.call, actor=actor, text=f"Gemte referatet af {meeting.title}"
        )
    return sent


def document_add(*, meeting: Meeting, title: str, file: Any, actor: Any) -> Document:
    """Attach a document to the meeting; members see it with the published minutes.

    Side effects: stores the file and the Document, and logs the activity.
    """
    with transaction.atomic():
        document = Document.objects.create(meeting=meeting, title=title, file=file)
        activity_log(call=meeting.track.call, actor=actor, text=f"Tilføjede dokumentet {title}")
    return document


def action_create(
    *,
    track: Track,
    what: str,
    owners: list[Decision],
    due: Any,
    actor: Any,
    meeting: Meeting | None = None,
) -> Action:
    """An action for the work between meetings.

    Side effects: stores the Action with its owners and logs the activity.
    """
    with transaction.atomic():
        action = Action.objects.create(track=track, meeting=meeting, what=what, due=due)
        action.owners.set(owners)
        activity_log(call=track.call, actor=actor, text=f"Ny handling: {what}")
    return action


def action_set_status(*, action: Action, status: str, member: Decision | None = None) -> None:
    """Mark an action open or done; a member may only change their own.

    Side effects: saves the action's status. Raises PermissionDenied for a member who is not
    among its owners.
    """
    if member is not None and not action.owners.filter(pk=member.pk).exists():
        raise PermissionDenied
    action.status = status
    action.save(update_fields=["status"])


# Renewal: who continues next year.


def renewal_ask(*, call: Call, actor: Any) -> int:
    """Ask every member of the call's tracks who has not been asked whether they continue next
    year; return how many were asked.

    Side effects: queues the `renewal_question` e-mail with each member's link, marks them
    asked and logs the activity.
    """
    templates = MailTemplates()
    members = (
        Decision.objects.members()
        .filter(application__call=call, renewal_asked_at__isnull=True)
        .select_related("application__call", "track")
    )
    asked = 0
    with transaction.atomic():
        for member in members:
            mail_queue(
                key=MessageTemplate.Key.RENEWAL_QUESTION,
                language=member.application.language,
                to=member.application.email,
                context=member.application.mail_context(
                    track=member.track.name, link=seat_link_current(member)
                ),
                templates=templates,
            )
            member.renewal_asked_at = timezone.now()
            member.save(update_fields=["renewal_asked_at"])
            asked += 1
        activity_log(call=call, actor=actor, text=f"Spurgte {asked} deltagere om næste år")
    return asked


def renewal_answer(*, member: Decision, continues: bool) -> None:
    """A member's answer: do they continue next year (may be changed until carried over).

    Side effects: saves the answer. Raises PermissionDenied unless the member was asked.
    """
    if not member.is_member or member.renewal_asked_at is None:
        raise PermissionDenied
    member.continues = continues
    member.save(update_fields=["continues"])


def renewal_carry(*, from_call: Call, to_call: Call, actor: Any) -> int:
    """Seat the members who continue in next year's call: each gets an application there (a
    copy of this year's, or the one they sent) locked into the track of the same name, shown on
    the board as continuing, so the composition fills only the open seats. Returns how many.

    Side effects: stores the applications (submitted, eligibility reassessed) and the
    SelectionLocks (in the track, continuing), replacing their earlier placement locks; logs.
    """
    tracks = {t.slug: t for t in to_call.tracks.all()}
    continuing = (
        Decision.objects.seats()
        .filter(application__call=from_call, continues=True)
        .select_related("application", "track")
    )
    carried = 0
    with transaction.atomic():
        for member in continuing:
            track = tracks.get(member.track.slug)
            if track is None:
                continue
            application = _next_year_application(member.application, to_call, track)
            SelectionLock.objects.filter(
                application=application,
                kind__in=[SelectionLock.Kind.IN_TRACK, SelectionLock.Kind.EXCLUDED],
            ).delete()
            SelectionLock.objects.create(
                call=to_call,
                application=application,
                kind=SelectionLock.Kind.IN_TRACK,
                track=track,
                continuing=True,
                created_by=actor,
            )
            carried += 1
        activity_log(call=to_call, actor=actor, text=f"{carried} fortsætter fra {from_call.year}")
    return carried


COPIED = (
    "person", "name", "email", "job_title", "organisation", "organisation_name", "motivation",
    "contribution", "actor_type", "role", "music_fields", "postcode", "region", "gender",
    "seniority", "language", "confirms_attendance", "confirms_own_costs", "confirms_reporting",
    "confirms_mandate", "consent_at",
)  # fmt: skip


def _next_year_application(previous: Application, call: Call, track: Track) -> Application:
    existing = Application.objects.filter(call=call, email__iexact=previous.email).first()
    if existing is not None:
        return existing
    application = Application(
        call=call,
        first_choice=track,
        state=Application.State.SUBMITTED,
        submitted_at=timezone.now(),
        **{field: getattr(previous, field) for field in COPIED},
    )
    application.new_token()
    eligibility_reassess(application=application)
    application.save()
    return application
