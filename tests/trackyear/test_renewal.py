"""Near the year's end the members are asked whether they continue; those who do are seated in
next year's call as continuing, so its composition fills only the open seats."""

import pytest
from django.urls import reverse

from handlespor.calls.models import Application
from handlespor.mail.models import OutboxMessage
from handlespor.selection.instance import instance_for_call
from handlespor.selection.models import SelectionLock
from handlespor.trackyear import domain
from tests.factories import CallFactory, TrackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_call(released):
    call = CallFactory(year=released.year + 1)
    for track in released.tracks.all():
        TrackFactory(call=call, name=track.name, slug=track.slug, position=track.position)
    return call


def test_members_are_asked_answer_on_their_page_and_those_who_continue_are_seated(
    client, members, secretariat, next_call
):
    track, _leader = members
    released = track.call
    url = reverse("trackyear:overview", args=[released.year])
    people = list(domain.track_members(track))

    client.post(url, {"action": "renewal_ask"})
    client.post(url, {"action": "renewal_ask"})  # nobody is asked twice
    questions = OutboxMessage.objects.filter(subject__startswith="Fortsætter du i")
    for person, answer in zip(people, ["yes", "yes", "no"], strict=False):
        page = reverse("trackyear:member", args=[person.current_seat_token()])
        client.post(page, {"action": "renewal", "continues": answer})
    client.post(url, {"action": "renewal_carry"})
    board = client.get(reverse("selection:board", args=[next_call.year])).content.decode()

    locks = SelectionLock.objects.filter(call=next_call)
    assert questions.count() == len(people)
    assert sorted(lock.application.email for lock in locks) == sorted(
        p.application.email for p in people[:2]
    )
    assert {(lock.kind, lock.track.slug, lock.continuing) for lock in locks} == {
        ("in_track", track.slug, True)
    }
    assert Application.objects.filter(call=next_call, state="submitted").count() == 2
    assert f"{people[0].application.name}: fortsætter i {track.name}" in board
    locked = {lock.applicant for lock in instance_for_call(call=next_call).locks}
    assert locked == {str(lock.application_id) for lock in locks}


def test_a_member_who_was_not_asked_cannot_answer(client, members):
    track, _leader = members
    member = domain.track_members(track).first()

    page = client.post(
        reverse("trackyear:member", args=[member.current_seat_token()]),
        {"action": "renewal", "continues": "yes"},
    )

    member.refresh_from_db()
    assert page.status_code == 403
    assert member.continues is None
