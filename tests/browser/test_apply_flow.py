import re

import pytest
from django.core import mail

from handlespor.calls.models import Application
from tests.browser.conftest import serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _link_from_mail() -> str:
    match = re.search(r"https?://[^/\s]+(/ansoegning/[^/\s]+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_a_new_applicant_applies_gets_the_receipt_and_withdraws(
    live_server, page, call, organisation
):
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Open call: handlespor 2027"
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="Søg om at deltage").click()
    assert page.locator("h1").inner_text() == "Ansøg om at deltage i et handlespor"
    assert serious_accessibility_violations(page) == []

    page.get_by_role("button", name="Send ansøgning").click()
    assert page.get_by_text("Ansøgningen er ikke sendt.").is_visible()
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Dit navn").fill("Mette Kjær")
    page.get_by_label("Din e-mail").fill("mette@example.org")
    page.get_by_label("Din organisation", exact=True).select_option(label="Musikhuset Nord")
    page.get_by_role("group", name="Din rolle i organisationen").get_by_label("Ledelse").check()
    page.get_by_role("group", name="Handlespor, 1. prioritet").get_by_label(
        "Grønnere musik"
    ).check()
    page.get_by_label("Motivation").fill("Vi vil gerne gøre vores festival grønnere.")
    page.get_by_label("Hvad kan du bidrage med?").fill("Erfaring med affaldssortering.")
    page.get_by_label("Aktørtype").select_option("Festival")
    page.get_by_role("group", name="Musikfelt").get_by_label("Rytmisk").check()
    page.get_by_label("Postnummer").fill("9000")
    page.locator("#postcode-region").get_by_text("Region: Nordjylland").wait_for()
    page.get_by_role("group", name="Antal år i musiklivet").get_by_label("6–10 år").check()
    page.get_by_label("Jeg kan deltage fysisk i 3–4 møder om året.").check()
    page.get_by_label("Jeg eller min organisation dækker mine udgifter").check()
    page.get_by_label("Min organisation bidrager til partnerskabets årlige rapportering").check()
    page.get_by_label("Jeg har beslutningsmandat").check()
    page.get_by_label("Jeg giver samtykke").check()
    page.get_by_role("button", name="Send ansøgning").click()

    assert page.locator("h1").inner_text() == "Tak for din ansøgning"
    assert page.get_by_text("Vi vil gerne gøre vores festival grønnere.").is_visible()
    assert serious_accessibility_violations(page) == []
    application = Application.objects.get()
    assert (application.region, application.first_choice.name) == ("Nordjylland", "Grønnere musik")

    page.goto(live_server.url + _link_from_mail())
    assert page.locator("h1").inner_text() == "Din ansøgning"
    page.get_by_role("link", name="Træk ansøgningen tilbage").click()
    page.get_by_label("Ja, træk min ansøgning tilbage.").check()
    page.get_by_role("button", name="Træk tilbage").click()

    assert page.get_by_text("Ansøgningen er trukket tilbage.").is_visible()
    application.refresh_from_db()
    assert application.state == Application.State.WITHDRAWN
