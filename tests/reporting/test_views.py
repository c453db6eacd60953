from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from handlespor.calls.models import Application
from handlespor.mail.models import OutboxMessage
from handlespor.reporting import domain
from handlespor.reporting.models import Report, ReportLink
from handlespor.roles import SECRETARIAT
from tests.factories import ApplicationFactory, OrganisationFactory, PersonFactory, StaffFactory
from tests.reporting.conftest import COMPLETE, complete_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def links(open_round, partner):
    """Each contact person's link: {e-mail: url}."""
    domain.round_invite(reporting_round=open_round)
    return {
        link.person.email: reverse("reporting:answer", args=[link.current_token()])
        for link in ReportLink.objects.select_related("person")
    }


@pytest.fixture
def secretary(client):
    user = StaffFactory(is_staff=False, is_superuser=False)
    user.groups.add(Group.objects.get_or_create(name=SECRETARIAT)[0])
    client.force_login(user)
    return user


def test_answer_page_shows_the_questionnaire_for_the_link_holder(client, links):
    response = client.get(links["anna@tinghallen.dk"])

    page = response.content.decode()
    assert response.status_code == 200
    assert "Årlig rapportering 2026" in page
    assert "For Spillestedet Tinghallen." in page
    assert "Har organisationen en politik mod krænkelser?" in page
    assert "Ikke startet" in page


def test_answer_draft_by_one_and_submission_by_a_colleague(client, links, partner):
    draft = {"action": "draft", "ansatte_i_alt": "10", "trivsel_maalt": "nej"}

    saved = client.post(links["anna@tinghallen.dk"], draft)
    page = client.get(links["bo@tinghallen.dk"]).content.decode()
    submitted = client.post(links["bo@tinghallen.dk"], complete_post())

    report = Report.objects.get(organisation=partner)
    assert saved.status_code == 302
    assert "senest gemt af Anna Kontakt" in page
    assert 'value="10"' in page
    assert submitted.status_code == 302
    assert report.status == Report.Status.SUBMITTED
    assert report.saved_by == "Bo Kollega"
    assert report.values == COMPLETE
    assert list(report.versions.values_list("kind", "saved_by")) == [
        ("draft", "Anna Kontakt"),
        ("submitted", "Bo Kollega"),
    ]


def test_answer_submit_without_required_answers_shows_errors_and_stores_nothing(
    client, links, partner
):
    response = client.post(links["anna@tinghallen.dk"], {"action": "submit", "ansatte_i_alt": "4"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Intet er gemt. Ret venligst de markerede felter." in page
    assert page.count("Skal udfyldes, før rapporteringen kan indsendes.") == 2 * 7
    report = Report.objects.get(organisation=partner)
    assert report.status == Report.Status.NOT_STARTED
    assert report.versions.count() == 0


@pytest.mark.parametrize(
    ("posted", "field", "error"),
    [
        (
            {"trivsel_svarprocent": "101"},
            "trivsel_svarprocent",
            "skal være mindre end eller lig 100",
        ),
        ({"trivsel_svarprocent": "-1"}, "trivsel_svarprocent", "skal være større end eller lig 0"),
        (
            {"koen_ledelse": "3", "koen_ledelse__0": "1", "koen_ledelse__1": "1"},
            "koen_ledelse",
            "Delene giver 2, men i alt er 3.",
        ),
        ({"koen_ledelse__0": "1"}, "koen_ledelse", "Skriv det samlede antal."),
        ({"ansatte_i_alt": "ti"}, "ansatte_i_alt", "Indtast et heltal."),
    ],
)
def test_answer_numbers_are_checked_even_in_a_draft(client, links, partner, posted, field, error):
    response = client.post(links["anna@tinghallen.dk"], {"action": "draft", **posted})

    page = response.content.decode()
    assert response.status_code == 400
    assert error in page
    assert f'href="#id_{field}"' in page
    assert Report.objects.get(organisation=partner).status == Report.Status.NOT_STARTED


def test_answer_after_submission_corrects_and_keeps_required_answers(client, links, partner):
    client.post(links["anna@tinghallen.dk"], complete_post())
    corrected = complete_post("correct") | {
        "ansatte_i_alt": "12",
        "koen_ansatte__3": "2",
        "koen_ansatte": "12",
    }

    response = client.post(links["anna@tinghallen.dk"], corrected)
    emptied = client.post(
        links["anna@tinghallen.dk"], complete_post("correct") | {"ansatte_i_alt": ""}
    )

    report = Report.objects.get(organisation=partner)
    assert response.status_code == 302
    assert emptied.status_code == 400
    assert report.values["ansatte_i_alt"] == 12
    assert [v.kind for v in report.versions.all()] == ["submitted", "corrected"]


def test_answer_link_never_opens_another_organisations_report(client, links, open_round):
    other = OrganisationFactory(name="Anden organisation")
    PersonFactory(email="c@anden.dk", organisation=other)
    domain.round_invite(reporting_round=open_round)
    other_link = ReportLink.objects.get(person__email="c@anden.dk")

    own = client.get(links["anna@tinghallen.dk"]).content.decode()
    theirs = client.get(
        reverse("reporting:answer", args=[other_link.current_token()])
    ).content.decode()
    wrong = client.get(reverse("reporting:answer", args=["x" * 43]))

    assert "Spillestedet Tinghallen" in own and "Anden organisation" not in own
    assert "Anden organisation" in theirs and "Spillestedet Tinghallen" not in theirs
    assert wrong.status_code == 404


def test_answer_in_a_closed_round_stores_nothing(client, links, open_round, partner):
    open_round.opens_on = timezone.localdate() - timedelta(days=40)
    open_round.closes_on = timezone.localdate() - timedelta(days=1)
    open_round.save()

    response = client.post(links["anna@tinghallen.dk"], complete_post())

    assert response.status_code == 400
    assert "Runden er ikke åben, så intet er gemt." in response.content.decode()
    assert Report.objects.get(organisation=partner).status == Report.Status.NOT_STARTED


def test_new_link_page_says_the_same_for_any_address(client, open_round, partner):
    known = client.post(reverse("reporting:new_link"), {"email": "anna@tinghallen.dk"}, follow=True)
    unknown = client.post(reverse("reporting:new_link"), {"email": "x@example.org"}, follow=True)

    def message(response) -> list[str]:
        return [str(m) for m in response.context["messages"]]

    assert message(known) == message(unknown)
    assert len(message(known)) == 1
    assert OutboxMessage.objects.count() == 1


def test_submission_makes_the_organisations_waiting_application_eligible(client, links, partner):
    application = ApplicationFactory(
        organisation=partner,
        eligibility=Application.Eligibility.NEEDS_CHECK,
        call__required_reporting_year=2026,
    )

    client.post(links["anna@tinghallen.dk"], complete_post())

    application.refresh_from_db()
    assert application.eligibility == Application.Eligibility.ELIGIBLE
    assert application.eligibility_reasons == []


def test_status_page_counts_and_lists_whom_to_chase(client, secretary, links, open_round, partner):
    done = OrganisationFactory(name="Festivalen", actor_type="Festival", postcode="5000")
    PersonFactory(email="k@festivalen.dk", organisation=done)
    domain.round_invite(reporting_round=open_round)
    domain.report_save(
        report=Report.objects.get(organisation=done), values=COMPLETE, by="K", submit=True
    )
    client.post(links["anna@tinghallen.dk"], {"action": "draft", "ansatte_i_alt": "3"})

    response = client.get(reverse("reporting:status", args=[2026]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>1</strong> indsendt" in page
    assert "<strong>1</strong> kladde" in page
    assert "<strong>0</strong> ikke startet" in page
    assert "Mangler: 1 organisation" in page
    assert "anna@tinghallen.dk" in page and "bo@tinghallen.dk" in page
    assert "k@festivalen.dk" not in page
    assert "gemt af Anna Kontakt" in page


def test_status_page_queries_do_not_grow_with_the_organisations(
    client, secretary, open_round, django_assert_max_num_queries
):
    for number in range(30):
        organisation = OrganisationFactory(name=f"Org {number}")
        PersonFactory(organisation=organisation)
    domain.round_invite(reporting_round=open_round)
    for number in range(10):
        OrganisationFactory(name=f"Ny org {number}")  # not invited yet

    with django_assert_max_num_queries(14):
        response = client.get(reverse("reporting:status", args=[2026]))

    assert response.status_code == 200
    assert "Mangler: 40 organisationer" in response.content.decode()


def test_status_remind_one_organisation_with_one_click(client, secretary, links, partner):
    OutboxMessage.objects.all().delete()

    response = client.post(reverse("reporting:remind", args=[2026, partner.pk]), follow=True)

    page = response.content.decode()
    assert "Påmindelsen er sendt til 2 kontaktperson(er) for Spillestedet Tinghallen." in page
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == [
        "anna@tinghallen.dk",
        "bo@tinghallen.dk",
    ]
    assert Report.objects.get(organisation=partner).reminded_at is not None
