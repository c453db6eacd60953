"""Meetings as iCalendar: the invitation, update and cancellation each member receives, and the
calendar feeds. Local time in Europe/Copenhagen with its VTIMEZONE, so calendars show the right
hour on both sides of the summer-time changes; the UID stays, SEQUENCE rises with each change;
no member's address but the recipient's own is ever in a file."""

from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from handlespor.trackyear.models import Meeting

TZ = ZoneInfo("Europe/Copenhagen")
PRODID = "-//Musiklivets Partnerskab//handlespor//DA"


def _calendar(method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def _event(meeting: Meeting, *, attendee: str | None = None) -> Event:
    event = Event()
    event.add("uid", f"{meeting.uid}@handlespor")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(meeting.starts_at, TZ))
    event.add("dtend", timezone.localtime(meeting.ends_at, TZ))
    event.add("summary", f"{meeting.track.name}: {meeting.title}")
    cancelled = meeting.status == Meeting.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if meeting.venue:
        venue = meeting.venue
        event.add("location", f"{venue.name}, {venue.address}, {venue.postcode} {venue.town}")
    description = [meeting.agenda.strip()] if meeting.agenda.strip() else []
    if meeting.online_link:
        description.append(f"Online: {meeting.online_link}")
    if description:
        event.add("description", "\n\n".join(description))
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(name or "Musiklivets Partnerskab")
    event.add("organizer", organizer)
    if attendee:
        invited = vCalAddress(f"mailto:{attendee}")
        invited.params["role"] = vText("REQ-PARTICIPANT")
        invited.params["rsvp"] = vText("FALSE")
        event.add("attendee", invited)
    return event


def meeting_invitation(meeting: Meeting, *, attendee: str) -> bytes:
    """The .ics for one member: a request (new or changed), or a cancellation."""
    cancelled = meeting.status == Meeting.Status.CANCELLED
    calendar = _calendar("CANCEL" if cancelled else "REQUEST")
    calendar.add_component(_event(meeting, attendee=attendee))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def meetings_feed(meetings: list[Meeting], *, name: str) -> bytes:
    """A calendar feed of the meetings that have a date (cancelled ones as cancelled)."""
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        if meeting.starts_at is not None:
            calendar.add_component(_event(meeting))
    calendar.add_missing_timezones()
    return calendar.to_ical()
