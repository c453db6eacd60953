"""Decisions: approving a proposal, previewing the decision e-mails, releasing them; the seats
that follow (confirmed, declined, unanswered, left) and the offers to the waiting list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, override

from handlespor.calls.models import Application, Call, Track
from handlespor.links import hash_token
from handlespor.mail.domain import MailTemplates, outbox_enqueue
from handlespor.mail.models import MessageTemplate, OutboxMessage
from handlespor.selection.domain import activity_log
from handlespor.selection.lottery import chances_by_applicant
from handlespor.selection.models import Decision, Lottery, Proposal

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


def seat_link(token: str) -> str:
    """The address of a seat's private link: where the person confirms or declines, and their
    member page once they have confirmed."""
    return settings.SITE_URL + reverse("trackyear:member", args=[token])


def seat_link_current(decision: Decision) -> str:
    """The seat's link as last e-mailed, so earlier e-mails keep working; a new one (saved)
    only when it cannot be derived, e.g. under another secret key."""
    token = decision.current_seat_token()
    if token is None:
        token = decision.new_seat_token()
        decision.save(update_fields=["seat_token_nonce", "seat_token_hash"])
    return seat_link(token)


def _answer_by(call: Call, now: datetime) -> datetime:
    """The end of the day (Danish time) `seat_answer_days` days from now."""
    day = timezone.localtime(now).date() + timedelta(days=call.seat_answer_days)
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def _decision_context(
    decision: Decision, link: str | None = None, chance: float | None = None
) -> dict:
    """What a decision or offer e-mail may say, beside what every e-mail may; the seat's link
    and answer deadline for a seat (a placeholder link in the preview, before it exists), and
    when the decisions come from a lottery, the person's chance in it ("32,9 %")."""
    track = decision.track
    language = decision.application.language
    with override(language):
        placeholder = gettext("[dit personlige link sættes ind, når afgørelsen sendes]")
        chance_text = "" if chance is None else f"{number_format(100 * chance, 1)} %"
    return decision.application.mail_context(
        track=track.name if track else "",
        place=decision.waiting_position or "",
        meeting_plan=track.meeting_plan if track else "",
        link=link or placeholder,
        chance=chance_text,
        # Before the release (the preview), the deadline a release now would give.
        answer_by=timezone.localtime(
            decision.answer_by or _answer_by(decision.application.call, timezone.now())
        ),
    )


def _with_link(body: str, link: str, language: str) -> str:
    """A seat e-mail always carries its link, also when an edited template left it out."""
    if link in body:
        return body
    with override(language):
        line = gettext("Bekræft eller afslå pladsen her: %(link)s") % {"link": link}
    return f"{body.rstrip()}\n\n{line}\n"


def _lottery_chances(decisions: Iterable[Decision]) -> dict[str, float]:
    """Each applicant's chance (0..1) in the lotteries whose draws the decisions come from
    (none when they come from a composition)."""
    proposals = {decision.proposal_id for decision in decisions}
    found = {}
    for lottery in Lottery.objects.filter(proposal__in=proposals):
        for applicant, chance in chances_by_applicant(lottery.result).items():
            found[applicant] = chance["chance"]
    return found


def decisions_render(*, call: Call, links: dict[int, str] | None = None) -> list[Rendered]:
    """Every pending decision e-mail exactly as it will be sent; `links` holds each seat's
    link by decision, which exists once the decisions are released."""
    templates = MailTemplates()
    pending = (
        Decision.objects.filter(application__call=call, released_at__isnull=True)
        .select_related("application__call", "track")
        .order_by("outcome", "track__position", "waiting_position", "application__name")
    )
    rendered = []
    chances = _lottery_chances(pending)
    for decision in pending:
        application = decision.application
        link = (links or {}).get(decision.pk)
        subject, body = templates.render(
            key=TEMPLATE_FOR[decision.outcome],
            language=application.language,
            context=_decision_context(decision, link, chances.get(str(application.pk))),
        )
        if link:
            body = _with_link(body, link, application.language)
        rendered.append(
            Rendered(decision=decision, to=application.email, subject=subject, body=body)
        )
    return rendered


def decisions_release(*, call: Call, user: AbstractBaseUser) -> int:
    """Queue every pending decision e-mail; each decision is released once. A selected person's
    e-mail asks them to confirm their seat from its private link by the answer deadline.

    Side effects: gives each selected decision its seat link and answer deadline; stores one
    OutboxMessage per pending decision (sent after commit, retried by the outbox while the SMTP
    server is down), marks the decisions released and logs the activity. Returns how many were
    released.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = list(
            Decision.objects.select_for_update().filter(
                application__call=call, released_at__isnull=True
            )
        )
        links = {}
        for decision in locked:
            if decision.outcome == Decision.Outcome.SELECTED:
                links[decision.pk] = seat_link(decision.new_seat_token())
                decision.answer_by = _answer_by(call, now)
        Decision.objects.bulk_update(locked, ["seat_token_nonce", "seat_token_hash", "answer_by"])
        rendered = decisions_render(call=call, links=links)
        messages = [outbox_enqueue(to=r.to, subject=r.subject, body=r.body) for r in rendered]
        for item, message in zip(rendered, messages, strict=True):
            item.decision.released_at, item.decision.message = now, message
        Decision.objects.bulk_update([r.decision for r in rendered], ["released_at", "message"])
        activity_log(call=call, actor=user, text=f"Sendte {len(rendered)} afgørelser")
    return len(rendered)


def _replacement_for(decision: Decision) -> Decision | None:
    """The person on the seat's waiting list who keeps the group's balance best (the decision
    itself no longer counts as seated), or None when the list is empty."""
    from handlespor.engine import Explainer
    from handlespor.selection.instance import instance_for_call

    call, track = decision.application.call, decision.track
    seated = Decision.objects.filter(
        application__call=call,
        outcome=Decision.Outcome.SELECTED,
        left_at__isnull=True,
        declined_at__isnull=True,
    ).exclude(pk=decision.pk)
    assignment = {str(t.pk): () for t in call.tracks.all()}
    for row in seated.values_list("track_id", "application_id"):
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


def participant_leave(*, decision: Decision, user: AbstractBaseUser) -> Decision | None:
    """Mark a selected participant as having left, and propose who should take the seat: the
    person on that track's waiting list who keeps the group's balance best.

    Side effects: sets the decision's leaving time and logs the activity. Returns the waiting
    list decision proposed as replacement, or None when the list is empty.
    """
    with transaction.atomic():
        decision.left_at = timezone.now()
        decision.save(update_fields=["left_at"])
        activity_log(
            call=decision.application.call,
            actor=user,
            text=f"{decision.application.name} forlod {decision.track.name}",
        )
    return _replacement_for(decision)


def _seat_mail(
    decision: Decision, key: str, link: str, templates: MailTemplates | None = None
) -> OutboxMessage:
    """Queue a seat e-mail (offer or reminder) with its link, in the person's language."""
    application = decision.application
    subject, body = (templates or MailTemplates()).render(
        key=key, language=application.language, context=_decision_context(decision, link)
    )
    body = _with_link(body, link, application.language)
    return outbox_enqueue(to=application.email, subject=subject, body=body)


def seat_offer(*, decision: Decision, user: AbstractBaseUser | None) -> None:
    """Offer a free seat to someone on the waiting list.

    Side effects: the decision becomes "selected" for its track with a new seat link and answer
    deadline; the offer e-mail, which asks them to confirm from that link, is queued in the
    outbox (sent after commit); the activity is logged (`user` None: the system offered it).
    """
    application, call = decision.application, decision.application.call
    now = timezone.now()
    with transaction.atomic():
        link = seat_link(decision.new_seat_token())
        decision.outcome, decision.waiting_position = Decision.Outcome.SELECTED, None
        decision.offered_at = decision.released_at = now
        decision.answer_by = _answer_by(call, now)
        decision.confirmed_at = decision.declined_at = decision.reminded_at = None
        decision.declined_silently = False
        decision.message = _seat_mail(decision, MessageTemplate.Key.SEAT_OFFER, link)
        decision.save()
        activity_log(
            call=call,
            actor=user,
            text=f"Tilbød {application.name} en plads i {decision.track.name}",
        )


def seat_get_by_token(*, token: str) -> Decision | None:
    """The released "selected" decision a seat link points to, or None."""
    if not token:
        return None
    return (
        Decision.objects.select_related("application__call", "application__organisation", "track")
        .filter(
            seat_token_hash=hash_token(token),
            outcome=Decision.Outcome.SELECTED,
            released_at__isnull=False,
        )
        .first()
    )


def seat_confirm(*, decision: Decision) -> bool:
    """Confirm an offered seat: the person becomes a member of the track for its year. Returns
    whether it was confirmed now (False when the seat was not open to an answer).

    Side effects: sets the confirmation time and logs the activity.
    """
    with transaction.atomic():
        fresh = Decision.objects.select_for_update().get(pk=decision.pk)
        if fresh.seat_state != Decision.SeatState.OFFERED:
            return False
        decision.confirmed_at = timezone.now()
        decision.save(update_fields=["confirmed_at"])
        activity_log(
            call=decision.application.call,
            actor=None,
            text=f"{decision.application.name} bekræftede sin plads i {decision.track.name}",
        )
    return True


def _give_up_seat(decision: Decision, field: str, text: str, **extra: object) -> Decision | None:
    """Mark the seat given up (`field` set to now) and offer it to the waiting list's best
    balance-keeping applicant; return that offer's decision, or None (nobody waiting)."""
    with transaction.atomic():
        fresh = Decision.objects.select_for_update().get(pk=decision.pk)
        if getattr(fresh, field) is not None or fresh.left_at or fresh.declined_at:
            return None
        setattr(decision, field, timezone.now())
        for name, value in extra.items():
            setattr(decision, name, value)
        decision.save(update_fields=[field, *extra])
        activity_log(call=decision.application.call, actor=None, text=text)
        replacement = _replacement_for(decision)
        if replacement is not None:
            seat_offer(decision=replacement, user=None)
    return replacement


def seat_decline(*, decision: Decision, silently: bool = False) -> Decision | None:
    """Decline an offered seat (`silently`: no answer by the deadline); the seat goes to the
    waiting list. Returns the decision of the person now offered the seat, or None.

    Side effects: sets the decline time, logs the activity, and offers the seat (see
    `seat_offer`) to the waiting list's best balance-keeping applicant.
    """
    if decision.seat_state != Decision.SeatState.OFFERED:
        return None
    name, track = decision.application.name, decision.track.name
    text = (
        f"{name} svarede ikke inden fristen; pladsen i {track} går videre"
        if silently
        else f"{name} takkede nej til pladsen i {track}"
    )
    return _give_up_seat(decision, "declined_at", text, declined_silently=silently)


def seat_leave(*, decision: Decision) -> Decision | None:
    """A member leaves their track from their member page; the seat goes to the waiting list.
    Returns the decision of the person now offered the seat, or None.

    Side effects: sets the leaving time, logs the activity, and offers the seat (see
    `seat_offer`) to the waiting list's best balance-keeping applicant.
    """
    if decision.seat_state != Decision.SeatState.CONFIRMED:
        return None
    text = f"{decision.application.name} forlod {decision.track.name}"
    return _give_up_seat(decision, "left_at", text)


REMIND_BEFORE = timedelta(days=2)


def seats_remind_and_expire(*, now: datetime | None = None) -> tuple[int, int]:
    """One reminder to each offered seat whose answer deadline is less than two days away, and
    the seats whose deadline has passed given up. Returns (reminded, expired).

    Side effects: queues the reminders (`seat_reminder`) and marks them sent; see
    `seat_decline` for each seat that expired.
    """
    now = now or timezone.now()
    offered = (
        Decision.objects.seats()
        .filter(confirmed_at__isnull=True, answer_by__isnull=False)
        .select_related("application__call", "track")
    )
    expired = 0
    for decision in offered.filter(answer_by__lte=now):
        seat_decline(decision=decision, silently=True)
        expired += 1
    reminded = 0
    templates = MailTemplates()
    for decision in offered.filter(
        answer_by__gt=now, answer_by__lte=now + REMIND_BEFORE, reminded_at__isnull=True
    ):
        with transaction.atomic():
            link = seat_link_current(decision)
            _seat_mail(decision, MessageTemplate.Key.SEAT_REMINDER, link, templates)
            decision.reminded_at = now
            decision.save(update_fields=["reminded_at"])
        reminded += 1
    return reminded, expired
