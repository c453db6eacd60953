"""The yearly reporting in a real browser: a contact person saves a draft from their link, a
colleague completes and submits it from theirs, and the secretariat sees the status and the
results chart; axe on the form (also with its errors), the status page and the results."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from handlespor.reporting import domain
from handlespor.reporting.models import Report, ReportLink
from handlespor.roles import SECRETARIAT
from tests.browser.conftest import serious_accessibility_violations
from tests.factories import OrganisationFactory, PersonFactory, StaffFactory
from tests.reporting.conftest import COMPLETE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _split(page, legend: str, total: int, women: int, men: int) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("I alt").fill(str(total))
    group.get_by_label("Kvinde").fill(str(women))
    group.get_by_label("Mand", exact=False).first.fill(str(men))


def _yes_no(page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=False).check()


def test_two_contact_people_report_and_the_secretariat_sees_status_and_results(
    live_server, browser
):
    today = timezone.localdate()
    reporting_round = domain.round_create(
        year=2026, opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=20)
    )
    partner = OrganisationFactory(name="Spillestedet Tinghallen")
    PersonFactory(name="Anna Kontakt", email="anna@tinghallen.dk", organisation=partner)
    PersonFactory(name="Bo Kollega", email="bo@tinghallen.dk", organisation=partner)
    for number in range(5):
        other = OrganisationFactory(name=f"Festival {number}", actor_type="Festival")
        Report.objects.create(
            round=reporting_round,
            organisation=other,
            status=Report.Status.SUBMITTED,
            values={**COMPLETE, "politik_kraenkelser": number < 4},
        )
    domain.round_invite(reporting_round=reporting_round)
    links = {
        link.person.name: f"{live_server.url}/rapportering/{link.current_token()}/"
        for link in ReportLink.objects.select_related("person")
    }
    secretary = StaffFactory(is_staff=False, is_superuser=False, username="sek")
    secretary.groups.add(Group.objects.get_or_create(name=SECRETARIAT)[0])

    # Anna saves a draft with one answer.
    anna = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900}).new_page()
    anna.goto(links["Anna Kontakt"])
    assert anna.locator("h1").inner_text() == "Årlig rapportering 2026"
    assert serious_accessibility_violations(anna) == []
    anna.get_by_label("Hvor mange ansatte har organisationen").fill("10")
    anna.get_by_role("button", name="Gem kladde").click()
    assert anna.get_by_text("Kladden er gemt.").is_visible()

    # Bo sees her draft, tries to submit too early, then completes and submits it.
    bo = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900}).new_page()
    bo.goto(links["Bo Kollega"])
    assert "senest gemt af Anna Kontakt" in bo.locator("#report-state").inner_text()
    assert bo.get_by_label("Hvor mange ansatte har organisationen").input_value() == "10"
    bo.get_by_role("button", name="Indsend rapporteringen").click()
    assert bo.get_by_text("Intet er gemt. Ret venligst de markerede felter.").is_visible()
    assert serious_accessibility_violations(bo) == []
    _split(bo, "Bestyrelsen", 7, 3, 4)
    _split(bo, "Ledelsen", 2, 1, 1)
    _split(bo, "De ansatte", 10, 5, 5)
    _yes_no(bo, "Har organisationen en politik mod krænkelser?", "Ja")
    _yes_no(bo, "Har organisationen en navngiven kontaktperson for krænkelser?", "Ja")
    _yes_no(bo, "Har organisationen målt trivslen i år?", "Nej")
    bo.get_by_role("group", name="Er der trinfri adgang for publikum?").get_by_label(
        "Delvist"
    ).check()
    bo.get_by_role("button", name="Indsend rapporteringen").click()
    assert bo.get_by_text("Tak! Rapporteringen er indsendt.").is_visible()
    report = Report.objects.get(organisation=partner)
    assert (report.status, report.saved_by) == (Report.Status.SUBMITTED, "Bo Kollega")

    # The secretariat sees the status and the results chart.
    staff = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900}).new_page()
    staff.goto(f"{live_server.url}/backoffice/rapportering/2026/")
    staff.get_by_label("Brugernavn").fill("sek")
    staff.get_by_label("Adgangskode").fill("secret-pass")
    staff.get_by_role("button", name="Log ind").click()
    assert staff.locator(".status-counts").inner_text().split("\n")[0] == "6 indsendt"
    assert "Alle har indsendt." in staff.locator("table.chase").inner_text()
    assert serious_accessibility_violations(staff) == []
    staff.get_by_role("link", name="Resultater").click()
    policy = staff.locator('section[aria-labelledby="q-politik_kraenkelser"]')
    assert "5 · 83 %" in policy.inner_text()
    assert policy.locator("svg.bar-svg").count() == 2
    assert serious_accessibility_violations(staff) == []
