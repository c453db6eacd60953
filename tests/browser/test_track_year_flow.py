"""A track's year in a real browser: a leader's date poll answered by three members from their
pages, invitations through a real SMTP server with an .ics in Danish time after the spring
change, an RSVP, attendance and minutes; axe on every page of it."""

import email
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from icalendar import Calendar

from handlespor.calls.demo import demo_create
from handlespor.calls.models import Application
from handlespor.roles import SECRETARIAT
from handlespor.selection.decisions import decisions_release, proposal_approve
from handlespor.selection.domain import proposal_start
from handlespor.selection.models import Decision
from handlespor.trackyear import domain
from handlespor.trackyear.models import Meeting, Rsvp
from tests.browser.conftest import serious_accessibility_violations
from tests.factories import StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CPH = ZoneInfo("Europe/Copenhagen")
OPTIONS = ["2027-03-29 17:00", "2027-03-30 17:00", "2027-04-06 10:00", "2027-04-07 10:00"]


def _log_in(page, url: str, username: str) -> None:
    page.goto(url)
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill("secret-pass")
    page.get_by_role("button", name="Log ind").click()


def test_leader_finds_a_date_members_answer_and_the_year_goes_on(live_server, browser, smtp):
    _server, inbox = smtp
    call = demo_create(applications=40, organisations=30)
    Application.objects.filter(call=call).update(eligibility=Application.Eligibility.ELIGIBLE)
    secretary = StaffFactory(is_staff=False, is_superuser=False, username="sek")
    secretary.groups.add(Group.objects.get_or_create(name=SECRETARIAT)[0])
    proposal = proposal_start(call=call, user=secretary)  # the test backend runs it at once
    proposal.refresh_from_db()
    proposal_approve(proposal=proposal, user=secretary)
    decisions_release(call=call, user=secretary)
    track = call.tracks.get(slug="trivsel")
    leader = StaffFactory(is_staff=False, is_superuser=False, username="leder")
    track.leaders.add(leader)
    Decision.objects.filter(track=track, outcome="selected").update(confirmed_at=timezone.now())
    meeting = domain.meeting_create(track=track, actor=leader, title="Forårsmøde", duration=180)
    members = list(domain.track_members(track))
    inbox.messages.clear()
    staff = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    leader_page = staff.new_page()
    track_url = f"{live_server.url}/handlespor/{call.year}/trivsel/"

    # The leader opens a poll with four times.
    _log_in(leader_page, track_url, "leder")
    leader_page.locator("select[name='poll-meeting']").select_option(label="Forårsmøde")
    leader_page.get_by_label("Mulige tidspunkter").fill("\n".join(OPTIONS))
    leader_page.get_by_label("Afstemningen lukker").fill("2027-03-20 12:00")
    leader_page.get_by_role("button", name="Åbn datoafstemningen").click()
    leader_page.get_by_text("Datoafstemningen er åben").wait_for()
    assert serious_accessibility_violations(leader_page) == []

    # Three members answer from their own pages: yes, if need be, no to the first time.
    people = browser.new_context(locale="da-DK")
    member_page = people.new_page()
    for member, first in zip(members[:3], ["ja", "hvis det skal være", "nej"], strict=True):
        member_page.goto(f"{live_server.url}/deltager/{member.current_seat_token()}/")
        radios = member_page.locator(".poll input[type=radio]")
        assert radios.count() == 4 * 3
        member_page.get_by_role("radio", name=first, exact=True).first.check()
        for index in (1, 2, 3):
            radios.nth(index * 3 + 2).check()  # "nej" to the others
        if member == members[0]:
            assert serious_accessibility_violations(member_page) == []
        member_page.get_by_role("button", name="Gem mine svar").click()
        member_page.get_by_text("Dine svar er gemt").wait_for()

    # The leader sees the answers, best first, and fixes the first time.
    leader_page.goto(track_url)
    results = leader_page.locator("table.poll-results tbody tr")
    assert results.first.locator("td").first.inner_text().startswith("1")
    assert members[0].application.name in results.first.inner_text()
    poll = Meeting.objects.get(pk=meeting.pk).poll
    first_option = poll.options.order_by("starts_at").first()
    leader_page.locator("select[name$='-option']").select_option(value=str(first_option.pk))
    leader_page.get_by_role("button", name="Fastlæg og send invitationer").click()
    leader_page.get_by_text("Datoen er fastlagt").wait_for()

    # The invitations went through the SMTP server, each with its own .ics in Danish time.
    assert sorted(m.rcpt_tos[0] for m in inbox.messages) == sorted(
        m.application.email for m in members
    )
    message = email.message_from_bytes(inbox.messages[0].content)
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    (event,) = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert event["DTSTART"].dt == datetime(2027, 3, 29, 17, 0, tzinfo=CPH)
    assert event["DTSTART"].dt.utcoffset().total_seconds() == 2 * 3600

    # A member says they take part online.
    member_page.goto(f"{live_server.url}/deltager/{members[1].current_seat_token()}/")
    member_page.get_by_role("radio", name="deltager online").check()
    member_page.get_by_role("button", name="Gem svar").click()
    member_page.get_by_text("Tak, dit svar er gemt").wait_for()
    assert serious_accessibility_violations(member_page) == []
    assert Rsvp.objects.get().answer == "online"

    # After the meeting: attendance on one screen, and the minutes published.
    leader_page.get_by_role("link", name="Forårsmøde").click()
    for index in range(len(members)):
        leader_page.locator(f"input[name='attendance-member_{members[index].pk}']").first.check()
    leader_page.get_by_role("button", name="Gem fremmødet").click()
    leader_page.get_by_text("Fremmødet er registreret").wait_for()
    leader_page.locator("textarea[name='record-record']").fill("Vi valgte tre temaer.")
    leader_page.get_by_label("Offentliggør referatet").check()
    leader_page.get_by_role("button", name="Gem referatet").click()
    leader_page.get_by_text("Referatet er sendt til").wait_for()
    assert serious_accessibility_violations(leader_page) == []
    meeting.refresh_from_db()
    assert (meeting.status, meeting.attendance.count()) == ("held", len(members))

    # The secretariat's overview of every track's year.
    overview = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    sek_page = overview.new_page()
    _log_in(sek_page, f"{live_server.url}/handlespor/{call.year}/", "sek")
    sek_page.get_by_role("heading", name=f"Handlesporenes år {call.year}").wait_for()
    assert serious_accessibility_violations(sek_page) == []
    for context in (staff, people, overview):
        context.close()
