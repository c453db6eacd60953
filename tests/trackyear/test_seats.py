"""A released "selected" decision asks for an answer from its seat link; confirm, decline,
silence and leaving each end in the right seat state, and a given-up seat is offered on."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from handlespor.mail.models import OutboxMessage
from handlespor.selection.decisions import seats_remind_and_expire
from handlespor.selection.models import Decision
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://[^\s]+/deltager/([\w-]+)/")


def _seat_with_waiting_list() -> Decision:
    """A selected seat whose track's waiting list holds someone the organisation rule lets in."""
    selected = Decision.objects.filter(outcome="selected").select_related("application", "track")
    for seat in selected:
        taken = {
            d.application.organisation_id
            for d in selected
            if d.track_id == seat.track_id and d.pk != seat.pk
        }
        waiting = Decision.objects.filter(outcome="waiting", track=seat.track)
        if any(w.application.organisation_id not in taken for w in waiting):
            return seat
    raise AssertionError("no waiting list can fill a seat in this demo")


def _token_sent_to(decision: Decision) -> str:
    message = OutboxMessage.objects.filter(to=decision.application.email).latest("pk")
    return LINK.search(message.body).group(1)


def test_release_asks_each_selected_person_to_answer_from_their_seat_link(client, released):
    seat = Decision.objects.filter(outcome="selected").select_related("application", "track")[0]
    message = OutboxMessage.objects.get(to=seat.application.email)

    page = client.get(reverse("trackyear:member", args=[_token_sent_to(seat)]))

    deadline = timezone.localtime(seat.answer_by)
    assert message.subject.startswith("Svar senest ")
    assert message.subject.endswith(f": bekræft din plads i {seat.track.name}")
    assert (deadline.hour, deadline.minute) == (23, 59)
    assert deadline.date() == (timezone.localdate() + timedelta(days=14))
    assert page.status_code == 200
    assert "Ja, jeg tager pladsen" in page.content.decode()
    assert seat.seat_state == "offered"
    waiting = Decision.objects.filter(outcome="waiting").first()
    assert LINK.search(OutboxMessage.objects.get(to=waiting.application.email).body) is None


def test_seat_confirmed_from_the_link_makes_a_member_who_sees_the_others(client, released):
    seat = _seat_with_waiting_list()
    token = _token_sent_to(seat)

    answered = client.post(
        reverse("trackyear:member", args=[token]), {"action": "answer", "answer": "confirm"}
    )
    page = client.get(reverse("trackyear:member", args=[token])).content.decode()

    seat.refresh_from_db()
    assert answered.status_code == 302
    assert seat.seat_state == "confirmed"
    assert "Forlad handlesporet" in page
    assert f"{seat.application.name} <span" in page


def test_seat_declined_goes_to_the_waiting_lists_best_who_is_offered_it(client, released):
    seat = _seat_with_waiting_list()
    waiting_ids = set(
        Decision.objects.filter(outcome="waiting", track=seat.track).values_list("pk", flat=True)
    )

    client.post(
        reverse("trackyear:member", args=[_token_sent_to(seat)]),
        {"action": "answer", "answer": "decline"},
    )

    seat.refresh_from_db()
    offered = Decision.objects.get(pk__in=waiting_ids, outcome="selected")
    offer = OutboxMessage.objects.filter(to=offered.application.email).latest("pk")
    assert seat.seat_state == "declined"
    assert (offered.seat_state, offered.track_id) == ("offered", seat.track_id)
    assert offer.subject.endswith(f": en plads er blevet ledig i {seat.track.name}")
    assert LINK.search(offer.body).group(1) == _token_sent_to(offered)


def test_silence_gets_one_reminder_and_then_the_seat_passes_on(released):
    seat = _seat_with_waiting_list()
    others = Decision.objects.filter(outcome="selected").exclude(pk=seat.pk)
    others.update(confirmed_at=timezone.now())
    link = _token_sent_to(seat)

    early = seats_remind_and_expire(now=seat.answer_by - timedelta(days=3))
    reminded = seats_remind_and_expire(now=seat.answer_by - timedelta(days=1))
    again = seats_remind_and_expire(now=seat.answer_by - timedelta(hours=2))
    expired = seats_remind_and_expire(now=seat.answer_by + timedelta(minutes=1))

    seat.refresh_from_db()
    reminders = OutboxMessage.objects.filter(subject__startswith="Påmindelse:")
    assert (early, reminded, again, expired) == ((0, 0), (1, 0), (0, 0), (0, 1))
    assert list(reminders.values_list("to", flat=True)) == [seat.application.email]
    assert LINK.search(reminders.get().body).group(1) == link  # the first link still works
    assert seat.seat_state == "no_answer"
    assert Decision.objects.filter(track=seat.track, offered_at__isnull=False).count() == 1


def test_member_leaves_from_their_page_and_the_seat_is_offered_on(client, released):
    seat = _seat_with_waiting_list()
    token = _token_sent_to(seat)
    url = reverse("trackyear:member", args=[token])
    client.post(url, {"action": "answer", "answer": "confirm"})

    refused = client.post(url, {"action": "leave"})
    client.post(url, {"action": "leave", "confirm": "on"})

    seat.refresh_from_db()
    assert refused.status_code == 400
    assert seat.seat_state == "left"
    assert Decision.objects.filter(track=seat.track, offered_at__isnull=False).count() == 1
    assert "Du har ikke længere en plads" in client.get(url).content.decode()


def test_member_page_shows_others_names_and_organisations_and_only_shared_addresses(
    client, released
):
    seats = list(Decision.objects.filter(outcome="selected", track=_seat_with_waiting_list().track))
    Decision.objects.filter(pk__in=[s.pk for s in seats]).update(confirmed_at=timezone.now())
    me, sharing, private = seats[0], seats[1], seats[2]
    Decision.objects.filter(pk=sharing.pk).update(share_email=True)

    page = client.get(reverse("trackyear:member", args=[_token_sent_to(me)])).content.decode()

    assert me.application.email in page
    assert sharing.application.email in page
    assert private.application.email not in page
    assert private.application.name in page
    assert page.count("<tr>") == 1 + len(seats)


def test_seat_link_of_someone_else_or_made_up_is_a_404(client, released):
    waiting = Decision.objects.filter(outcome="waiting").first()
    waiting.seat_token_hash = "0" * 64
    waiting.save()

    assert client.get(reverse("trackyear:member", args=["x" * 43])).status_code == 404


def _without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_new_link_page_says_the_same_for_any_address_and_only_a_seat_gets_a_link(client, released):
    seat = Decision.objects.filter(outcome="selected").select_related("application")[0]
    old = _token_sent_to(seat)
    url = reverse("trackyear:new_link")

    for_seat = client.post(url, {"email": seat.application.email.upper()}, follow=True)
    for_nobody = client.post(url, {"email": "ukendt@example.org"}, follow=True)
    bad = client.post(url, {"email": "ikke en adresse"})

    new = _token_sent_to(seat)
    assert _without_csrf(for_seat) == _without_csrf(for_nobody)
    assert bad.status_code == 200
    assert "Skriv en gyldig e-mailadresse." in bad.content.decode()
    assert OutboxMessage.objects.filter(to="ukendt@example.org").count() == 0
    assert new != old
    assert client.get(reverse("trackyear:member", args=[old])).status_code == 404
    assert client.get(reverse("trackyear:member", args=[new])).status_code == 200


def test_board_shows_each_seats_state_and_a_leader_only_their_own_tracks(client, released):
    seat = _seat_with_waiting_list()
    client.post(
        reverse("trackyear:member", args=[_token_sent_to(seat)]),
        {"action": "answer", "answer": "decline"},
    )
    offered = Decision.objects.get(track=seat.track, offered_at__isnull=False)
    client.force_login(StaffFactory(is_staff=False, is_superuser=True))
    board = client.get(reverse("selection:board", args=[released.year]))
    leader = StaffFactory(is_staff=False, is_superuser=False)
    seat.track.leaders.add(leader)
    client.force_login(leader)
    led = client.get(reverse("selection:board", args=[released.year]))

    states = {d.pk: d.get_seat_state_display() for d in board.context["participants"]}
    released_seats = Decision.objects.filter(outcome="selected", released_at__isnull=False)
    assert len(states) == released_seats.count()
    assert (states[seat.pk], states[offered.pk]) == ("afslået", "tilbudt")
    assert '<td class="seat-declined">afslået</td>' in board.content.decode()
    assert {d.track_id for d in led.context["participants"]} == {seat.track_id}
