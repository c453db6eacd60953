"""Decisions: approving a proposal, previewing the decision e-mails, releasing them."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from handlespor.calls.models import Application, Call, Track
from handlespor.mail.domain import MailTemplates, mail_queue, outbox_enqueue
from handlespor.mail.models import MessageTemplate
from handlespor.selection.domain import activity_log
from handlespor.selection.models import Decision, Proposal

TEMPLATE_FOR = {
    Decision.Outcome.SELECTED: MessageTemplate.Key.SELECTED,
    Decision.Outcome.WAITING: MessageTemplate.Key.WAITING,
    Decision.Outcome.NOT_SELECTED: MessageTemplate.Key.NOT_SELECTED,
}


class DecisionsReleasedError(Exception):
    """The call's decisions have gone out already; they cannot be replaced."""


@dataclass(frozen=True)
class Rendered:
    decision: Decision
    to: str
    subject: str
    body: str


def proposal_approve(*, proposal: Proposal, user: AbstractBaseUser) -> int:
    """Turn a finished proposal into pending decisions for every submitted application of the
    call: selected (with track), waiting list (track and place; the best-ranked track whose
    list they are on), or not selected. Returns how many decisions were made.

    Side effects: replaces earlier pending decisions of the call and logs the activity.
    Raises DecisionsReleasedError once any decision of the call has been released.
    """
    call = proposal.call
    result = proposal.result or {}
    tracks = {str(t.pk): t for t in call.tracks.all()}
    selected = {
        int(m["applicant"]): tracks[t["track"]] for t in result["tracks"] for m in t["members"]
    }
    waiting: dict[int, list[tuple[Track, int]]] = {}
    for t in result["tracks"]:
        for entry in t["waiting_list"]:
            waiting.setdefault(int(entry["applicant"]), []).append(
                (tracks[t["track"]], entry["position"])
            )
    with transaction.atomic():
        if Decision.objects.filter(application__call=call, released_at__isnull=False).exists():
            raise DecisionsReleasedError
        Decision.objects.filter(application__call=call).delete()
        applications = Application.objects.filter(call=call, state=Application.State.SUBMITTED)
        decisions = []
        for application in applications:
            decision = Decision(application=application, proposal=proposal, decided_by=user)
            if application.pk in selected:
                decision.outcome, decision.track = (
                    Decision.Outcome.SELECTED,
                    selected[application.pk],
                )
            elif application.pk in waiting:
                by_rank = sorted(
                    waiting[application.pk],
                    key=lambda tp: (
                        application.preferences.index(tp[0])
                        if tp[0] in application.preferences
                        else 9
                    ),
                )
                decision.outcome = Decision.Outcome.WAITING
                decision.track, decision.waiting_position = by_rank[0]
            else:
                decision.outcome = Decision.Outcome.NOT_SELECTED
            decisions.append(decision)
        Decision.objects.bulk_create(decisions)
        activity_log(
            call=call,
            actor=user,
            text=f"Godkendte forslag {proposal.pk}: {len(decisions)} afgørelser",
        )
    return len(decisions)


def _decision_context(decision: Decision) -> dict:
    """What a decision or offer e-mail may say, beside what every e-mail may."""
    track = decision.track
    return decision.application.mail_context(
        track=track.name if track else "",
        place=decision.waiting_position or "",
        meeting_plan=track.meeting_plan if track else "",
    )


def decisions_render(*, call: Call) -> list[Rendered]:
    """Every pending decision e-mail exactly as it will be sent."""
    templates = MailTemplates()
    pending = (
        Decision.objects.filter(application__call=call, released_at__isnull=True)
        .select_related("application__call", "track")
        .order_by("outcome", "track__position", "waiting_position", "application__name")
    )
    rendered = []
    for decision in pending:
        application = decision.application
        subject, body = templates.render(
            key=TEMPLATE_FOR[decision.outcome],
            language=application.language,
            context=_decision_context(decision),
        )
        rendered.append(
            Rendered(decision=decision, to=application.email, subject=subject, body=body)
        )
    return rendered


def decisions_release(*, call: Call, user: AbstractBaseUser) -> int:
    """Queue every pending decision e-mail; each decision is released once.

    Side effects: stores one OutboxMessage per pending decision (sent after commit, retried
    by the outbox while the SMTP server is down), marks the decisions released and logs the
    activity. Returns how many were released.
    """
    with transaction.atomic():
        rendered = decisions_render(call=call)
        locked = set(
            Decision.objects.select_for_update()
            .filter(pk__in=[r.decision.pk for r in rendered], released_at__isnull=True)
            .values_list("pk", flat=True)
        )
        rendered = [r for r in rendered if r.decision.pk in locked]
        messages = [outbox_enqueue(to=r.to, subject=r.subject, body=r.body) for r in rendered]
        now = timezone.now()
        for item, message in zip(rendered, messages, strict=True):
            item.decision.released_at, item.decision.message = now, message
        Decision.objects.bulk_update([r.decision for r in rendered], ["released_at", "message"])
        activity_log(call=call, actor=user, text=f"Sendte {len(rendered)} afgørelser")
    return len(rendered)


def participant_leave(*, decision: Decision, user: AbstractBaseUser) -> Decision | None:
    """Mark a selected participant as having left, and propose who should take the seat: the
    person on that track's waiting list who keeps the group's balance best.

    Side effects: sets the decision's leaving time and logs the activity. Returns the waiting
    list decision proposed as replacement, or None when the list is empty.
    """
    from handlespor.engine import Explainer
    from handlespor.selection.instance import instance_for_call

    call, track = decision.application.call, decision.track
    with transaction.atomic():
        decision.left_at = timezone.now()
        decision.save(update_fields=["left_at"])
        activity_log(call=call, actor=user, text=f"{decision.application.name} forlod {track.name}")
    active = Decision.objects.filter(
        application__call=call, outcome=Decision.Outcome.SELECTED, left_at__isnull=True
    )
    assignment = {str(t.pk): () for t in call.tracks.all()}
    for row in active.values_list("track_id", "application_id"):
        assignment[str(row[0])] += (str(row[1]),)
    assignment[str(track.pk)] += (str(decision.application_id),)
    waiting = Decision.objects.filter(
        application__call=call, outcome=Decision.Outcome.WAITING, track=track, left_at__isnull=True
    )
    among = {str(pk) for pk in waiting.values_list("application_id", flat=True)}
    instance = instance_for_call(call=call)
    # The waiting list may hold people the engine would not seat (e.g. a partner check that
    # came later), so the replacement is sought among them only.
    chosen = Explainer(instance, assignment).replacement(
        str(track.pk), str(decision.application_id), among=among
    )
    return waiting.filter(application_id=int(chosen)).first() if chosen else None


def seat_offer(*, decision: Decision, user: AbstractBaseUser) -> None:
    """Offer a free seat to someone on the waiting list.

    Side effects: the decision becomes "selected" for its track, the offer e-mail is queued in
    the outbox (sent after commit) and the activity is logged.
    """
    application, call = decision.application, decision.application.call
    with transaction.atomic():
        message = mail_queue(
            key=MessageTemplate.Key.SEAT_OFFER,
            language=application.language,
            to=application.email,
            context=_decision_context(decision),
        )
        decision.outcome, decision.waiting_position = Decision.Outcome.SELECTED, None
        decision.offered_at = decision.released_at = timezone.now()
        decision.message = message
        decision.save()
        activity_log(
            call=call,
            actor=user,
            text=f"Tilbød {application.name} en plads i {decision.track.name}",
        )
