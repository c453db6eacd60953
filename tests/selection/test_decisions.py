from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from handlespor.calls.demo import demo_create
from handlespor.calls.models import Application
from handlespor.mail.domain import outbox_send_due
from handlespor.mail.models import DeliveryAttempt, OutboxMessage
from handlespor.roles import SECRETARIAT
from handlespor.selection.models import Decision, Proposal
from tests.factories import ApplicationFactory, StaffFactory

# Transactional: decision e-mails are sent after the release commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def board(client):
    user = StaffFactory(is_staff=False, is_superuser=False, username="sek")
    user.groups.add(Group.objects.get_or_create(name=SECRETARIAT)[0])
    client.force_login(user)
    call = demo_create(applications=40, organisations=30)
    Application.objects.filter(call=call).update(eligibility=Application.Eligibility.ELIGIBLE)
    client.post(reverse("selection:run", args=[call.year]))
    return call, Proposal.objects.get()


def _approve(client, call, proposal):
    """Approve, confirming that the call is still open (the demo call's deadline is ahead)."""
    return client.post(
        reverse("selection:approve", args=[call.year, proposal.pk]), {"before_deadline": "on"}
    )


def _send(client, call):
    return client.post(reverse("selection:send", args=[call.year]), {"before_deadline": "on"})


def test_approve_before_the_deadline_asks_first_and_stores_nothing(client, smtp, board):
    call, proposal = board

    response = client.post(reverse("selection:approve", args=[call.year, proposal.pk]))

    days = (call.closes_at - timezone.now()).days + 1
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Fristen er ikke udløbet: der er {days} dage tilbage." in page
    assert 'name="before_deadline" value="on"' in page
    assert Decision.objects.count() == 0


def test_send_before_the_deadline_asks_first_and_sends_nothing(client, smtp, board):
    call, proposal = board
    _controller, inbox = smtp
    _approve(client, call, proposal)

    response = client.post(reverse("selection:send", args=[call.year]))

    assert response.status_code == 200
    assert "Fristen er ikke udløbet" in response.content.decode()
    assert Decision.objects.filter(released_at__isnull=False).count() == 0
    assert OutboxMessage.objects.count() == 0
    assert inbox.messages == []


def test_outbox_lists_applications_that_arrived_after_approval_without_a_decision(
    client, smtp, board
):
    call, proposal = board
    _approve(client, call, proposal)
    _send(client, call)
    ApplicationFactory(call=call, first_choice=call.tracks.first(), name="Sen Ansøger")

    page = client.get(reverse("selection:outbox", args=[call.year])).content.decode()

    assert "Ansøgninger uden afgørelse endnu" in page
    assert "Sen Ansøger" in page


def test_approve_makes_pending_decisions_that_reach_nobody(client, smtp, board):
    call, proposal = board
    _controller, inbox = smtp

    response = _approve(client, call, proposal)

    submitted = Application.objects.filter(call=call, state="submitted").count()
    selected = sum(len(t["members"]) for t in proposal.result["tracks"])
    assert response["Location"] == reverse("selection:outbox", args=[call.year])
    assert Decision.objects.count() == submitted
    assert Decision.objects.filter(outcome="selected").count() == selected
    assert Decision.objects.filter(released_at__isnull=False).count() == 0
    assert inbox.messages == []


def test_outbox_shows_every_e_mail_as_it_will_be_sent(client, smtp, board):
    call, proposal = board
    _approve(client, call, proposal)
    decision = (
        Decision.objects.filter(outcome="selected").select_related("application", "track").first()
    )

    page = client.get(reverse("selection:outbox", args=[call.year])).content.decode()

    assert f"Kære {decision.application.name}" in page
    assert f": bekræft din plads i {decision.track.name}" in page
    assert "[dit personlige link sættes ind, når afgørelsen sendes]" in page
    assert page.count('class="mail-preview"') == Decision.objects.count()


def test_release_sends_each_message_once(client, smtp, board):
    call, proposal = board
    _controller, inbox = smtp
    _approve(client, call, proposal)

    _send(client, call)
    _send(client, call)
    outbox_send_due(now=timezone.now() + timedelta(days=1))

    assert len(inbox.messages) == Decision.objects.count()
    assert sorted(m.rcpt_tos[0] for m in inbox.messages) == sorted(
        Decision.objects.values_list("application__email", flat=True)
    )
    assert OutboxMessage.objects.filter(state="sent").count() == Decision.objects.count()
    assert _approve(client, call, proposal).status_code == 302
    assert Decision.objects.filter(released_at__isnull=True).count() == 0


def test_smtp_down_loses_nothing_and_a_later_run_delivers(client, smtp, board):
    call, proposal = board
    controller, inbox = smtp
    controller.stop()
    _approve(client, call, proposal)

    _send(client, call)

    queued = OutboxMessage.objects.filter(state="queued").count()
    assert queued == Decision.objects.count()
    assert DeliveryAttempt.objects.filter(ok=False).count() == queued
    controller.start()
    sent, still_queued = outbox_send_due(now=timezone.now() + timedelta(days=1))
    outbox_send_due(now=timezone.now() + timedelta(days=2))
    assert (sent, still_queued) == (queued, 0)
    assert len(inbox.messages) == queued


def test_english_applicants_get_the_english_text(client, smtp, board):
    call, proposal = board
    english = Application.objects.filter(call=call).first()
    Application.objects.filter(pk=english.pk).update(language="en")
    _approve(client, call, proposal)

    page = client.get(reverse("selection:outbox", args=[call.year])).content.decode()

    assert f"Dear {english.name}" in page


def test_final_groups_export_and_printable_report(client, smtp, board):
    import csv
    import io

    from openpyxl import load_workbook

    call, proposal = board
    assert client.get(reverse("selection:report", args=[call.year])).status_code == 302
    _approve(client, call, proposal)

    report = client.get(reverse("selection:report", args=[call.year])).content.decode()
    as_csv = client.get(reverse("selection:groups_export", args=[call.year, "csv"]))
    as_xlsx = client.get(reverse("selection:groups_export", args=[call.year, "xlsx"]))

    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig")), delimiter=";"))
    kept = Decision.objects.filter(outcome__in=["selected", "waiting"]).count()
    assert len(rows) == 1 + kept
    assert rows[0][:4] == ["Handlespor", "Afgørelse", "Plads på venteliste", "Navn"]
    assert load_workbook(io.BytesIO(as_xlsx.content)).active.max_row == 1 + kept
    assert report.count('class="report-track"') == 4
    assert (
        client.get(reverse("selection:groups_export", args=[call.year, "pdf"])).status_code == 404
    )


def _a_seat_the_waiting_list_can_fill():
    """A selected participant whose track's waiting list holds someone the organisation rule
    lets in once they leave."""
    selected = Decision.objects.filter(outcome="selected").select_related("application", "track")
    for leaving in selected:
        group = [d for d in selected if d.track_id == leaving.track_id and d.pk != leaving.pk]
        taken = {d.application.organisation_id for d in group}
        waiting = Decision.objects.filter(outcome="waiting", track=leaving.track)
        if any(w.application.organisation_id not in taken for w in waiting):
            return leaving, waiting
    raise AssertionError("no waiting list can fill a seat in this demo")


def test_participant_leaves_and_the_waiting_list_offers_the_seat(client, smtp, board):
    call, proposal = board
    _server, inbox = smtp
    _approve(client, call, proposal)
    _send(client, call)
    sent_before = len(inbox.messages)
    leaving, waiting = _a_seat_the_waiting_list_can_fill()
    waiting_ids = [w.pk for w in waiting]

    page = client.post(reverse("selection:leave", args=[call.year, leaving.pk]))
    proposed = page.context["proposed"]
    client.post(reverse("selection:offer", args=[call.year, proposed.pk]))

    leaving.refresh_from_db()
    proposed.refresh_from_db()
    assert leaving.left_at is not None
    assert proposed.pk in waiting_ids
    assert (proposed.outcome, proposed.track_id) == ("selected", leaving.track_id)
    assert len(inbox.messages) == sent_before + 1
    assert inbox.messages[-1].rcpt_tos == [proposed.application.email]
