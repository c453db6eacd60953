"""The board's first screen on a 1280×800 screen, and at 200 % zoom, as every role sees it."""

import pytest
from django.contrib.auth.models import Group

from handlespor.calls.demo import demo_create
from handlespor.calls.models import Application
from handlespor.roles import SECRETARIAT, STEERING_GROUP
from handlespor.selection.domain import proposal_start
from tests.browser.conftest import serious_accessibility_violations
from tests.factories import StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every shown table, card and list: none may be wider than its box or run out of its parent.
OVERFLOWING = """() => [...document.querySelectorAll(
    'main table, main section, main details, main .track-grid, main ol, main dl')]
  .filter(el => el.checkVisibility())
  .filter(el => el.scrollWidth > el.clientWidth + 1
    || el.getBoundingClientRect().right > el.parentElement.getBoundingClientRect().right + 1)
  .map(el => `${el.tagName.toLowerCase()}.${el.className}`)"""
PAGE_SCROLLS_SIDEWAYS = "() => document.documentElement.scrollWidth > window.innerWidth"


@pytest.fixture
def board_call(transactional_db):
    """The demo call with a finished proposal, and one user of each role that sees the board."""
    call = demo_create(applications=48, organisations=36)
    Application.objects.filter(call=call).update(eligibility=Application.Eligibility.ELIGIBLE)
    users = {}
    for role, group in (("secretariat", SECRETARIAT), ("steering", STEERING_GROUP)):
        users[role] = StaffFactory(is_staff=False, is_superuser=False, username=role)
        users[role].groups.add(Group.objects.get_or_create(name=group)[0])
    users["leader"] = StaffFactory(is_staff=False, is_superuser=False, username="leader")
    call.tracks.get(slug="trivsel").leaders.add(users["leader"])
    proposal_start(call=call, user=users["secretariat"])  # the test backend runs it at once
    return call


def _open_board(live_server, page, call, username: str) -> None:
    page.goto(f"{live_server.url}/udvaelgelse/{call.year}/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill("secret-pass")
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("heading", name="Trivsel i musiklivet").wait_for()


def _in_first_screen(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and (box["x"] + box["width"] <= size["width"])
    )


@pytest.mark.parametrize("role", ["secretariat", "steering", "leader"])
def test_board_first_screen_shows_the_tracks_side_by_side_and_the_matrix(
    live_server, browser, board_call, role
):
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    _open_board(live_server, page, board_call, role)

    cards = page.locator("section.track-card")
    matrix = page.locator("table.matrix")
    tops = [round(cards.nth(i).bounding_box()["y"]) for i in range(cards.count())]

    assert cards.count() == 4
    assert len(set(tops)) == 1  # side by side
    assert all(_in_first_screen(page, cards.nth(i)) for i in range(4))
    assert _in_first_screen(page, matrix)
    assert matrix.locator("tbody tr").count() > 0
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate(PAGE_SCROLLS_SIDEWAYS) is False
    assert serious_accessibility_violations(page) == []
    context.close()


@pytest.mark.parametrize("role", ["secretariat", "leader"])
def test_board_details_open_on_demand_and_nothing_runs_out_of_its_card_at_200_percent(
    live_server, browser, board_call, role
):
    # 200 % zoom of a 1280 x 800 screen: half as many CSS pixels, each drawn twice.
    context = browser.new_context(
        locale="da-DK", viewport={"width": 640, "height": 400}, device_scale_factor=2
    )
    page = context.new_page()
    _open_board(live_server, page, board_call, role)

    for details in page.locator("main details").all():
        details.locator("summary").first.click()

    assert page.locator("main details[open]").count() == page.locator("main details").count()
    assert page.locator("dl.facts").first.is_visible()
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate(PAGE_SCROLLS_SIDEWAYS) is False
    assert serious_accessibility_violations(page) == []
    context.close()
