import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is needed for the browser tests: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A page whose Content-Security-Policy violations fail the test: every script and style
    the site needs must come from its own files."""
    context = browser.new_context(locale="da-DK", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert blocked == []


def serious_accessibility_violations(page) -> list[str]:
    """Run axe-core on the page; describe each serious or critical violation."""
    # Evaluated through the browser's debugging protocol, which the page's CSP does not cover.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in result["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def secretariat_logs_in(page, url: str) -> None:
    """A secretariat user ("sekretaer") opens `url` and logs in on the way."""
    from django.contrib.auth.models import Group

    from handlespor.roles import SECRETARIAT
    from tests.factories import StaffFactory

    user = StaffFactory(is_staff=False, is_superuser=False, username="sekretaer")
    user.groups.add(Group.objects.get_or_create(name=SECRETARIAT)[0])
    page.goto(url)
    page.get_by_label("Brugernavn").fill("sekretaer")
    page.get_by_label("Adgangskode").fill("secret-pass")
    page.get_by_role("button", name="Log ind").click()
