from datetime import timedelta

import pytest
from django.utils import timezone

from handlespor.mail.models import OutboxMessage
from handlespor.reporting import domain
from handlespor.reporting.models import (
    FrozenError,
    Question,
    Report,
    ReportLink,
    ReportVersion,
    Round,
)
from handlespor.reporting.questionnaire import EXAMPLE
from tests.factories import OrganisationFactory, PersonFactory
from tests.reporting.conftest import COMPLETE

pytestmark = pytest.mark.django_db


def _report(reporting_round, organisation) -> Report:
    return Report.objects.get_or_create(round=reporting_round, organisation=organisation)[0]


def test_round_create_gives_a_first_round_the_example_questionnaire_marked_as_example(
    open_round,
):
    questions = open_round.ordered_questions()

    assert [s.title for s in open_round.sections.all()] == [title for title, _en, _q in EXAMPLE]
    assert len(questions) == sum(len(q) for _t, _en, q in EXAMPLE)
    assert {q.example for q in questions} == {True}
    assert questions[0].key == "koen_bestyrelse"
    assert questions[0].text_en == "The board"


def test_round_questions_freeze_once_the_first_answer_is_saved(open_round, partner):
    question = open_round.ordered_questions()[0]
    question.text = "Bestyrelsen (rettet)"
    question.save()  # no answer yet: it can change

    domain.report_save(
        report=_report(open_round, partner), values={}, by="Anna Kontakt", submit=False
    )

    question.text = "Noget andet"
    with pytest.raises(FrozenError):
        question.save()
    with pytest.raises(FrozenError):
        question.section.delete()
    assert Question.objects.get(pk=question.pk).text == "Bestyrelsen (rettet)"
    assert open_round.frozen is True


def test_round_copy_for_next_year_can_be_edited_while_the_original_stays_frozen(
    open_round, partner
):
    domain.report_save(
        report=_report(open_round, partner), values={}, by="Anna Kontakt", submit=False
    )

    copy = domain.round_create(
        year=2027,
        opens_on=open_round.opens_on + timedelta(days=365),
        closes_on=open_round.closes_on + timedelta(days=365),
        copy_from=open_round,
    )
    question = copy.ordered_questions()[0]
    question.text = "Bestyrelsen pr. 31. december"
    question.save()

    assert copy.frozen is False
    assert [q.key for q in copy.ordered_questions()] == [
        q.key for q in open_round.ordered_questions()
    ]
    assert open_round.ordered_questions()[0].text == "Bestyrelsen"


def test_report_drafts_by_two_contact_people_show_who_saved_last(open_round, partner):
    report = _report(open_round, partner)
    now = timezone.now()

    domain.report_save(
        report=report, values={"ansatte_i_alt": 10}, by="Anna Kontakt", submit=False, now=now
    )
    domain.report_save(
        report=report,
        values={"ansatte_i_alt": 10, "trivsel_maalt": True},
        by="Bo Kollega",
        submit=False,
        now=now + timedelta(minutes=5),
    )

    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT
    assert report.saved_by == "Bo Kollega"
    assert report.saved_at == now + timedelta(minutes=5)
    assert report.values == {"ansatte_i_alt": 10, "trivsel_maalt": True}
    assert report.submitted_at is None
    assert list(report.versions.values_list("kind", "saved_by")) == [
        ("draft", "Anna Kontakt"),
        ("draft", "Bo Kollega"),
    ]


def test_report_submit_then_correction_keeps_each_change_in_the_history(open_round, partner):
    report = _report(open_round, partner)
    submitted_at = timezone.now()

    first = domain.report_save(
        report=report, values=COMPLETE, by="Anna Kontakt", submit=True, now=submitted_at
    )
    second = domain.report_save(
        report=report,
        values={**COMPLETE, "ansatte_i_alt": 11},
        by="Bo Kollega",
        submit=False,
        now=submitted_at + timedelta(days=1),
    )

    report.refresh_from_db()
    assert (first, second) == (ReportVersion.Kind.SUBMITTED, ReportVersion.Kind.CORRECTED)
    assert report.status == Report.Status.SUBMITTED
    assert report.submitted_at == submitted_at
    assert report.values["ansatte_i_alt"] == 11
    assert [(v.kind, v.saved_by, v.values["ansatte_i_alt"]) for v in report.versions.all()] == [
        ("submitted", "Anna Kontakt", 10),
        ("corrected", "Bo Kollega", 11),
    ]


def test_report_save_after_the_round_closed_stores_nothing(open_round, partner):
    report = _report(open_round, partner)
    after = timezone.now() + timedelta(days=30)

    with pytest.raises(domain.RoundClosedError):
        domain.report_save(report=report, values=COMPLETE, by="Anna", submit=True, now=after)

    report.refresh_from_db()
    assert report.status == Report.Status.NOT_STARTED
    assert report.values == {}
    assert ReportVersion.objects.count() == 0


def test_round_invite_sends_each_contact_person_their_own_link_once(open_round, partner):
    PersonFactory(email="former@tinghallen.dk", organisation=partner, contact=False)
    OrganisationFactory(name="Nedlagt forening", is_active=False)

    sent = domain.round_invite(reporting_round=open_round)
    again = domain.round_invite(reporting_round=open_round)

    messages = OutboxMessage.objects.order_by("to")
    assert (sent, again) == (2, 0)
    assert [m.to for m in messages] == ["anna@tinghallen.dk", "bo@tinghallen.dk"]
    assert messages[0].subject == "Den årlige rapportering 2026 for Spillestedet Tinghallen"
    links = {line for m in messages for line in m.body.splitlines() if "/rapportering/" in line}
    assert len(links) == 2
    assert ReportLink.objects.count() == 2
    assert Report.objects.get().invited_at is not None


def test_reporting_remind_due_invites_once_the_round_has_opened(open_round, partner):
    counts = domain.reporting_remind_due()

    open_round.refresh_from_db()
    assert counts == {"reporting_invitations": 2, "reporting_reminders": 0}
    assert open_round.invited_at is not None


def test_reminders_go_only_to_those_that_have_not_submitted_once_each_by_real_smtp(
    open_round, partner, smtp, django_capture_on_commit_callbacks
):
    _server, inbox = smtp
    done = OrganisationFactory(name="Festivalen")
    PersonFactory(email="kontakt@festivalen.dk", organisation=done)
    first_day = timezone.now() - timedelta(days=7)
    domain.round_invite(reporting_round=open_round, now=first_day)
    domain.report_save(
        report=Report.objects.get(organisation=done), values=COMPLETE, by="K", submit=True
    )
    fourteen_before = timezone.make_aware(
        timezone.datetime.combine(
            open_round.closes_on - timedelta(days=14), timezone.datetime.min.time()
        )
    ) + timedelta(hours=10)
    three_before = fourteen_before + timedelta(days=11)

    with django_capture_on_commit_callbacks(execute=True):
        rounds = [
            domain.reporting_remind_due(now=fourteen_before),
            domain.reporting_remind_due(now=fourteen_before + timedelta(hours=1)),
            domain.reporting_remind_due(now=three_before),
            domain.reporting_remind_due(now=three_before + timedelta(hours=1)),
        ]

    assert [r["reporting_reminders"] for r in rounds] == [1, 0, 1, 0]
    received = sorted(
        (envelope.rcpt_tos[0], envelope.content.decode().count("lukker"))
        for envelope in inbox.messages
    )
    assert [to for to, _count in received] == [
        "anna@tinghallen.dk",
        "anna@tinghallen.dk",
        "bo@tinghallen.dk",
        "bo@tinghallen.dk",
    ]
    report = Report.objects.get(organisation=partner)
    assert report.reminders_sent == [14, 3]
    assert report.reminded_at == three_before


def test_report_remind_sends_nothing_to_an_organisation_that_submitted(open_round, partner):
    report = _report(open_round, partner)
    domain.report_save(report=report, values=COMPLETE, by="Anna", submit=True)

    assert domain.report_remind(report=report) == 0
    assert OutboxMessage.objects.count() == 0


def test_report_link_request_gives_a_new_link_and_the_old_one_stops(open_round, partner):
    domain.round_invite(reporting_round=open_round)
    link = ReportLink.objects.get(person__email="anna@tinghallen.dk")
    old = link.current_token()

    sent = domain.report_link_request(email="Anna@Tinghallen.dk ")

    link.refresh_from_db()
    assert sent == 1
    assert domain.report_get_by_token(token=old) is None
    assert domain.report_get_by_token(token=link.current_token()) == link
    assert OutboxMessage.objects.order_by("pk").last().subject == (
        "Nyt link til rapporteringen 2026 for Spillestedet Tinghallen"
    )


def test_report_link_request_for_an_unknown_address_sends_nothing(open_round, partner):
    assert domain.report_link_request(email="nobody@example.org") == 0
    assert OutboxMessage.objects.count() == 0


def test_round_is_open_from_its_first_to_its_last_day():
    today = timezone.localdate()
    reporting_round = Round(year=2026, opens_on=today, closes_on=today + timedelta(days=1))

    assert reporting_round.is_open(today) is True
    assert reporting_round.is_open(today + timedelta(days=1)) is True
    assert reporting_round.is_open(today + timedelta(days=2)) is False
    assert reporting_round.is_open(today - timedelta(days=1)) is False
