import pytest
from django.core import mail

from handlespor.calls.demo import demo_create
from handlespor.calls.models import Application
from handlespor.selection.models import Decision, SelectionLock
from tests.browser.conftest import secretariat_logs_in, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _board_with_a_proposal(live_server, page):
    """The secretariat logged in on the demo call's board, with a proposal run."""
    call = demo_create(applications=40, organisations=30)
    Application.objects.filter(call=call).update(eligibility=Application.Eligibility.ELIGIBLE)
    secretariat_logs_in(page, f"{live_server.url}/udvaelgelse/{call.year}/")
    page.get_by_role("button", name="Kør sammensætningen").click()
    page.get_by_role("heading", name="Trivsel i musiklivet").wait_for()
    return call


def test_secretariat_composes_locks_approves_and_releases(live_server, page):
    call = _board_with_a_proposal(live_server, page)
    assert serious_accessibility_violations(page) == []

    page.locator("details.not-selected summary").click()
    row = page.locator("details.not-selected table tbody tr").first
    name = row.locator("td").first.inner_text()
    row.get_by_role("combobox").select_option(label="Grønnere musik")
    row.get_by_role("button").click()
    page.locator("#locks").get_by_text(f"{name}: låst til handlespor Grønnere musik").wait_for()
    page.get_by_role("button", name="Kør sammensætningen").click()
    green = page.locator(
        "section.proposal-track", has=page.get_by_role("heading", name="Grønnere musik")
    )
    green.locator("summary", has_text=name).wait_for()
    assert SelectionLock.objects.get().application.name == name

    page.get_by_role("button", name="Godkend dette forslag").click()
    page.get_by_role("heading", name="Fristen er ikke udløbet").wait_for()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Godkend alligevel").click()
    page.get_by_role("heading", name="Afgørelser, der venter på at blive sendt").wait_for()
    assert page.locator(".mail-preview").count() == Decision.objects.count()
    assert serious_accessibility_violations(page) == []
    mail.outbox = []
    page.get_by_role("button", name="Send").click()
    page.get_by_role("button", name="Send alligevel").click()
    page.get_by_text("afgørelser er sendt til udbakken").wait_for()

    locked = Application.objects.get(name=name, call=call)
    received = [m for m in mail.outbox if m.to == [locked.email]]
    assert len(received) == 1
    assert received[0].subject.startswith("Svar senest ")
    assert received[0].subject.endswith(": bekræft din plads i Grønnere musik")


def test_failed_lock_says_why_beside_the_button_that_was_clicked(live_server, page):
    _board_with_a_proposal(live_server, page)
    page.locator("section.proposal-track details.member summary").first.click()
    form = page.locator("section.proposal-track form.inline-form").first
    applicant = form.locator('input[name="application"]').get_attribute("value")
    # Meanwhile the applicant withdraws.
    Application.objects.filter(pk=applicant).update(state=Application.State.WITHDRAWN)

    form.get_by_role("button").click()

    form.get_by_role("alert").wait_for()
    assert form.get_by_role("alert").inner_text() == (
        "Ansøgningen er ikke længere med (trukket tilbage eller slettet). Genindlæs siden."
    )
    assert SelectionLock.objects.count() == 0
