import socket

import pytest
from django.core import mail

from handlespor.mail.domain import outbox_enqueue, outbox_send_due, outbox_send_message
from handlespor.mail.models import OutboxMessage

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
