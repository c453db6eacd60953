import re
from pathlib import Path

import pytest
from django.core import mail

from handlespor.calls.models import Application
from handlespor.inbox.models import InboundMessage
from tests.browser.conftest import serious_accessibility_violations
from tests.factories import StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CORPUS = Path(__file__).parent.parent / "inbox" / "mail_corpus"


def test_secretariat_uploads_an_email_and_the_applicant_completes_it(
    live_server, page, call, organisation
):
    StaffFactory(username="sekretaer")
    page.goto(f"{live_server.url}/backoffice/indbakke/")
    page.get_by_label("Brugernavn").fill("sekretaer")
    page.get_by_label("Adgangskode").fill("secret-pass")
    page.get_by_role("button", name="Log ind").click()
    page.get_by_label("E-mails som fil").set_input_files(str(CORPUS / "15_two_tracks_unranked.eml"))
    page.get_by_role("button", name="Læs filen ind").click()
    page.get_by_text("Filen er læst: 1 ny e-mail").wait_for()
    page.get_by_label("E-mails som fil").set_input_files(str(CORPUS / "17_no_track.eml"))
    page.get_by_role("button", name="Læs filen ind").click()
    page.get_by_role("link", name="Spørgsmål om fristen").wait_for()
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="Blev til ansøgninger").click()
    page.get_by_role("link", name="Ansøgning", exact=True).click()
    page.get_by_role("heading", name="Ret handlespor eller organisation").wait_for()
    assert page.get_by_text("Trivsel i musiklivet, Grønnere musik (ikke rangeret)").is_visible()
    assert serious_accessibility_violations(page) == []

    match = re.search(r"https?://[^/\s]+(/ansoegning/[^/\s]+/)", mail.outbox[0].body)
    page.goto(live_server.url + match.group(1))
    page.get_by_role("link", name="Udfyld ansøgningen").click()
    assert page.locator("h1").inner_text() == "Udfyld din ansøgning"
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Din organisation", exact=True).select_option(label="Musikhuset Nord")
    page.get_by_role("group", name="Din rolle i organisationen").get_by_label("Ledelse").check()
    page.get_by_label("Hvad kan du bidrage med?").fill("Erfaring med frivillige kor.")
    page.get_by_label("Aktørtype").select_option("Orkester/ensemble/kor")
    page.get_by_role("group", name="Musikfelt").get_by_label("Kor/amatør").check()
    page.get_by_label("Postnummer").fill("5000")
    page.get_by_role("group", name="Antal år i musiklivet").get_by_label("6–10 år").check()
    page.get_by_label("Jeg kan deltage fysisk i 3–4 møder om året.").check()
    page.get_by_label("Jeg eller min organisation dækker mine udgifter").check()
    page.get_by_label("Min organisation bidrager til partnerskabets årlige rapportering").check()
    page.get_by_label("Jeg har beslutningsmandat").check()
    page.get_by_label("Jeg giver samtykke").check()
    page.get_by_role("button", name="Gem og gør ansøgningen komplet").click()

    page.get_by_text("Tak – din ansøgning er nu komplet.").wait_for()
    application = Application.objects.get(channel="email")
    assert application.state == Application.State.SUBMITTED
    assert application.region == "Syddanmark"
    assert InboundMessage.objects.count() == 2
