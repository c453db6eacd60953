"""Fictitious reporting for the demo: last year's round closed with answers from most of the
register, and this year's round open, some submitted, some drafts."""

import random
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from handlespor.attributes import GENDERS
from handlespor.partners.models import Organisation
from handlespor.reporting.domain import round_create
from handlespor.reporting.models import Question, Report, ReportVersion, Round

INTRO = (
    "Partnerskabets årlige rapportering samler partnernes tal og erfaringer om lige adgang og "
    "trivsel. Svarene offentliggøres kun samlet, og tal fra færre end fem organisationer vises "
    "ikke. Det tager 15–20 minutter."
)
INITIATIVES = [
    "Vi har indført en fast kontaktperson for krænkelser og holdt et oplæg for alle frivillige.",
    "Ny booking-politik med mål for kønsbalance på scenen; første år nåede vi 42 % kvinder.",
    "Rampe og teleslynge i den store sal, og en stillezone til koncerterne for børn.",
    "Trivselsmåling blandt ansatte og freelancere, fulgt op med workshops om arbejdstid.",
    "",
]


def demo_rounds_create(*, today: date) -> tuple[Round, Round]:
    """Last year's round (closed) and this year's (open); the existing ones when they are there.

    Side effects: stores the two rounds with the example questionnaire, this year's invited.
    """
    closed = Round.objects.filter(year=today.year).first() or round_create(
        year=today.year,
        opens_on=today - timedelta(days=300),
        closes_on=today - timedelta(days=240),
        intro=INTRO,
    )
    open_round = Round.objects.filter(year=today.year + 1).first() or round_create(
        year=today.year + 1,
        opens_on=today - timedelta(days=10),
        closes_on=today + timedelta(days=20),
        intro=INTRO,
    )
    return closed, open_round


def _value(rng: random.Random, question: Question, organisation: Organisation) -> Any:
    kind = question.kind
    if kind == Question.Kind.GENDER_SPLIT:
        total = rng.randint(3, 14)
        women_share = rng.uniform(0.2, 0.6)
        women = round(total * women_share)
        other = 1 if total > 8 and rng.random() < 0.3 else 0
        men = total - women - other
        return {
            "total": total,
            **{g: 0 for g in GENDERS},
            "Kvinde": women,
            "Mand": men,
            "Nonbinær": other,
        }
    if kind == Question.Kind.YES_NO:
        return rng.random() < 0.7
    if kind == Question.Kind.CHOICE:
        return rng.choices([v for v, _l in question.option_pairs()], weights=[4, 4, 1, 1])[0]
    if kind == Question.Kind.CHOICES:
        options = [v for v, _l in question.option_pairs()]
        return sorted(rng.sample(options, k=rng.randint(0, 3)), key=options.index)
    if kind == Question.Kind.INTEGER:
        return rng.randint(2, 60)
    if kind == Question.Kind.PERCENT:
        return rng.randint(35, 95)
    if kind == Question.Kind.LONG_TEXT:
        return rng.choice(INITIATIVES)
    return ""


def _answers(rng: random.Random, questions: list[Question], organisation: Organisation) -> dict:
    values = {}
    for question in questions:
        if not question.required and rng.random() < 0.4:
            continue
        value = _value(rng, question, organisation)
        if value not in ("", [], None):
            values[question.key] = value
    return values


def demo_reports_create(
    *,
    rng: random.Random,
    organisations: list[Organisation],
    closed: Round,
    open_round: Round,
    now: datetime,
) -> None:
    """Answers from the register: nine in ten submitted last year's round; this year a third
    submitted and a fifth saved a draft.

    Side effects: stores Reports and their ReportVersions (no e-mail).
    """
    closed_at = timezone.make_aware(datetime.combine(closed.closes_on, datetime.min.time()))
    plans = []
    for organisation in organisations:
        if rng.random() < 0.9:
            at = closed_at - timedelta(days=rng.randint(1, 50))
            plans.append((closed, organisation, Report.Status.SUBMITTED, at))
        roll = rng.random()
        at = now - timedelta(days=rng.randint(0, 9), hours=rng.randint(0, 20))
        if roll < 0.35:
            plans.append((open_round, organisation, Report.Status.SUBMITTED, at))
        elif roll < 0.55:
            plans.append((open_round, organisation, Report.Status.DRAFT, at))
        else:
            plans.append((open_round, organisation, Report.Status.NOT_STARTED, None))
    questions = {r.pk: r.ordered_questions() for r in (closed, open_round)}
    reports = []
    for reporting_round, organisation, status, at in plans:
        values = (
            {}
            if status == Report.Status.NOT_STARTED
            else (_answers(rng, questions[reporting_round.pk], organisation))
        )
        if status == Report.Status.DRAFT:
            values = dict(list(values.items())[: max(1, len(values) // 2)])
        contact = organisation.people.filter(contact=True).first()
        reports.append(
            Report(
                round=reporting_round,
                organisation=organisation,
                status=status,
                values=values,
                saved_by=contact.name if contact and at else ("Sekretariatet" if at else ""),
                saved_at=at,
                submitted_at=at if status == Report.Status.SUBMITTED else None,
                invited_at=timezone.make_aware(
                    datetime.combine(reporting_round.opens_on, datetime.min.time())
                ),
            )
        )
    stored = Report.objects.bulk_create(reports)
    ReportVersion.objects.bulk_create(
        ReportVersion(
            report=report,
            kind=ReportVersion.Kind.SUBMITTED
            if report.status == Report.Status.SUBMITTED
            else ReportVersion.Kind.DRAFT,
            values=report.values,
            saved_by=report.saved_by,
            saved_at=report.saved_at,
        )
        for report in stored
        if report.saved_at
    )
    for reporting_round in (closed, open_round):
        if reporting_round.invited_at is None:
            reporting_round.invited_at = timezone.make_aware(
                datetime.combine(reporting_round.opens_on, datetime.min.time())
            )
            reporting_round.save(update_fields=["invited_at"])
