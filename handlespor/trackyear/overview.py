"""The secretariat's overview of every track's year, and the exports: read only."""

from __future__ import annotations

from collections import Counter, defaultdict

from handlespor.calls.models import Call
from handlespor.downloads import formula_safe, table_csv, table_xlsx
from handlespor.selection.models import Decision
from handlespor.trackyear.models import Action, Attendance, Meeting

MEMBER_COLUMNS = ("Handlespor", "Navn", "Organisation", "E-mail", "Plads", "Svarfrist")


def seats_of(call: Call) -> list[Decision]:
    """Every released seat of the call, track by track."""
    return list(
        Decision.objects.filter(
            application__call=call,
            outcome=Decision.Outcome.SELECTED,
            released_at__isnull=False,
        )
        .select_related("application__organisation", "track")
        .order_by("track__position", "application__name")
    )


def year_overview(call: Call) -> list[dict]:
    """Per track: its seats by state, its meetings by status, the in-person share of the
    attendance recorded, the open actions, and the meetings still without a date or venue."""
    seats: dict[int, Counter] = defaultdict(Counter)
    for decision in seats_of(call):
        seats[decision.track_id][decision.seat_state] += 1
    meetings: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in Meeting.objects.filter(track__call=call).order_by("starts_at", "pk"):
        meetings[meeting.track_id].append(meeting)
    attendance: dict[int, Counter] = defaultdict(Counter)
    for track_id, status in Attendance.objects.filter(meeting__track__call=call).values_list(
        "meeting__track_id", "status"
    ):
        attendance[track_id][status] += 1
    open_actions = Counter(
        Action.objects.filter(track__call=call, status=Action.Status.OPEN).values_list(
            "track_id", flat=True
        )
    )
    rows = []
    for track in call.tracks.order_by("position"):
        own = meetings[track.pk]
        marks = attendance[track.pk]
        recorded = sum(marks.values())
        live = [m for m in own if m.status != Meeting.Status.CANCELLED]
        statuses = Counter(m.status for m in own)
        rows.append(
            {
                "track": track,
                "seats": {state: seats[track.pk][state] for state in Decision.SeatState.values},
                "seat_labels": [
                    (state.label, seats[track.pk][state])
                    for state in Decision.SeatState
                    if seats[track.pk][state]
                ],
                "meetings": dict(statuses),
                "meeting_labels": [
                    (status.label, statuses[status])
                    for status in Meeting.Status
                    if statuses[status]
                ],
                "in_person_share": round(100 * marks[Attendance.Status.IN_PERSON] / recorded)
                if recorded
                else None,
                "open_actions": open_actions[track.pk],
                "without_date": [m for m in live if m.starts_at is None],
                "without_venue": [
                    m
                    for m in live
                    if m.venue_id is None
                    and m.format != Meeting.Format.ONLINE
                    and m.status != Meeting.Status.HELD
                ],
            }
        )
    return rows


def _member_rows(call: Call) -> list[list[str]]:
    rows = []
    for d in seats_of(call):
        cells = [
            d.track.name,
            d.application.name,
            d.application.organisation_display,
            d.application.email,
            d.get_seat_state_display(),
            f"{d.answer_by:%Y-%m-%d}" if d.answer_by else "",
        ]
        rows.append([formula_safe(str(c)) for c in cells])
    return rows


def members_csv(call: Call) -> bytes:
    return table_csv(MEMBER_COLUMNS, _member_rows(call))


def members_xlsx(call: Call) -> bytes:
    return table_xlsx("Deltagere", MEMBER_COLUMNS, _member_rows(call))
