"""Workflows of the yearly reporting: rounds and their questionnaires, the contact people's
links, saving, submitting and correcting a report, the invitations and reminders, and the
import of earlier years."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from handlespor.links import hash_token
from handlespor.mail.domain import MailTemplates, mail_queue
from handlespor.mail.models import MessageTemplate
from handlespor.partners.models import Organisation, Person
from handlespor.reporting import answers
from handlespor.reporting.models import (
    Question,
    Report,
    ReportLink,
    ReportVersion,
    Round,
    Section,
)
from handlespor.reporting.questionnaire import EXAMPLE
from handlespor.reporting.signals import reporting_changed
from handlespor.tables import RowError, read_rows

# Reminders go this many days before a round closes, to organisations that have not submitted.
REMINDER_DAYS = (14, 3)


class RoundClosedError(Exception):
    """The round does not take answers now."""


def round_create(
    *,
    year: int,
    opens_on: date,
    closes_on: date,
    intro: str = "",
    intro_en: str = "",
    copy_from: Round | None = None,
) -> Round:
    """A new round with a questionnaire: a copy of `copy_from`'s, or the shipped example's
    (each of its questions marked as an example until edited).

    Side effects: stores the Round, its Sections and Questions.
    """
    with transaction.atomic():
        new = Round.objects.create(
            year=year, opens_on=opens_on, closes_on=closes_on, intro=intro, intro_en=intro_en
        )
        if copy_from is not None:
            for section in copy_from.sections.prefetch_related("questions"):
                questions = list(section.questions.all())
                section.pk, section.round = None, new
                section.save()
                for question in questions:
                    question.pk, question.section = None, section
                    question.save()
        else:
            for position, (title, title_en, questions) in enumerate(EXAMPLE):
                section = Section.objects.create(
                    round=new, position=position, title=title, title_en=title_en
                )
                for number, (
                    key,
                    kind,
                    text,
                    text_en,
                    required,
                    options,
                    help_da,
                    help_en,
                ) in enumerate(questions):
                    Question.objects.create(
                        section=section,
                        position=number,
                        key=key,
                        kind=kind,
                        text=text,
                        text_en=text_en,
                        required=required,
                        options=options,
                        help=help_da,
                        help_en=help_en,
                        example=True,
                    )
    return new


def report_link(token: str) -> str:
    return settings.SITE_URL + reverse("reporting:answer", args=[token])


def report_get_by_token(*, token: str) -> ReportLink | None:
    """The contact person's link behind a token, or None for a wrong or old one."""
    return (
        ReportLink.objects.filter(token_hash=hash_token(token))
        .select_related("report__round", "report__organisation", "person")
        .first()
    )


def contact_people(organisation: Organisation) -> list[Person]:
    """The people the register names as the organisation's contact people."""
    return list(organisation.people.filter(contact=True).order_by("name", "pk"))


def _link_for(report: Report, person: Person, *, fresh: bool = False) -> str:
    """The person's link to the report: the one e-mailed before, or a new one when there is
    none or `fresh` asks for it (the old one then stops working)."""
    link = ReportLink.objects.filter(report=report, person=person).first()
    if link is None or fresh:
        link = link or ReportLink(report=report, person=person)
        token = link.new_token()
        link.save()
        return token
    return link.current_token()


def _queue_link_mail(
    *, key: str, report: Report, person: Person, token: str, templates: MailTemplates, today: date
) -> None:
    """Queue the e-mail `key` with the person's link to the report."""
    reporting_round = report.round
    mail_queue(
        key=key,
        language="da",
        to=person.email,
        templates=templates,
        context={
            "name": person.name,
            "organisation": report.organisation.name,
            "year": reporting_round.year,
            "link": report_link(token),
            "closes": reporting_round.closes_on,
            "days_left": reporting_round.days_left(today),
            "new_link": settings.SITE_URL + reverse("reporting:new_link"),
        },
    )


def _send(*, key: str, report: Report, templates: MailTemplates, now: datetime) -> int:
    """E-mail `key` to each contact person of the report's organisation, with their own link;
    return how many were queued."""
    people = contact_people(report.organisation)
    for person in people:
        _queue_link_mail(
            key=key,
            report=report,
            person=person,
            token=_link_for(report, person),
            templates=templates,
            today=timezone.localdate(now),
        )
    return len(people)


def round_invite(*, reporting_round: Round, now: datetime | None = None) -> int:
    """Invite every active organisation of the register that has not been invited to the round;
    return how many e-mails were queued.

    Side effects: creates a Report (not started) per organisation, a link per contact person,
    queues the `reporting_invitation` e-mail to each, and records when invited.
    """
    now = now or timezone.now()
    templates = MailTemplates()
    sent = 0
    organisations = Organisation.objects.filter(is_active=True).order_by("name")
    for organisation in organisations:
        with transaction.atomic():
            report, _created = Report.objects.get_or_create(
                round=reporting_round, organisation=organisation
            )
            if report.invited_at is not None or report.submitted:
                continue
            report.invited_at = now
            report.save(update_fields=["invited_at"])
            sent += _send(
                key=MessageTemplate.Key.REPORTING_INVITATION,
                report=report,
                templates=templates,
                now=now,
            )
    if reporting_round.invited_at is None:
        reporting_round.invited_at = now
        reporting_round.save(update_fields=["invited_at"])
    return sent


def report_remind(
    *,
    report: Report,
    now: datetime | None = None,
    days: Iterable[int] = (),
    templates: MailTemplates | None = None,
) -> int:
    """Remind the organisation's contact people of the round (one click on the status page, or
    some days before it closes); return how many e-mails were queued. A submitted report is
    never reminded.

    Side effects: queues the `reporting_reminder` e-mail to each contact person with their link;
    records the time and that the reminders of `days` (days before closing) went.
    """
    if report.submitted:
        return 0
    now = now or timezone.now()
    with transaction.atomic():
        sent = _send(
            key=MessageTemplate.Key.REPORTING_REMINDER,
            report=report,
            templates=templates or MailTemplates(),
            now=now,
        )
        report.reminded_at = now
        report.reminders_sent = sorted({*report.reminders_sent, *days}, reverse=True)
        report.save(update_fields=["reminded_at", "reminders_sent"])
    return sent


def reporting_remind_due(*, now: datetime | None = None) -> dict[str, int]:
    """The hourly round of the reporting: invite to each round that has opened, and remind the
    organisations that have not submitted 14 and 3 days before it closes, each reminder once
    (a report invited less than a day before gets no reminder that day).

    Side effects: as `round_invite` and `report_remind`.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    invited = reminded = 0
    templates = MailTemplates()
    for reporting_round in Round.objects.filter(opens_on__lte=today, closes_on__gte=today):
        if reporting_round.invited_at is None:
            invited += round_invite(reporting_round=reporting_round, now=now)
        days_left = reporting_round.days_left(today)
        due = [days for days in REMINDER_DAYS if days_left <= days]
        if not due:
            continue
        waiting = (
            reporting_round.reports.exclude(status=Report.Status.SUBMITTED)
            .filter(invited_at__date__lt=today)
            .select_related("organisation", "round")
        )
        for report in waiting:
            missing = [days for days in due if days not in report.reminders_sent]
            if missing:
                # A late start sends one reminder; the earlier ones count as sent with it.
                sent = report_remind(report=report, now=now, days=missing, templates=templates)
                reminded += bool(sent)
    return {"reporting_invitations": invited, "reporting_reminders": reminded}


def report_link_request(*, email: str, today: date | None = None) -> int:
    """Send a new link to each open round's report of the organisation this address is a
    contact person of; return how many were sent. The page that asks says the same whatever
    the answer.

    Side effects: gives the person a new link to each such report (the old one stops working)
    and queues the `reporting_link` e-mail with it.
    """
    today = today or timezone.localdate()
    person = (
        Person.objects.filter(email=email.strip().lower(), contact=True)
        .select_related("organisation")
        .first()
    )
    if person is None or person.organisation is None or not person.organisation.is_active:
        return 0
    templates = MailTemplates()
    sent = 0
    for reporting_round in Round.objects.filter(opens_on__lte=today, closes_on__gte=today):
        with transaction.atomic():
            report, _created = Report.objects.get_or_create(
                round=reporting_round, organisation=person.organisation
            )
            _queue_link_mail(
                key=MessageTemplate.Key.REPORTING_LINK,
                report=report,
                person=person,
                token=_link_for(report, person, fresh=True),
                templates=templates,
                today=today,
            )
        sent += 1
    return sent


def report_save(
    *,
    report: Report,
    values: dict[str, Any],
    by: str,
    submit: bool,
    now: datetime | None = None,
) -> str:
    """Save the answers: a draft, the submission, or (once submitted) a correction; return what
    it was (a ReportVersion.Kind). Only while the round is open.

    Side effects: stores the values, who saved and when, the status and a ReportVersion in the
    report's history; a submission or correction sends `reporting_changed` (the calls then
    reassess the organisation's applications that wait for a check). Raises RoundClosedError
    outside the round's dates, storing nothing.
    """
    now = now or timezone.now()
    if not report.round.is_open(timezone.localdate(now)):
        raise RoundClosedError
    if report.submitted:
        kind = ReportVersion.Kind.CORRECTED
    elif submit:
        kind = ReportVersion.Kind.SUBMITTED
    else:
        kind = ReportVersion.Kind.DRAFT
    with transaction.atomic():
        report.values = values
        report.saved_by = by
        report.saved_at = now
        if kind == ReportVersion.Kind.SUBMITTED:
            report.status = Report.Status.SUBMITTED
            report.submitted_at = now
        elif kind == ReportVersion.Kind.DRAFT:
            report.status = Report.Status.DRAFT
        report.save()
        ReportVersion.objects.create(
            report=report, kind=kind, values=values, saved_by=by, saved_at=now
        )
        if kind != ReportVersion.Kind.DRAFT:
            reporting_changed.send(sender=Report, organisation=report.organisation)
    return kind


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    imported: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


ORGANISATION_COLUMN = "organisation"


def reports_import(*, reporting_round: Round, name: str, content: bytes) -> ImportResult:
    """Import an earlier year's answers: one row per organisation, the column “organisation”
    (its name in the register) and a column per question key (see `answers.columns`). Every
    error names its row and column; with any error nothing is imported.

    Side effects: creates or replaces each named organisation's report as submitted and
    imported, with a version in its history, and sends `reporting_changed` for each. Raises
    TableError when the file cannot be read.
    """
    rows = read_rows(name, content)
    (_header_number, header), body = rows[0], rows[1:]
    header = [column.strip() for column in header]
    questions = reporting_round.ordered_questions()
    known = {ORGANISATION_COLUMN} | {c for q in questions for c in answers.columns(q)}
    result = ImportResult()
    for position, column in enumerate(header):
        if column and column not in known:
            result.errors.append(RowError(1, column, "ukendt kolonne; brug spørgsmålenes nøgler"))
        elif not column:
            result.errors.append(RowError(1, f"{position + 1}", "kolonnen har intet navn"))
    if ORGANISATION_COLUMN not in header:
        result.errors.append(RowError(1, ORGANISATION_COLUMN, "kolonnen mangler"))
    if result.errors:
        return result
    organisations = {
        organisation.name.lower(): organisation for organisation in Organisation.objects.all()
    }
    submitted_here = set(
        reporting_round.reports.filter(status=Report.Status.SUBMITTED, imported=False).values_list(
            "organisation_id", flat=True
        )
    )
    parsed: list[tuple[Organisation, dict[str, Any]]] = []
    seen: dict[int, int] = {}
    for number, cells in body:
        texts = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))
        organisation_name = texts[ORGANISATION_COLUMN].strip()
        organisation = organisations.get(organisation_name.lower())
        if organisation is None:
            message = (
                f"“{organisation_name}” er ikke i partnerregistret"
                if organisation_name
                else "mangler organisationens navn"
            )
            result.errors.append(RowError(number, ORGANISATION_COLUMN, message))
            continue
        if organisation.pk in seen:
            result.errors.append(
                RowError(
                    number,
                    ORGANISATION_COLUMN,
                    f"organisationen står også i række {seen[organisation.pk]}",
                )
            )
            continue
        if organisation.pk in submitted_here:
            result.errors.append(
                RowError(number, ORGANISATION_COLUMN, "organisationen har selv indsendt i runden")
            )
            continue
        seen[organisation.pk] = number
        values: dict[str, Any] = {}
        for question in questions:
            try:
                value = answers.parse(question, texts)
            except ValueError as error:
                column, message = error.args[0]
                result.errors.append(RowError(number, column, message))
                continue
            if value is not None:
                values[question.key] = value
        parsed.append((organisation, values))
    if result.errors:
        return result
    closed_at = timezone.make_aware(
        datetime.combine(reporting_round.closes_on, datetime.min.time())
    )
    with transaction.atomic():
        for organisation, values in parsed:
            report, _created = Report.objects.get_or_create(
                round=reporting_round, organisation=organisation
            )
            report.values = values
            report.status = Report.Status.SUBMITTED
            report.imported = True
            report.saved_by = "import"
            report.saved_at = report.submitted_at = closed_at
            report.save()
            ReportVersion.objects.create(
                report=report,
                kind=ReportVersion.Kind.IMPORTED,
                values=values,
                saved_by="import",
                saved_at=timezone.now(),
            )
            reporting_changed.send(sender=Report, organisation=organisation)
    return ImportResult(imported=len(parsed))
