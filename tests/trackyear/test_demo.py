"""The demo shows a track's year under way: last year's call released and confirmed, a date
poll open and a meeting held with attendance and minutes."""

import pytest

from handlespor.selection.models import Decision
from handlespor.trackyear.demo import demo_year_create
from handlespor.trackyear.models import Meeting
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_demo_year_has_a_released_call_a_poll_open_and_a_meeting_held():
    user = StaffFactory(is_staff=True, is_superuser=True)

    call = demo_year_create(user=user)
    again = demo_year_create(user=user)

    seats = Decision.objects.filter(application__call=call, outcome="selected")
    trivsel = call.tracks.get(position=0)
    held = Meeting.objects.get(track=trivsel, status=Meeting.Status.HELD)
    polling = Meeting.objects.get(track=trivsel, status=Meeting.Status.POLLING)
    assert again is None
    assert not call.is_open()
    assert seats.count() > 0
    assert [d.seat_state for d in seats].count("confirmed") == seats.count() - 1
    assert (
        held.attendance.count() == seats.filter(track=trivsel, confirmed_at__isnull=False).count()
    )
    assert held.record_published_at is not None
    assert polling.poll.is_open() and polling.poll.options.count() == 4
    assert trivsel.actions.count() == 1
    assert Meeting.objects.filter(track__call=call, status=Meeting.Status.FIXED).count() == 3
