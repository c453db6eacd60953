"""A selected person answers their seat from the e-mailed link, in a real browser."""

import re

import pytest

from handlespor.calls.demo import demo_create
from handlespor.calls.models import Application
from handlespor.mail.models import OutboxMessage
from handlespor.selection.decisions import decisions_release, proposal_approve
from handlespor.selection.domain import proposal_start
from handlespor.selection.models import Decision
from tests.browser.conftest import serious_accessibility_violations
from tests.factories import StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_selected_person_confirms_the_seat_and_sees_the_member_page(live_server, page):
    call = demo_create(applications=40, organisations=30)
    Application.objects.filter(call=call).update(eligibility=Application.Eligibility.ELIGIBLE)
    user = StaffFactory(is_staff=False, is_superuser=False)
    proposal = proposal_start(call=call, user=user)  # the test backend runs it at once
    proposal.refresh_from_db()
    proposal_approve(proposal=proposal, user=user)
    decisions_release(call=call, user=user)
    seat = Decision.objects.filter(outcome="selected").select_related("application", "track")[0]
    body = OutboxMessage.objects.get(to=seat.application.email).body
    path = re.search(r"/deltager/[\w-]+/", body).group(0)

    page.goto(live_server.url + path)
    page.get_by_role("heading", name=seat.track.name).wait_for()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Ja, jeg tager pladsen").click()
    page.get_by_text("Din plads er bekræftet").wait_for()

    assert page.get_by_role("cell", name=f"{seat.application.name} (dig)").is_visible()
    assert serious_accessibility_violations(page) == []
    seat.refresh_from_db()
    assert seat.seat_state == "confirmed"


def test_leader_page_and_member_poll_have_no_serious_accessibility_violations(live_server, page):
    from datetime import timedelta

    from django.utils import timezone

    from handlespor.trackyear import domain

    call = demo_create(applications=40, organisations=30)
    Application.objects.filter(call=call).update(eligibility=Application.Eligibility.ELIGIBLE)
    user = StaffFactory(is_staff=False, is_superuser=False, username="leder")
    proposal = proposal_start(call=call, user=user)
    proposal.refresh_from_db()
    proposal_approve(proposal=proposal, user=user)
    decisions_release(call=call, user=user)
    track = call.tracks.get(slug="trivsel")
    track.leaders.add(user)
    Decision.objects.filter(track=track, outcome="selected").update(confirmed_at=timezone.now())
    meeting = domain.meeting_create(track=track, actor=user, title="Første møde", duration=180)
    soon = timezone.now() + timedelta(days=20)
    domain.poll_open(
        meeting=meeting,
        options=[soon, soon + timedelta(days=1)],
        closes_at=timezone.now() + timedelta(days=5),
        actor=user,
    )
    member = domain.track_members(track).first()

    page.goto(f"{live_server.url}/deltager/{member.current_seat_token()}/")
    page.get_by_role("heading", name="Hvornår kan du til Første møde?").wait_for()
    page.get_by_role("radio", name="ja").first.check()
    page.get_by_role("radio", name="nej").last.check()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Gem mine svar").click()
    page.get_by_text("Dine svar er gemt").wait_for()
    page.goto(f"{live_server.url}/handlespor/{call.year}/trivsel/")
    page.get_by_label("Brugernavn").fill("leder")
    page.get_by_label("Adgangskode").fill("secret-pass")
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("heading", name="Datoafstemning: Første møde").wait_for()

    assert member.application.name in page.locator("table.poll-results").inner_text()
    assert serious_accessibility_violations(page) == []
