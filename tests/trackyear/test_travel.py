"""The leader asks for venues that share the travel, sees each member's kilometres, and accepts
or changes the proposal."""

import pytest
from django.urls import reverse

from handlespor.engine.travel import TravelProblem, venues_brute_force
from handlespor.trackyear import domain
from handlespor.trackyear.models import Meeting, Venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def venues():
    return [
        Venue.objects.create(name="Huset", address="Gade 1", postcode=code, town=town)
        for code, town in (("1050", "København"), ("8000", "Aarhus"), ("5000", "Odense"))
    ]


@pytest.fixture
def year(members):
    track, leader = members
    for number in (1, 2, 3):
        domain.meeting_create(track=track, actor=leader, title=f"Møde {number}", duration=180)
    domain.meeting_create(
        track=track, actor=leader, title="Online", format=Meeting.Format.ONLINE, duration=60
    )
    return track, leader


def test_leader_gets_venues_that_make_the_longest_yearly_travel_shortest(client, year, venues):
    track, leader = year
    client.force_login(leader)
    url = reverse("trackyear:track", args=[track.call.year, track.slug])

    page = client.post(url, {"action": "travel", "travel-venues": [v.pk for v in venues]})

    proposal = page.context["proposal"]
    members = {
        str(m.pk): m.application.postcode
        for m in domain.track_members(track)
        if m.application.postcode
    }
    problem = TravelProblem.from_postcodes(
        members=members,
        venues={str(v.pk): v.postcode for v in venues},
        meetings=("1", "2", "3"),
    )
    assert page.status_code == 200
    assert [m.title for m in proposal.meetings] == ["Møde 1", "Møde 2", "Møde 3"]
    assert (proposal.worst, proposal.total) == venues_brute_force(problem)
    assert f"længste rejse over året {proposal.worst} km" in page.content.decode()
    assert len(proposal.rows) == len(members)


def test_leader_accepts_or_changes_the_proposal_and_a_fixed_venue_stays(client, year, venues):
    track, leader = year
    fixed = track.meetings.get(title="Møde 1")
    fixed.status, fixed.venue = Meeting.Status.FIXED, venues[0]
    fixed.save()
    client.force_login(leader)
    url = reverse("trackyear:track", args=[track.call.year, track.slug])
    proposal = client.post(
        url, {"action": "travel", "travel-venues": [venues[1].pk, venues[2].pk]}
    ).context["proposal"]
    second, third = track.meetings.get(title="Møde 2"), track.meetings.get(title="Møde 3")

    client.post(
        url,
        {
            "action": "travel_accept",
            f"accept-venue_{second.pk}": proposal.venue_of[second.pk].pk,
            f"accept-venue_{third.pk}": venues[2].pk,
        },
    )

    assert proposal.venue_of[fixed.pk] == venues[0]
    assert [
        m.venue for m in track.meetings.filter(format=Meeting.Format.IN_PERSON).order_by("pk")
    ] == [venues[0], proposal.venue_of[second.pk], venues[2]]


def test_travel_proposal_without_a_venue_chosen_says_so_and_changes_nothing(client, year):
    track, leader = year
    client.force_login(leader)
    url = reverse("trackyear:track", args=[track.call.year, track.slug])

    page = client.post(url, {"action": "travel"})

    assert page.status_code == 400
    assert "Vælg mindst ét mødested." in page.content.decode()
    assert not track.meetings.filter(venue__isnull=False).exists()
