"""The demo of a track's year: last year's call composed, released and confirmed, with venues,
meetings, one date poll open and one meeting held with attendance, minutes and an action."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from handlespor.calls.demo import demo_create
from handlespor.calls.models import Application, Call
from handlespor.selection.decisions import decisions_release, proposal_approve, seat_confirm
from handlespor.selection.domain import proposal_start
from handlespor.selection.models import Decision, Proposal
from handlespor.selection.tasks import compose_proposal
from handlespor.trackyear import domain
from handlespor.trackyear.models import Meeting, Venue

VENUES = [
    ("Musikhuset København", "Vesterbrogade 10", "1620", "København V"),
    ("Musikhuset Aarhus", "Thomas Jensens Allé 2", "8000", "Aarhus C"),
    ("Odense Koncerthus", "Claus Bergs Gade 9", "5000", "Odense C"),
    ("Kolding Musikskole", "Slotssøvej 3", "6000", "Kolding"),
]


def demo_year_create(*, user: AbstractBaseUser, now=None) -> Call | None:
    """Last year's demo call with its year under way; None when it exists already.

    Side effects: stores the call and its applications (see `demo_create`), runs the engine,
    approves and releases the decisions (their e-mails go to the outbox), confirms most seats,
    and stores venues, meetings, a poll with answers, attendance, minutes and an action.
    """
    now = now or timezone.now()
    call = demo_create(
        seed=2026,
        organisations=40,
        applications=90,
        now=now - timedelta(days=365),
        reporting=False,
    )
    if call is None:
        return None
    Application.objects.filter(call=call).update(eligibility=Application.Eligibility.ELIGIBLE)
    proposal = proposal_start(call=call, user=user, name="Demo")
    if Proposal.objects.get(pk=proposal.pk).status != Proposal.Status.DONE:
        compose_proposal.call(proposal.pk)  # without a worker, run it here
    proposal.refresh_from_db()
    proposal_approve(proposal=proposal, user=user)
    decisions_release(call=call, user=user)
    seats = list(Decision.objects.filter(application__call=call, outcome="selected"))
    for decision in seats[1:]:  # one seat still waits for its answer
        seat_confirm(decision=decision)
    venues = [
        Venue.objects.get_or_create(
            name=name,
            defaults={"address": address, "postcode": postcode, "town": town, "step_free": True},
        )[0]
        for name, address, postcode, town in VENUES
    ]
    for track in call.tracks.order_by("position"):
        first = domain.meeting_create(
            track=track,
            actor=user,
            title="Opstartsmøde",
            agenda="1. Velkommen og præsentation\n2. Årets plan\n3. Arbejdsgrupper",
            format=Meeting.Format.HYBRID,
            duration=240,
        )
        first.starts_at = now - timedelta(days=30)
        first.venue = venues[track.position % len(venues)]
        first.status = Meeting.Status.FIXED
        first.save()
        second = domain.meeting_create(
            track=track, actor=user, title="Andet møde", agenda="Status på handlingerne",
            duration=180,
        )  # fmt: skip
        if track.position != 0:
            continue
        domain.year_purpose_set(
            track=track,
            text="Vi samler viden om trivsel i musiklivet og peger på **tre konkrete tiltag**.",
            actor=user,
        )
        members = list(domain.track_members(track))
        domain.attendance_record(
            meeting=first,
            statuses={
                m.pk: ("online" if i % 4 == 3 else "in_person") for i, m in enumerate(members)
            },
            actor=user,
        )
        domain.record_save(
            meeting=first,
            record="## Referat\n\nVi aftalte årets tre temaer og nedsatte to arbejdsgrupper.",
            publish=True,
            actor=user,
        )
        domain.action_create(
            track=track, what="Udkast til anbefalinger om trivsel", owners=members[:2],
            due=(now + timedelta(days=20)).date(), actor=user, meeting=first,
        )  # fmt: skip
        start = (now + timedelta(days=42)).replace(hour=16, minute=0, second=0, microsecond=0)
        poll = domain.poll_open(
            meeting=second,
            options=[start + timedelta(days=d) for d in (0, 1, 7, 8)],
            closes_at=now + timedelta(days=10),
            actor=user,
        )
        options = list(poll.options.all())
        for i, member in enumerate(members[:5]):
            domain.poll_answer(
                poll=poll,
                member=member,
                answers={o.pk: ("yes", "maybe", "no")[(i + k) % 3] for k, o in enumerate(options)},
            )
    return call
