import pytest

from handlespor.calls.demo import demo_create
from handlespor.calls.models import Application
from handlespor.engine.lottery import lottery_number
from handlespor.selection.models import Decision, Lottery
from tests.browser.conftest import secretariat_logs_in, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretariat_computes_the_chances_draws_and_approves(live_server, page):
    # Every track filled to its 12 seats: the demo's 150 applicants.
    call = demo_create()
    Application.objects.filter(call=call).update(eligibility=Application.Eligibility.ELIGIBLE)
    secretariat_logs_in(page, f"{live_server.url}/udvaelgelse/{call.year}/")

    page.get_by_role("button", name="Lodtrækning").click()
    page.get_by_role("heading", name="Hver ansøgers chance").wait_for(timeout=60_000)
    assert serious_accessibility_violations(page) == []
    lowest = page.locator("dt", has_text="Laveste chance").locator("xpath=following-sibling::dd[1]")
    assert lowest.inner_text().endswith(" %")

    page.get_by_label("Frø").fill("terning 3 1 4 1 5")
    page.get_by_role("button", name="Træk lod").click()
    page.get_by_text("Lodtrækningen gav nummer").wait_for()
    number = lottery_number("terning 3 1 4 1 5", 1000)
    assert Lottery.objects.get().number == number
    assert f"Lodtrækning: nummer {number} af 1000" in page.content()

    page.goto(f"{live_server.url}/udvaelgelse/{call.year}/lodtraekning/")
    page.get_by_role("link", name="Side til offentliggørelse (udskriv)").click()
    page.get_by_role("heading", name="Sådan foregår lodtrækningen").wait_for()
    assert serious_accessibility_violations(page) == []

    page.goto(f"{live_server.url}/udvaelgelse/{call.year}/")
    page.get_by_role("button", name="Godkend dette forslag").click()
    page.get_by_role("button", name="Godkend alligevel").click()
    page.get_by_role("heading", name="Afgørelser, der venter på at blive sendt").wait_for()
    assert Decision.objects.filter(outcome=Decision.Outcome.SELECTED).count() == 48
