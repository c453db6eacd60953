"""Workflows of the open call: setting up a call, applying, editing, withdrawing."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from handlespor.attributes import GEOGRAPHIC_REGIONS, region_for_postcode
from handlespor.calls.models import Application, ApplicationEvent, Call, Target, Track
from handlespor.links import hash_token
from handlespor.mail.domain import mail_queue
from handlespor.partners.models import Organisation, Person
from handlespor.reporting.models import Round

# The fields of an application that the applicant fills in and may later edit.
APPLICANT_FIELDS = (
    "name",
    "job_title",
    "organisation",
    "organisation_name",
    "first_choice",
    "second_choice",
    "motivation",
    "contribution",
    "actor_type",
    "role",
    "music_fields",
    "postcode",
    "region",
    "gender",
    "seniority",
    "confirms_attendance",
    "confirms_own_costs",
    "confirms_reporting",
    "confirms_mandate",
)

# BRIEF §4: (attribute, kind, values, amount, only where possible).
DEFAULT_TARGETS: tuple[tuple[str, str, list[str], str, bool], ...] = (
    ("gender", Target.Kind.MIN_SHARE, ["Kvinde"], "40", False),
    ("gender", Target.Kind.MIN_SHARE, ["Mand"], "40", False),
    ("region", Target.Kind.MIN_DISTINCT, list(GEOGRAPHIC_REGIONS), "3", False),
    ("region", Target.Kind.MAX_SHARE, ["Hovedstaden"], "50", False),
    ("seniority", Target.Kind.MIN_COUNT, ["0–5 år"], "1", False),
    ("seniority", Target.Kind.MIN_COUNT, ["Over 20 år"], "1", False),
    ("seniority", Target.Kind.MAX_SHARE_EACH, [], "50", False),
    ("actor_type", Target.Kind.MIN_DISTINCT, [], "4", False),
    ("actor_type", Target.Kind.MAX_SHARE_EACH, [], "33.334", False),
    ("music_fields", Target.Kind.MIN_COUNT, ["Rytmisk"], "1", True),
    ("music_fields", Target.Kind.MIN_COUNT, ["Klassisk/kompositionsmusik"], "1", True),
)


class CallClosedError(Exception):
    """The call does not take applications or changes now."""


@dataclass(frozen=True)
class SubmitResult:
    application: Application
    created: bool


def call_create_with_defaults(
    *,
    year: int,
    title: str,
    opens_at: datetime,
    deadline: datetime,
    tracks: list[dict[str, Any]],
    intro: str = "",
) -> Call:
    """Create a call with its tracks and the default representation targets.

    Side effects: stores the Call, its Tracks (given as dicts of Track fields) and one Target
    per default of BRIEF §4 that applies to all tracks.
    """
    with transaction.atomic():
        call = Call.objects.create(
            year=year,
            title=title,
            intro=intro,
            opens_at=opens_at,
            deadline=deadline,
            required_reporting_year=reporting_year_required(opens_at),
        )
        for position, fields in enumerate(tracks):
            Track.objects.create(call=call, position=position, **fields)
        Target.objects.bulk_create(
            Target(
                call=call,
                attribute=attribute,
                kind=kind,
                values=values,
                amount=Decimal(amount),
                only_where_possible=where_possible,
            )
            for attribute, kind, values, amount, where_possible in DEFAULT_TARGETS
        )
    return call


def reporting_year_required(opens_at: datetime) -> int:
    """The reporting a call asks of its applicants' organisations: the latest reporting round
    closed when the call opens, or, before any round was run here, the year before it opens."""
    opens_on = timezone.localtime(opens_at).date()
    latest = Round.objects.filter(closes_on__lt=opens_on).order_by("-year").first()
    return latest.year if latest else opens_on.year - 1


def eligibility_assess(
    *, call: Call, organisation: Organisation | None, organisation_name: str = ""
) -> tuple[str, list[str]]:
    """The eligibility status and its reasons for an applicant from this organisation."""
    if organisation is None and not organisation_name:
        # An e-mail whose sender matched no organisation: the applicant names it on completion.
        return Application.Eligibility.NEEDS_CHECK, [
            _("Ansøgningen er ikke koblet til en organisation i partnerregistret.")
        ]
    if organisation is None:
        return Application.Eligibility.NEEDS_CHECK, [
            _("Organisationen “%(name)s” er ikke i partnerregistret.") % {"name": organisation_name}
        ]
    reasons = []
    if not organisation.is_active:
        reasons.append(_("Organisationen er ikke aktiv partner."))
    if not organisation.contributes_since(call.required_reporting_year):
        reasons.append(
            _("Organisationen har ikke indsendt rapporteringen for %(year)s.")
            % {"year": call.required_reporting_year}
        )
    if reasons:
        return Application.Eligibility.NEEDS_CHECK, reasons
    return Application.Eligibility.ELIGIBLE, []


def eligibility_reassess(*, application: Application) -> None:
    """Side effects: sets (does not save) the application's eligibility and its reasons from
    its organisation as it stands."""
    application.eligibility, application.eligibility_reasons = eligibility_assess(
        call=application.call,
        organisation=application.organisation,
        organisation_name=application.organisation_name,
    )


def eligibility_follow_reporting(*, organisation: Organisation) -> int:
    """After the organisation's reporting changed: reassess its applications that still wait
    for a check (an eligibility staff set by hand stays); return how many became eligible.

    Side effects: saves the eligibility and reasons of those applications.
    """
    became = 0
    waiting = Application.objects.filter(
        organisation=organisation, eligibility=Application.Eligibility.NEEDS_CHECK
    ).select_related("call", "organisation")
    for application in waiting:
        eligibility_reassess(application=application)
        application.save(update_fields=["eligibility", "eligibility_reasons"])
        became += application.eligibility == Application.Eligibility.ELIGIBLE
    return became


def eligibility_on_reporting_changed(*, organisation: Organisation, **_signal: Any) -> None:
    """The receiver of `reporting.signals.reporting_changed`: see eligibility_follow_reporting."""
    eligibility_follow_reporting(organisation=organisation)


def private_link(token: str) -> str:
    return settings.SITE_URL + reverse("calls:application", args=[token])


def application_send_link(
    *,
    application: Application,
    token: str,
    template: str,
    deadline: datetime | None = None,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> None:
    """Queue the e-mail `template` with the private link, in the applicant's language (see
    `mail_queue`); `deadline` defaults to the call's.

    Side effects: queues one OutboxMessage, with `headers` as extra header fields.
    """
    mail_queue(
        key=template,
        language=application.language,
        to=application.email,
        headers=headers,
        context=application.mail_context(
            link=private_link(token),
            deadline=timezone.localtime(deadline or application.call.deadline),
            **context,
        ),
    )


def _log(application: Application, kind: str, **detail: Any) -> None:
    ApplicationEvent.objects.create(
        application=application, kind=kind, by_applicant=True, detail=detail
    )


def _derived_region(data: dict[str, Any]) -> str:
    return data.get("region") or region_for_postcode(data.get("postcode") or "") or ""


def application_submit(
    *,
    call: Call,
    data: dict[str, Any],
    language: str,
    submission: str = "",
    now: datetime | None = None,
) -> SubmitResult:
    """Store a new application; a repeat of the same form (`submission`, the form's one-time
    key: a double click, a reload, parallel posts) stores and sends nothing more; another form
    with an e-mail address that already applied stores nothing and e-mails the owner their link.

    Side effects: creates or updates the Person by e-mail; creates the Application with a fresh
    private token, its eligibility and a "submitted" event, and queues the receipt e-mail. For
    an address that already applied from another form: logs a "resubmitted" event and queues an
    e-mail with the same private link (at most one such e-mail per RESEND_INTERVAL); no link
    stops working. Raises CallClosedError after the deadline, storing nothing.
    """
    email = data["email"].strip().lower()
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _submit(call, data, language, email, submission, now)
        except IntegrityError:
            # A parallel post of the same address committed first: its application now exists.
            if attempt:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


RESEND_INTERVAL = timedelta(minutes=10)


def _submit(
    call: Call,
    data: dict[str, Any],
    language: str,
    email: str,
    submission: str,
    now: datetime | None,
) -> SubmitResult:
    now = now or timezone.now()
    if not call.is_open(now):
        raise CallClosedError
    existing = (
        Application.objects.select_for_update().filter(call=call, person__email=email).first()
    )
    if existing is not None:
        if submission and existing.submission_key == submission:
            return SubmitResult(application=existing, created=False)
        recent = existing.events.filter(
            kind=ApplicationEvent.Kind.RESUBMITTED, at__gte=now - RESEND_INTERVAL
        ).exists()
        _log(existing, ApplicationEvent.Kind.RESUBMITTED)
        if not recent:
            token = existing.current_token()
            if token is None:  # a link that cannot be derived again: a new one, said in the mail
                token = existing.new_token()
                existing.save(update_fields=["token_hash", "token_nonce"])
            application_send_link(application=existing, token=token, template="link_again")
        return SubmitResult(application=existing, created=False)
    details = {"name": data["name"], "title": data.get("job_title", "")}
    if data.get("organisation") is not None:
        # An applicant who names an organisation outside the register keeps the register's
        # link to their organisation; the application records what they wrote.
        details["organisation"] = data["organisation"]
    person, _created = Person.objects.update_or_create(
        email=email, defaults=details, create_defaults={**details, "contact": False}
    )
    application = Application(
        call=call, person=person, email=email, language=language, submission_key=submission
    )
    for field in APPLICANT_FIELDS:
        if field in data:
            setattr(application, field, data[field])
    application.region = _derived_region(data)
    application.consent_at = now
    application.submitted_at = now
    eligibility_reassess(application=application)
    token = application.new_token()
    application.save()
    _log(application, ApplicationEvent.Kind.SUBMITTED)
    application_send_link(application=application, token=token, template="receipt")
    return SubmitResult(application=application, created=True)


def application_complete(
    *, application: Application, data: dict[str, Any], token: str, now: datetime | None = None
) -> None:
    """The applicant completes an application received by e-mail, which becomes a normal one.

    Side effects: saves the applicant's fields, consent time, state "submitted" and eligibility
    assessed anew; logs a "completed" event; queues the receipt with the private link.
    Raises CallClosedError when the application cannot be completed now, storing nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        if not application.can_complete(now):
            raise CallClosedError
        data = {**data, "region": _derived_region(data)}
        for field in APPLICANT_FIELDS:
            if field in data:
                setattr(application, field, data[field])
        application.state = Application.State.SUBMITTED
        application.consent_at = now
        eligibility_reassess(application=application)
        application.save()
        _log(application, ApplicationEvent.Kind.COMPLETED)
        application_send_link(application=application, token=token, template="completed")


def application_get_by_token(*, token: str) -> Application | None:
    """The application a private link points to, or None."""
    return (
        Application.objects.select_related(
            "call", "organisation", "first_choice", "second_choice", "person"
        )
        .filter(token_hash=hash_token(token))
        .first()
    )


def application_update(
    *, application: Application, data: dict[str, Any], now: datetime | None = None
) -> list[str]:
    """Apply the applicant's edits; return the names of the fields that changed.

    Side effects: saves the application with its eligibility assessed anew, gives its person
    the name and title last given, and logs an "edited" event naming the changed fields (never
    their values). Raises CallClosedError after the deadline or when the application is
    withdrawn, storing nothing.
    """
    with transaction.atomic():
        if not application.call.is_open(now) or application.is_withdrawn:
            raise CallClosedError
        data = {**data, "region": _derived_region(data)}
        changed = [
            field
            for field in APPLICANT_FIELDS
            if field in data and getattr(application, field) != data[field]
        ]
        for field in changed:
            setattr(application, field, data[field])
        if not changed:
            return []
        eligibility_reassess(application=application)
        application.save()
        person = application.person
        if person is not None and {"name", "job_title"} & set(changed):
            person.name, person.title = application.name, application.job_title
            person.save(update_fields=["name", "title"])
        _log(application, ApplicationEvent.Kind.EDITED, fields=changed)
    return changed


def application_withdraw(*, application: Application, now: datetime | None = None) -> None:
    """Withdraw the application.

    Side effects: sets state and withdrawal time, logs a "withdrawn" event, queues a
    confirmation e-mail. Raises CallClosedError after the deadline, storing nothing.
    """
    with transaction.atomic():
        if not application.call.is_open(now):
            raise CallClosedError
        if application.is_withdrawn:
            return
        application.state = Application.State.WITHDRAWN
        application.withdrawn_at = now or timezone.now()
        application.save(update_fields=["state", "withdrawn_at", "updated_at"])
        _log(application, ApplicationEvent.Kind.WITHDRAWN)
        mail_queue(
            key="withdrawn",
            language=application.language,
            to=application.email,
            context=application.mail_context(),
        )


def application_reinstate(*, application: Application, now: datetime | None = None) -> None:
    """Take back a withdrawal before the deadline.

    Side effects: sets the state to submitted and logs a "submitted" event.
    Raises CallClosedError after the deadline.
    """
    with transaction.atomic():
        if not application.call.is_open(now):
            raise CallClosedError
        # An e-mail application never completed goes back to waiting for completion.
        application.state = (
            Application.State.SUBMITTED if application.consent_at else Application.State.INCOMPLETE
        )
        application.withdrawn_at = None
        application.save(update_fields=["state", "withdrawn_at", "updated_at"])
        _log(application, ApplicationEvent.Kind.SUBMITTED, reinstated=True)


def application_log_view(*, application: Application) -> None:
    """Side effects: logs that the applicant opened the application through the private link."""
    _log(application, ApplicationEvent.Kind.VIEWED)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def application_export(*, application: Application) -> dict[str, Any]:
    """All the data stored about the application and its person, as plain JSON values.

    Side effects: logs an "exported" event.
    """
    _log(application, ApplicationEvent.Kind.EXPORTED)
    return {
        "call": {"year": application.call.year, "title": application.call.title},
        "person": {
            "name": application.person.name,
            "email": application.person.email,
            "title": application.person.title,
        }
        if application.person
        else None,
        "application": {
            "name": application.name,
            "email": application.email,
            "job_title": application.job_title,
            "organisation": application.organisation_display,
            "organisation_in_register": application.organisation is not None,
            "first_choice": application.first_choice.name if application.first_choice else None,
            "second_choice": application.second_choice.name if application.second_choice else None,
            "motivation": application.motivation,
            "contribution": application.contribution,
            "actor_type": application.actor_type,
            "role": application.role,
            "music_fields": application.music_fields,
            "postcode": application.postcode,
            "region": application.region,
            "gender": application.gender,
            "seniority": application.seniority,
            "confirms_attendance": application.confirms_attendance,
            "confirms_own_costs": application.confirms_own_costs,
            "confirms_reporting": application.confirms_reporting,
            "confirms_mandate": application.confirms_mandate,
            "consent_at": _iso(application.consent_at),
            "language": application.language,
            "channel": application.channel,
            "state": application.state,
            "eligibility": application.eligibility,
            "eligibility_reasons": application.eligibility_reasons,
            "submitted_at": _iso(application.submitted_at),
            "updated_at": _iso(application.updated_at),
            "withdrawn_at": _iso(application.withdrawn_at),
            "erasure_requested_at": _iso(application.erasure_requested_at),
        },
        "events": [
            {"kind": event.kind, "at": event.at.isoformat()} for event in application.events.all()
        ],
    }


def application_set_eligibility(
    *, application: Application, eligibility: str, actor: Any, note: str = ""
) -> None:
    """Staff decide the eligibility after a check.

    Side effects: saves the status (reasons replaced by the note) and logs who decided.
    """
    with transaction.atomic():
        application.eligibility = eligibility
        application.eligibility_reasons = [note] if note else []
        application.save(update_fields=["eligibility", "eligibility_reasons", "updated_at"])
        ApplicationEvent.objects.create(
            application=application,
            kind=ApplicationEvent.Kind.ELIGIBILITY,
            actor=actor,
            detail={"eligibility": eligibility, "note": note},
        )
