"""The secretariat's overview of every track's year, its exports, and query counts that do not
grow with the members."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from handlespor.selection.models import Decision
from handlespor.trackyear import domain
from handlespor.trackyear.models import Meeting

pytestmark = pytest.mark.django_db


def test_overview_shows_each_tracks_seats_meetings_attendance_and_what_is_missing(
    client, members, secretariat
):
    track, leader = members
    held = domain.meeting_create(track=track, actor=leader, title="Møde 1", duration=180)
    domain.meeting_create(track=track, actor=leader, title="Møde 2", duration=180)
    people = list(domain.track_members(track))
    held.starts_at = timezone.now() - timedelta(days=3)
    held.save()
    domain.attendance_record(
        meeting=held,
        statuses={p.pk: "in_person" for p in people} | {people[0].pk: "online"},
        actor=leader,
    )
    domain.action_create(track=track, what="Skriv", owners=people[:1], due=None, actor=leader)

    page = client.get(reverse("trackyear:overview", args=[track.call.year]))

    row = next(r for r in page.context["rows"] if r["track"] == track)
    assert row["seats"]["confirmed"] == len(people)
    assert dict(row["meetings"]) == {"held": 1, "planned": 1}
    assert row["in_person_share"] == round(100 * (len(people) - 1) / len(people))
    assert row["open_actions"] == 1
    assert [m.title for m in row["without_date"]] == ["Møde 2"]
    assert [m.title for m in row["without_venue"]] == ["Møde 2"]
    assert "Møde 2: ingen dato" in page.content.decode()
    others = [r for r in page.context["rows"] if r["track"] != track]
    assert all(r["seats"]["offered"] > 0 for r in others)


def test_member_list_export_has_every_seat_with_its_state(client, members, secretariat):
    track, _leader = members

    response = client.get(reverse("trackyear:members_export", args=[track.call.year, "csv"]))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    seats = Decision.objects.filter(outcome="selected", released_at__isnull=False).count()
    assert rows[0] == ["Handlespor", "Navn", "Organisation", "E-mail", "Plads", "Svarfrist"]
    assert len(rows) == 1 + seats
    assert {r[4] for r in rows[1:] if r[0] == track.name} == {"bekræftet"}


def test_staff_feed_holds_every_meeting_with_a_date(client, members, secretariat):
    from icalendar import Calendar

    track, leader = members
    meeting = domain.meeting_create(track=track, actor=leader, title="Møde", duration=60)
    meeting.starts_at, meeting.status = timezone.now() + timedelta(days=9), Meeting.Status.FIXED
    meeting.save()
    domain.meeting_create(track=track, actor=leader, title="Uden dato", duration=60)

    feed = client.get(reverse("trackyear:staff_feed", args=[track.call.year]))

    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [f"{track.name}: Møde"]


def _queries(client, url: str) -> int:
    """The queries of a page's second request (the first warms the caches)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_member_page_track_page_and_overview_query_counts_do_not_grow_with_members(
    client, members, secretariat
):
    track, leader = members
    meeting = domain.meeting_create(track=track, actor=leader, title="Møde", duration=60)
    domain.poll_open(
        meeting=meeting,
        options=[timezone.now() + timedelta(days=20), timezone.now() + timedelta(days=21)],
        closes_at=timezone.now() + timedelta(days=5),
        actor=leader,
    )
    people = list(domain.track_members(track))
    member_url = reverse("trackyear:member", args=[people[0].current_seat_token()])
    track_url = reverse("trackyear:track", args=[track.call.year, track.slug])
    overview_url = reverse("trackyear:overview", args=[track.call.year])
    Decision.objects.filter(pk__in=[p.pk for p in people[3:]]).update(
        confirmed_at=None, declined_at=timezone.now()
    )
    answers = {o.pk: "yes" for o in meeting.poll.options.all()}
    domain.poll_answer(poll=meeting.poll, member=people[0], answers=answers)
    urls = (member_url, track_url, overview_url)
    few = [_queries(client, url) for url in urls]
    for person in people[3:]:
        Decision.objects.filter(pk=person.pk).update(declined_at=None, confirmed_at=timezone.now())
        domain.poll_answer(poll=meeting.poll, member=person, answers=answers)

    many = [_queries(client, url) for url in urls]

    assert many == few
