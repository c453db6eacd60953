"""Meetings found by date polls, invitations with .ics files, updates, cancellations, RSVPs."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from handlespor.mail.models import OutboxMessage
from handlespor.selection.models import Decision
from handlespor.trackyear import domain
from handlespor.trackyear.calendar import meeting_invitation
from handlespor.trackyear.models import Meeting, PollAnswer, Venue

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")


def _local(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CPH)


def _token(member: Decision) -> str:
    return member.current_seat_token()


def _event(ics: str | bytes):
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


@pytest.fixture
def meeting(members):
    track, leader = members
    return domain.meeting_create(
        track=track,
        actor=leader,
        title="Første møde",
        agenda="1. Velkommen\n2. Årets plan",
        format=Meeting.Format.HYBRID,
        duration=180,
        online_link="https://example.org/moede",
    )


def test_invitation_says_the_local_time_on_both_sides_of_the_spring_change(meeting):
    venue = Venue.objects.create(
        name="Musikhuset", address="Vestergade 1", postcode="8000", town="Aarhus"
    )
    meeting.venue, meeting.starts_at = venue, _local(2027, 3, 29, 17)
    after = meeting_invitation(meeting, attendee="anne@example.org")
    meeting.starts_at = _local(2027, 3, 26, 17)
    before = meeting_invitation(meeting, attendee="anne@example.org")

    calendar, event = _event(after)
    _calendar, winter = _event(before)
    start = event["DTSTART"]
    assert calendar["METHOD"] == "REQUEST"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    assert start.params["TZID"] == "Europe/Copenhagen"
    assert (start.dt.hour, start.dt.minute, start.dt.utcoffset()) == (17, 0, timedelta(hours=2))
    assert winter["DTSTART"].dt.utcoffset() == timedelta(hours=1)
    assert event["DTEND"].dt.hour == 20
    assert str(event["UID"]) == f"{meeting.uid}@handlespor"
    assert str(event["LOCATION"]) == "Musikhuset, Vestergade 1, 8000 Aarhus"
    assert str(event["ATTENDEE"]) == "mailto:anne@example.org"
    assert after.decode().count("mailto:") == 2  # the organiser and the one member


def test_poll_finds_the_date_and_every_member_is_invited_with_their_own_ics(
    client, members, meeting
):
    track, leader = members
    client.force_login(leader)
    url = reverse("trackyear:track", args=[track.call.year, track.slug])
    options = [_local(2027, 3, 29, 17), _local(2027, 3, 30, 17), _local(2027, 4, 6, 10)]
    client.post(
        url,
        {
            "action": "poll",
            "poll-meeting": meeting.pk,
            "poll-options": "\n".join(f"{o:%Y-%m-%d %H:%M}" for o in options) + "\n",
            "poll-closes_at": "2027-03-20 12:00",
        },
    )
    meeting.refresh_from_db()
    poll = meeting.poll
    first, second, third = poll.options.all()
    people = list(domain.track_members(track))
    answers_of = [("no", "yes", "maybe"), ("maybe", "yes", "no"), ("yes", "yes", "no")]
    for member, answers in zip(people[:3], answers_of, strict=True):
        page = reverse("trackyear:member", args=[_token(member)])
        client.post(
            page,
            {
                "action": "poll",
                "poll": poll.pk,
                **{
                    f"poll{poll.pk}-option_{o.pk}": a
                    for o, a in zip((first, second, third), answers, strict=True)
                },
            },
        )
    results = domain.poll_results(poll)
    board = client.get(url).content.decode()
    OutboxMessage.objects.all().delete()

    client.post(
        url,
        {"action": "finalise", "poll": poll.pk, f"finalise{poll.pk}-option": second.pk},
    )

    meeting.refresh_from_db()
    invitations = OutboxMessage.objects.order_by("to")
    assert [(r["option"].pk, r["yes"], r["maybe"], r["no"]) for r in results] == [
        (second.pk, 3, 0, 0),
        (first.pk, 1, 1, 1),
        (third.pk, 0, 1, 2),
    ]
    assert people[0].application.name in board
    assert (meeting.status, meeting.starts_at) == ("fixed", options[1])
    assert sorted(invitations.values_list("to", flat=True)) == sorted(
        m.application.email for m in people
    )
    for message in invitations:
        (attachment,) = message.attachments
        _calendar, event = _event(attachment["content"])
        assert attachment["content_type"] == "text/calendar; method=REQUEST"
        assert attachment["content"].count("mailto:") == 2  # the organiser and this member
        assert str(event["ATTENDEE"]) == f"mailto:{message.to}"
        assert event["DTSTART"].dt == options[1]


def test_member_may_change_answers_until_the_poll_closes(members, meeting):
    track, leader = members
    member = domain.track_members(track).first()
    poll = domain.poll_open(
        meeting=meeting,
        options=[_local(2027, 5, 3, 17), _local(2027, 5, 4, 17)],
        closes_at=timezone.now() + timedelta(days=3),
        actor=leader,
    )
    first, second = poll.options.all()

    domain.poll_answer(poll=poll, member=member, answers={first.pk: "yes", second.pk: "no"})
    domain.poll_answer(poll=poll, member=member, answers={first.pk: "no", second.pk: "maybe"})
    poll.closes_at = timezone.now() - timedelta(minutes=1)
    poll.save()

    with pytest.raises(domain.PollClosedError):
        domain.poll_answer(poll=poll, member=member, answers={first.pk: "yes"})
    assert sorted(PollAnswer.objects.values_list("answer", flat=True)) == ["maybe", "no"]


def test_member_of_another_track_cannot_answer(released, members, meeting):
    track, leader = members
    poll = domain.poll_open(
        meeting=meeting,
        options=[_local(2027, 5, 3, 17), _local(2027, 5, 4, 17)],
        closes_at=timezone.now() + timedelta(days=3),
        actor=leader,
    )
    stranger = Decision.objects.filter(outcome="selected").exclude(track=track).first()
    stranger.confirmed_at = timezone.now()
    stranger.save()

    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        domain.poll_answer(poll=poll, member=stranger, answers={poll.options.first().pk: "yes"})


def test_poll_reminder_goes_once_48_hours_before_to_those_who_have_not_answered(members, meeting):
    track, leader = members
    closes = timezone.now() + timedelta(days=5)
    poll = domain.poll_open(
        meeting=meeting,
        options=[closes + timedelta(days=10), closes + timedelta(days=11)],
        closes_at=closes,
        actor=leader,
    )
    people = list(domain.track_members(track))
    domain.poll_answer(
        poll=poll, member=people[0], answers={o.pk: "yes" for o in poll.options.all()}
    )

    early = domain.polls_remind(now=closes - timedelta(hours=49))
    due = domain.polls_remind(now=closes - timedelta(hours=47))
    again = domain.polls_remind(now=closes - timedelta(hours=2))

    reminded = OutboxMessage.objects.filter(subject__startswith="Påmindelse: hvornår")
    assert (early, due, again) == (0, len(people) - 1, 0)
    assert people[0].application.email not in set(reminded.values_list("to", flat=True))


def test_change_raises_the_sequence_and_cancel_removes_it_from_calendars(members, meeting):
    track, leader = members
    meeting.starts_at, meeting.status = _local(2027, 6, 1, 17), Meeting.Status.FIXED
    meeting.save()
    people = domain.track_members(track).count()

    changed = domain.meeting_change(meeting=meeting, actor=leader, starts_at=_local(2027, 6, 2, 17))
    update = OutboxMessage.objects.filter(subject__startswith="Ændret:").first()
    cancelled = domain.meeting_cancel(meeting=meeting, actor=leader)
    cancellation = OutboxMessage.objects.filter(subject__startswith="Aflyst:").first()

    _calendar, event = _event(update.attachments[0]["content"])
    cancel_calendar, cancel_event = _event(cancellation.attachments[0]["content"])
    assert (changed, cancelled) == (people, people)
    assert (int(event["SEQUENCE"]), event["DTSTART"].dt) == (1, _local(2027, 6, 2, 17))
    assert cancel_calendar["METHOD"] == "CANCEL"
    assert (str(cancel_event["STATUS"]), int(cancel_event["SEQUENCE"])) == ("CANCELLED", 2)
    assert str(cancel_event["UID"]) == str(event["UID"])


def test_member_rsvps_and_finds_the_meeting_in_their_calendar_feed(client, members, meeting):
    track, _leader = members
    meeting.starts_at, meeting.status = _local(2027, 6, 1, 17), Meeting.Status.FIXED
    meeting.save()
    member = domain.track_members(track).first()
    page = reverse("trackyear:member", args=[_token(member)])

    client.post(
        page,
        {
            "action": "rsvp",
            "meeting": meeting.pk,
            f"rsvp{meeting.pk}-answer": "online",
            f"rsvp{meeting.pk}-reason": "Lang rejse",
        },
    )
    feed = client.get(reverse("trackyear:member_feed", args=[_token(member)]))

    rsvp = member.rsvps.get()
    _calendar, event = _event(feed.content)
    assert (rsvp.answer, rsvp.reason) == ("online", "Lang rejse")
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    assert event["DTSTART"].dt == _local(2027, 6, 1, 17)
    assert "mailto:" + member.application.email not in feed.content.decode()


def test_outbox_sends_the_invitation_as_a_calendar_attachment(members, meeting):
    from django.core import mail

    from handlespor.mail.domain import outbox_send_message

    _track, leader = members
    meeting.starts_at, meeting.status = _local(2027, 6, 1, 17), Meeting.Status.FIXED
    meeting.save()
    domain.meeting_change(meeting=meeting, actor=leader, duration=120)
    message = OutboxMessage.objects.filter(subject__startswith="Ændret:").first()

    outbox_send_message(message_id=message.pk)

    sent = mail.outbox[-1]
    (filename, content, mimetype) = sent.attachments[0]
    assert (filename, mimetype.split(";")[0]) == ("invitation.ics", "text/calendar")
    assert "BEGIN:VCALENDAR" in (content.decode() if isinstance(content, bytes) else content)


def test_reminders_command_runs_one_round_of_seat_and_poll_reminders(members, meeting):
    from io import StringIO

    from django.core.management import call_command

    track, leader = members
    closes = timezone.now() + timedelta(hours=30)
    domain.poll_open(
        meeting=meeting,
        options=[closes + timedelta(days=3), closes + timedelta(days=4)],
        closes_at=closes,
        actor=leader,
    )
    out = StringIO()

    call_command("reminders", stdout=out)

    people = domain.track_members(track).count()
    assert out.getvalue() == (
        f"0 seat reminders, 0 seats passed to the waiting list, {people} poll reminders, "
        "0 meeting reminders, 0 reporting invitations, 0 reporting reminders.\n"
    )


def test_in_person_meeting_shows_members_how_to_get_there(client, members, meeting):
    track, leader = members
    venue = Venue.objects.create(
        name="Musikhuset",
        address="Vestergade 1",
        postcode="8000",
        town="Aarhus",
        step_free=True,
        hearing_loop=True,
        directions="Bus 2A til Rådhuset, 5 minutters gang.",
    )
    meeting.venue, meeting.starts_at = venue, _local(2027, 6, 1, 17)
    meeting.save()
    member = domain.track_members(track).first()

    domain.meeting_change(meeting=meeting, actor=leader, duration=150)
    page = client.get(reverse("trackyear:member", args=[_token(member)])).content.decode()

    update = OutboxMessage.objects.filter(to=member.application.email).latest("pk")
    for text in (
        "Vestergade 1, 8000 Aarhus",
        "Bus 2A til Rådhuset",
        "Trinfri adgang.",
        "Teleslynge.",
    ):
        assert text in page
        assert text in update.body


def test_year_plan_has_a_purpose_for_the_members_and_no_more_meetings_than_the_call_sets(
    client, members, meeting
):
    track, leader = members
    track.call.meetings_per_year = 2
    track.call.save()
    client.force_login(leader)
    url = reverse("trackyear:track", args=[track.call.year, track.slug])
    new_meeting = {
        "action": "meeting",
        "meeting-title": "Andet møde",
        "meeting-format": "in_person",
        "meeting-duration": "180",
    }

    client.post(url, {"action": "purpose", "purpose-year_purpose": "Vi vil **måle trivsel**."})
    second = client.post(url, new_meeting)
    third = client.post(url, new_meeting | {"meeting-title": "Tredje møde"})

    member = domain.track_members(track).first()
    page = client.get(reverse("trackyear:member", args=[_token(member)])).content.decode()
    assert second.status_code == 302
    assert third.status_code == 400
    assert "Året har allerede 2 møder" in third.content.decode()
    assert list(track.meetings.values_list("title", flat=True).order_by("pk")) == [
        "Første møde",
        "Andet møde",
    ]
    assert "Vi vil <strong>måle trivsel</strong>." in page
