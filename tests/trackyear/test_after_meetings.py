"""After a meeting and between meetings: attendance on one screen, minutes and documents for the
members, actions, and the reminders 7 days and 1 day before a meeting."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from handlespor.mail.models import OutboxMessage
from handlespor.selection.models import Decision
from handlespor.trackyear import domain
from handlespor.trackyear.models import Action, Document, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(members, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    track, leader = members
    meetings = []
    for number in (1, 2, 3):
        meeting = domain.meeting_create(
            track=track, actor=leader, title=f"Møde {number}", duration=180
        )
        meeting.status = Meeting.Status.FIXED
        meeting.starts_at = timezone.now() - timedelta(days=100 - number * 30)
        meeting.save()
        meetings.append(meeting)
    return track, leader, meetings


def _meeting_url(track, meeting) -> str:
    return reverse("trackyear:meeting", args=[track.call.year, track.slug, meeting.pk])


def test_leader_records_attendance_and_the_track_page_flags_two_missed_in_a_row(client, held):
    track, leader, meetings = held
    people = list(domain.track_members(track))
    client.force_login(leader)
    plans = [
        {p.pk: "in_person" for p in people} | {people[0].pk: "absent", people[1].pk: "online"},
        {p.pk: "in_person" for p in people} | {people[0].pk: "absent"},
    ]
    for meeting, plan in zip(meetings[:2], plans, strict=True):
        client.post(
            _meeting_url(track, meeting),
            {"action": "attendance", **{f"attendance-member_{pk}": s for pk, s in plan.items()}},
        )

    page = client.get(reverse("trackyear:track", args=[track.call.year, track.slug]))

    rows = {r["member"].pk: r for r in page.context["attendance"]["rows"]}
    assert [m.title for m in page.context["attendance"]["meetings"]] == ["Møde 1", "Møde 2"]
    assert rows[people[0].pk]["missed_two_in_a_row"] is True
    assert rows[people[0].pk]["in_person_share"] == 0
    assert rows[people[1].pk]["in_person_share"] == 50
    assert rows[people[2].pk]["in_person_share"] == 100
    assert [r["missed_two_in_a_row"] for r in rows.values()].count(True) == 1
    assert page.content.decode().count("fraværende to gange i træk") == 1


def test_attendance_needs_an_answer_for_everyone_and_stores_nothing_without(client, held):
    track, leader, meetings = held
    client.force_login(leader)

    page = client.post(_meeting_url(track, meetings[0]), {"action": "attendance"})

    meetings[0].refresh_from_db()
    assert page.status_code == 400
    assert "Vælg for hver deltager." in page.content.decode()
    assert (meetings[0].attendance.count(), meetings[0].status) == (0, "fixed")


def test_minutes_go_to_the_members_once_with_the_documents_on_their_page(client, held):
    track, leader, meetings = held
    meeting = meetings[0]
    client.force_login(leader)
    url = _meeting_url(track, meeting)
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    client.post(url, {"action": "document", "document-title": "Årsplan", "document-file": pdf})
    document = Document.objects.get()
    member = domain.track_members(track).first()
    download = reverse("trackyear:member_document", args=[member.current_seat_token(), document.pk])
    before = client.get(download).status_code

    client.post(
        url,
        {"action": "record", "record-record": "**Vi besluttede** en plan.", "record-publish": "on"},
    )
    client.post(url, {"action": "record", "record-record": "Rettet.", "record-publish": "on"})

    meeting.refresh_from_db()
    sent = OutboxMessage.objects.filter(subject__startswith="Referat:")
    page = client.get(reverse("trackyear:member", args=[member.current_seat_token()]))
    assert before == 404
    assert sent.count() == domain.track_members(track).count()
    assert meeting.record == "Rettet."
    assert "<p>Rettet.</p>" in page.content.decode()
    assert b"".join(client.get(download).streaming_content) == b"%PDF-1.4 plan"


def test_document_of_another_type_is_refused_and_nothing_is_stored(client, held):
    track, leader, meetings = held
    client.force_login(leader)
    program = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")

    page = client.post(
        _meeting_url(track, meetings[0]),
        {"action": "document", "document-title": "Program", "document-file": program},
    )

    assert page.status_code == 400
    assert Document.objects.count() == 0


def test_actions_are_set_by_the_leader_and_each_member_updates_only_their_own(client, held):
    track, leader, _meetings = held
    people = list(domain.track_members(track))
    client.force_login(leader)
    client.post(
        reverse("trackyear:track", args=[track.call.year, track.slug]),
        {
            "action": "action",
            "action-what": "Skriv udkast til anbefalinger",
            "action-owners": [people[0].pk],
            "action-due": "2027-05-01",
        },
    )
    item = Action.objects.get()
    client.logout()

    other = client.post(
        reverse("trackyear:member", args=[people[1].current_seat_token()]),
        {"action": "action_status", "item": item.pk, "status": "done"},
    )
    item.refresh_from_db()
    still_open = item.status
    client.post(
        reverse("trackyear:member", args=[people[0].current_seat_token()]),
        {"action": "action_status", "item": item.pk, "status": "done"},
    )

    item.refresh_from_db()
    assert other.status_code == 403
    assert (still_open, item.status) == ("open", "done")
    assert [o.pk for o in item.owners.all()] == [people[0].pk]


def test_meeting_reminders_go_7_days_and_1_day_before_with_the_open_actions(held):
    track, leader, meetings = held
    upcoming = meetings[2]
    upcoming.starts_at = timezone.now() + timedelta(days=20)
    upcoming.save()
    domain.action_create(
        track=track,
        what="Læs rapporten",
        owners=list(domain.track_members(track)[:1]),
        due=None,
        actor=leader,
    )
    people = domain.track_members(track).count()
    start = upcoming.starts_at

    counts = [
        domain.meetings_remind(now=start - timedelta(days=8)),
        domain.meetings_remind(now=start - timedelta(days=6)),
        domain.meetings_remind(now=start - timedelta(days=5)),
        domain.meetings_remind(now=start - timedelta(hours=20)),
        domain.meetings_remind(now=start - timedelta(hours=2)),
    ]

    reminder = OutboxMessage.objects.filter(subject__startswith="Påmindelse: Møde 3").first()
    assert counts == [0, people, 0, people, 0]
    assert "- Læs rapporten" in reminder.body
    assert reminder.attachments[0]["content_type"] == "text/calendar; method=REQUEST"


def test_a_members_link_never_opens_another_tracks_documents(client, held, released):
    track, leader, meetings = held
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4", content_type="application/pdf")
    document = domain.document_add(meeting=meetings[0], title="Plan", file=pdf, actor=leader)
    domain.record_save(meeting=meetings[0], record="Referat", publish=True, actor=leader)
    other = (
        Decision.objects.filter(application__call=released, outcome="selected")
        .exclude(track=track)
        .first()
    )
    other.confirmed_at = timezone.now()
    other.save()
    own = domain.track_members(track).first()

    foreign = client.get(
        reverse("trackyear:member_document", args=[other.current_seat_token(), document.pk])
    )
    allowed = client.get(
        reverse("trackyear:member_document", args=[own.current_seat_token(), document.pk])
    )

    assert (foreign.status_code, allowed.status_code) == (404, 200)
