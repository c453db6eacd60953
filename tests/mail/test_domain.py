import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from handlespor.mail.domain import (
    MAX_ATTEMPTS,
    mail_queue,
    outbox_enqueue,
    outbox_send_due,
    outbox_send_message,
)
from handlespor.mail.models import MessageTemplate, OutboxMessage
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_down(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": _closed_port(), "timeout": 2},
        }
    }


def test_outbox_send_message_sends_once():
    message = outbox_enqueue(to="a@example.org", subject="Hej", body="Tekst", send_now=False)

    assert outbox_send_message(message_id=message.pk) is True
    assert outbox_send_message(message_id=message.pk) is False

    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert message.attempts == 1
    assert len(mail.outbox) == 1


def test_outbox_keeps_the_message_queued_while_smtp_is_down(smtp_down):
    message = outbox_enqueue(to="a@example.org", subject="Hej", body="Tekst", send_now=False)

    assert outbox_send_message(message_id=message.pk) is False

    message.refresh_from_db()
    assert message.state == OutboxMessage.State.QUEUED
    assert message.attempts == 1
    assert message.last_error != ""
    assert message.next_attempt_at > message.created_at


def test_outbox_send_due_delivers_what_was_queued_once_smtp_is_back(settings):
    message = outbox_enqueue(to="a@example.org", subject="Hej", body="Tekst", send_now=False)

    sent, queued = outbox_send_due()

    assert (sent, queued) == (1, 0)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT


def test_outbox_backs_off_twice_as_long_after_each_failed_attempt(smtp_down):
    message = outbox_enqueue(to="a@example.org", subject="Hej", body="Tekst", send_now=False)
    waits = []

    for _attempt in range(3):
        before = timezone.now()
        outbox_send_message(message_id=message.pk)
        message.refresh_from_db()
        waits.append(round((message.next_attempt_at - before).total_seconds() / 60))

    assert waits == [2, 4, 8]
    assert message.state == OutboxMessage.State.QUEUED
    assert list(message.deliveries.values_list("ok", flat=True)) == [False, False, False]


def test_outbox_gives_up_after_the_last_attempt_and_tries_no_more(smtp_down):
    message = outbox_enqueue(to="a@example.org", subject="Hej", body="Tekst", send_now=False)
    for _attempt in range(MAX_ATTEMPTS):
        outbox_send_message(message_id=message.pk)

    later = timezone.now() + timedelta(days=30)
    sent, queued = outbox_send_due(now=later)

    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxMessage.State.FAILED, MAX_ATTEMPTS)
    assert (sent, queued) == (0, 0)
    assert outbox_send_message(message_id=message.pk) is False
    assert message.deliveries.count() == MAX_ATTEMPTS


def test_mail_queue_uses_the_edited_template_of_the_readers_language():
    MessageTemplate.objects.update_or_create(
        key=MessageTemplate.Key.WITHDRAWN,
        language="en",
        defaults={"subject": "Withdrawn: {{ call }}", "body": "Bye {{ name }} & co"},
    )

    message = mail_queue(
        key="withdrawn",
        language="en",
        to="a@example.org",
        context={"name": "Anne", "call": "Open call 2026"},
        headers={"Auto-Submitted": "auto-generated"},
    )

    assert (message.subject, message.headers) == (
        "Withdrawn: Open call 2026",
        {"Auto-Submitted": "auto-generated"},
    )
    assert message.body.startswith("Bye Anne & co\n\n--\n")


def test_mail_queue_falls_back_to_the_shipped_default_in_the_readers_language():
    MessageTemplate.objects.filter(key=MessageTemplate.Key.WITHDRAWN).delete()
    MessageTemplate.objects.create(
        key=MessageTemplate.Key.WITHDRAWN, language="da", subject="Dansk", body="Dansk"
    )
    context = ApplicationFactory(name="Anne").mail_context()

    english = mail_queue(key="withdrawn", language="en", to="a@example.org", context=context)
    danish = mail_queue(key="withdrawn", language="da", to="a@example.org", context=context)

    assert english.subject == "Your application to Open call: handlespor 2027 is withdrawn"
    assert english.body.startswith("Dear Anne\n\n")
    assert (danish.subject, danish.body.split("\n")[0]) == ("Dansk", "Dansk")
