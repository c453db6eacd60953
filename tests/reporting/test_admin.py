from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from handlespor.reporting import domain
from handlespor.reporting.models import Question, Report, Round
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(StaffFactory())
    client.get(reverse("accounts:home"))  # the login's one-time checks (two-factor)
    return client


def _add_round(admin_client, year: int):
    today = timezone.localdate()
    return admin_client.post(
        reverse("admin:reporting_round_add"),
        {
            "year": year,
            "opens_on": (today + timedelta(days=30)).isoformat(),
            "closes_on": (today + timedelta(days=60)).isoformat(),
            "intro": "",
            "intro_en": "",
            "sections-TOTAL_FORMS": "0",
            "sections-INITIAL_FORMS": "0",
        },
        follow=True,
    )


def test_admin_new_round_gets_the_example_and_the_next_copies_the_one_before(admin_client):
    first = _add_round(admin_client, 2026)
    example = Question.objects.get(section__round__year=2026, key="koen_bestyrelse")
    example.text = "Bestyrelsen pr. 31. december"
    example.example = False
    example.save()

    second = _add_round(admin_client, 2027)

    page = admin_client.get(reverse("admin:reporting_round_changelist")).content.decode()
    copied = Question.objects.get(section__round__year=2027, key="koen_bestyrelse")
    assert "Runden har fået eksempelspørgeskemaet." in first.content.decode()
    assert "Spørgeskemaet er kopieret fra 2026." in second.content.decode()
    assert copied.text == "Bestyrelsen pr. 31. december"
    assert "Eksempelspørgeskema: tilpas det, før runden åbner" in page


def test_admin_question_saved_by_staff_is_no_longer_an_example(admin_client):
    domain.round_create(
        year=2026,
        opens_on=timezone.localdate() + timedelta(days=1),
        closes_on=timezone.localdate() + timedelta(days=30),
    )
    question = Question.objects.get(key="trivsel_maalt")
    url = reverse("admin:reporting_question_change", args=[question.pk])

    admin_client.post(
        url,
        {
            "section": question.section_id,
            "position": 0,
            "key": "trivsel_maalt",
            "kind": "yes_no",
            "text": "Har I målt trivslen i år?",
            "text_en": "Did you measure wellbeing this year?",
            "help": "",
            "help_en": "",
            "required": "on",
            "options": "",
        },
    )

    question.refresh_from_db()
    assert (question.text, question.example) == ("Har I målt trivslen i år?", False)


def test_admin_questions_of_a_round_with_answers_are_read_only(admin_client, partner):
    today = timezone.localdate()
    reporting_round = domain.round_create(
        year=2026, opens_on=today, closes_on=today + timedelta(days=30)
    )
    report = Report.objects.create(round=reporting_round, organisation=partner)
    domain.report_save(report=report, values={}, by="Anna", submit=False)
    question = Question.objects.get(key="trivsel_maalt")
    url = reverse("admin:reporting_question_change", args=[question.pk])

    page = admin_client.get(url).content.decode()
    admin_client.post(url, {"text": "Ændret", "kind": "yes_no", "key": "trivsel_maalt"})

    assert 'name="text"' not in page
    assert Question.objects.get(pk=question.pk).text == "Har organisationen målt trivslen i år?"
    assert (
        "låst (der er gemt svar)"
        in admin_client.get(reverse("admin:reporting_round_changelist")).content.decode()
    )


def test_admin_copy_action_makes_next_years_round(admin_client):
    today = timezone.localdate()
    reporting_round = domain.round_create(
        year=2026, opens_on=today, closes_on=today + timedelta(days=30)
    )

    admin_client.post(
        reverse("admin:reporting_round_changelist"),
        {"action": "copy_to_next_year", "_selected_action": [reporting_round.pk]},
    )

    copy = Round.objects.get(year=2027)
    assert copy.opens_on == today.replace(year=today.year + 1)
    assert len(copy.ordered_questions()) == len(reporting_round.ordered_questions())
