"""Workflows of personal data over time: erasure on request, anonymisation, retention."""

from __future__ import annotations

import logging
import re
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from handlespor.calls.models import Application, ApplicationEvent, Call
from handlespor.inbox.models import InboundMessage
from handlespor.links import hash_token
from handlespor.mail.models import OutboxMessage
from handlespor.partners.models import Person
from handlespor.privacy.models import RetentionRun
from handlespor.selection.models import Activity, Conflict, Proposal, ProposalComment, Review

log = logging.getLogger(__name__)
ANONYMOUS = "Anonymiseret"


def _months_before(now: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the month's last day when the
    day does not exist then)."""
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    month += 1
    for day in (now.day, 30, 29, 28):
        try:
            return now.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _without_names(value: Any, pattern: re.Pattern[str] | None) -> Any:
    """A JSON value with every name of `pattern` replaced, and "name" fields replaced whole."""
    if pattern is None:
        return value
    if isinstance(value, str):
        return pattern.sub(ANONYMOUS, value)
    if isinstance(value, list):
        return [_without_names(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _without_names(item, pattern) for key, item in value.items()}
    return value


def _name_pattern(names: set[str]) -> re.Pattern[str] | None:
    names = {n for n in names if n and n != ANONYMOUS}
    if not names:
        return None
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))


def _scrub_call_texts(call: Call, names: set[str]) -> None:
    """Names out of what staff and the engine wrote about the call: proposals' results,
    activity and comments."""
    pattern = _name_pattern(names)
    if pattern is None:
        return
    for proposal in Proposal.objects.filter(call=call, result__isnull=False):
        proposal.result = _without_names(proposal.result, pattern)
        proposal.save(update_fields=["result"])
    for activity in Activity.objects.filter(call=call):
        text = pattern.sub(ANONYMOUS, activity.text)
        if text != activity.text:
            Activity.objects.filter(pk=activity.pk).update(text=text)
    for comment in ProposalComment.objects.filter(proposal__call=call):
        text = pattern.sub(ANONYMOUS, comment.text)
        if text != comment.text:
            ProposalComment.objects.filter(pk=comment.pk).update(text=text)


def _forget_person(person: Person | None) -> None:
    """A person known only because they applied goes with their last application."""
    if person is None or person.contact or person.user_id:
        return
    if not person.applications.exists():
        person.delete()


def _forget_mail(application: Application) -> None:
    InboundMessage.objects.filter(application=application).delete()
    if application.email:
        OutboxMessage.objects.filter(to__iexact=application.email).delete()


def application_anonymise(
    *, application: Application, actor: Any = None, scrub: bool = True
) -> None:
    """Remove everything that points to the person, keep what the statistics need: the call,
    tracks, state, channel, decision, region, gender, seniority, actor type, role and fields.

    Side effects: blanks name, e-mail, title, organisation, postcode and texts; kills the private
    link; unlinks and (when known only from applying) deletes the person; deletes the
    application's events (one "anonymised" event remains), its e-mails in and out, review
    comments and conflict reasons; with `scrub`, replaces the name in the call's proposals,
    activity and comments.
    """
    with transaction.atomic():
        name, person = application.name, application.person
        _forget_mail(application)
        Review.objects.filter(application=application).update(comment="")
        Conflict.objects.filter(application=application).update(reason="")
        application.events.all().delete()
        application.name = ANONYMOUS
        application.email = ""
        application.job_title = ""
        application.organisation = None
        application.organisation_name = ""
        application.motivation = ""
        application.contribution = ""
        application.postcode = ""
        application.eligibility_reasons = []
        application.text_cut_from = None
        application.token_hash = hash_token(secrets.token_urlsafe(32))
        application.token_nonce = ""
        application.submission_key = ""
        application.person = None
        application.anonymised_at = timezone.now()
        application.save()
        ApplicationEvent.objects.create(
            application=application, kind=ApplicationEvent.Kind.ANONYMISED, actor=actor
        )
        _forget_person(person)
        if scrub:
            _scrub_call_texts(application.call, {name})


def application_erase(*, application: Application) -> None:
    """Delete the application and what came with it, as if it had never been sent.

    Side effects: deletes the application with its events, reviews, conflicts, locks and
    decision; its e-mails in and out; the person when known only from applying; replaces the
    name in the call's proposals, activity and comments.
    """
    with transaction.atomic():
        name, person, call = application.name, application.person, application.call
        _forget_mail(application)
        application.delete()
        _forget_person(person)
        _scrub_call_texts(call, {name})


class ErasureAfterDeadline(Exception):
    """After the deadline the secretariat confirms an erasure."""


def erasure_request(*, application: Application, now: datetime | None = None) -> bool:
    """The applicant asks to be forgotten: before the deadline the application is erased at
    once (True); after it, the request waits for the secretariat (False).

    Side effects: erases (see application_erase), or records the request time with an
    "erasure requested" event.
    """
    if application.call.is_open(now) or application.is_incomplete:
        application_erase(application=application)
        return True
    with transaction.atomic():
        if application.erasure_requested_at is None:
            application.erasure_requested_at = now or timezone.now()
            application.save(update_fields=["erasure_requested_at", "updated_at"])
            ApplicationEvent.objects.create(
                application=application,
                kind=ApplicationEvent.Kind.ERASURE_REQUESTED,
                by_applicant=True,
            )
    return False


def erasure_confirm(*, application: Application, actor: Any) -> None:
    """The secretariat carries out an erasure asked for after the deadline: the application is
    anonymised, so the counts of the selection stay true.

    Side effects: see application_anonymise.
    """
    application_anonymise(application=application, actor=actor)


@dataclass
class RetentionPlan:
    """What is due: applications to anonymise per call, e-mails to delete."""

    applications: dict[Call, list[int]] = field(default_factory=dict)
    inbound: list[int] = field(default_factory=list)
    outbox: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "applications": sum(len(ids) for ids in self.applications.values()),
            "calls": len(self.applications),
            "raw_emails": len(self.inbound),
            "sent_emails": len(self.outbox),
        }


def retention_plan(*, now: datetime | None = None) -> RetentionPlan:
    """What retention would do now: the applications of calls whose decisions were sent more
    than the call's (or RETENTION_MONTHS) months ago, or, with nothing sent, whose deadline
    passed that long ago; raw e-mails received and e-mails sent more than MAIL_RETENTION_MONTHS
    ago."""
    now = now or timezone.now()
    plan = RetentionPlan()
    released = Call.objects.annotate(released=Max("applications__decision__released_at"))
    for call in released:
        months = call.retention_months or settings.RETENTION_MONTHS
        since = call.released or call.deadline
        if since > _months_before(now, months):
            continue
        ids = list(
            Application.objects.filter(call=call, anonymised_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
        if ids:
            plan.applications[call] = ids
    mail_before = _months_before(now, settings.MAIL_RETENTION_MONTHS)
    plan.inbound = list(
        InboundMessage.objects.filter(received_at__lt=mail_before).values_list("pk", flat=True)
    )
    plan.outbox = list(
        OutboxMessage.objects.filter(
            Q(sent_at__lt=mail_before) | Q(sent_at__isnull=True, created_at__lt=mail_before)
        ).values_list("pk", flat=True)
    )
    return plan


def retention_run(*, apply: bool, now: datetime | None = None) -> RetentionRun:
    """Find what is due and, with `apply`, do it; either way record and log the run.

    Side effects: with apply, anonymises the due applications (application_anonymise, the call's
    texts scrubbed once per call), deletes the due raw e-mails with their attachments and the
    due sent e-mails; stores a RetentionRun with the counts; logs one line.
    """
    plan = retention_plan(now=now)
    counts = plan.counts()
    detail = [
        {"call": call.year, "applications": len(ids)} for call, ids in plan.applications.items()
    ]
    if apply:
        for call, ids in plan.applications.items():
            with transaction.atomic():
                names = set()
                for application in Application.objects.filter(pk__in=ids).select_related(
                    "person", "call"
                ):
                    names.add(application.name)
                    application_anonymise(application=application, scrub=False)
                _scrub_call_texts(call, names)
        InboundMessage.objects.filter(pk__in=plan.inbound).delete()
        OutboxMessage.objects.filter(pk__in=plan.outbox).delete()
    run = RetentionRun.objects.create(applied=apply, counts=counts, detail=detail)
    log.info(
        "Retention %s: %s",
        "applied" if apply else "dry run",
        ", ".join(f"{key} {value}" for key, value in Counter(counts).items()),
    )
    return run
