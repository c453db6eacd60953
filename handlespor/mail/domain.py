"""E-mails: one way to render them (the secretariat's edited template, else the shipped default,
in the reader's language) and one way to queue them; the outbox stores each before sending and
sends after the transaction that made it."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone, translation

from handlespor.mail.models import DeliveryAttempt, MessageTemplate, OutboxMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def with_privacy_line(body: str) -> str:
    """Every e-mail ends with where to read how personal data is handled (Danish and English,
    as the outbox does not know the reader's language)."""
    return (
        body.rstrip("\n")
        + "\n\n--\nSådan behandler vi dine oplysninger / How we handle your data: "
        + f"{settings.SITE_URL}/privatliv/\n"
    )


@dataclass(frozen=True)
class Attachment:
    """A text file sent with an e-mail."""

    filename: str
    content_type: str
    content: str


class MailTemplates:
    """The texts of the e-mails: the templates the secretariat edited in the admin, read once,
    and the shipped defaults (`templates/mail/<key>.txt` and `<key>_subject.txt`) for the rest."""

    def __init__(self) -> None:
        self.edited = {(t.key, t.language): t for t in MessageTemplate.objects.all()}

    def render(self, *, key: str, language: str, context: dict[str, Any]) -> tuple[str, str]:
        """(subject, body) of the e-mail `key` in `language`: the edited template for that
        language if there is one, else the shipped default translated into it. Plain text:
        nothing is HTML-escaped; the subject is one line."""
        with translation.override(language):
            edited = self.edited.get((key, language))
            if edited is not None:
                subject, body = (
                    Template("{% autoescape off %}" + text + "{% endautoescape %}").render(
                        Context(context)
                    )
                    for text in (edited.subject, edited.body)
                )
            else:
                subject = render_to_string(f"mail/{key}_subject.txt", context)
                body = render_to_string(f"mail/{key}.txt", context)
        return " ".join(subject.split()), body.strip() + "\n"


def mail_queue(
    *,
    key: str,
    language: str,
    to: str,
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
    templates: MailTemplates | None = None,
    attachments: list[Attachment] | None = None,
) -> OutboxMessage:
    """Render the e-mail `key` for one reader (see `MailTemplates.render`) and queue it.

    Side effects: as `outbox_enqueue`: stores one OutboxMessage with `headers` and
    `attachments` and sends it after the current transaction commits.
    """
    subject, body = (templates or MailTemplates()).render(
        key=key, language=language, context=context
    )
    return outbox_enqueue(
        to=to, subject=subject, body=body, headers=headers, attachments=attachments
    )


def outbox_enqueue(
    *,
    to: str,
    subject: str,
    body: str,
    headers: dict[str, str] | None = None,
    send_now: bool = True,
    attachments: list[Attachment] | None = None,
) -> OutboxMessage:
    """Queue one e-mail; `headers` adds header fields such as In-Reply-To, `attachments` text
    files such as a calendar invitation.

    Side effects: stores an OutboxMessage; with send_now, once the current transaction has
    committed, enqueues `outbox_send` on the task worker, so no web request waits for the mail
    server (a failure leaves it queued for `outbox_send_due`).
    """
    message = OutboxMessage.objects.create(
        to=to,
        subject=subject,
        body=with_privacy_line(body),
        headers=headers or {},
        attachments=[
            {"filename": a.filename, "content_type": a.content_type, "content": a.content}
            for a in attachments or ()
        ],
    )
    if send_now:
        transaction.on_commit(lambda: outbox_send.enqueue(message_id=message.pk))
    return message


@task()
def outbox_send(message_id: int) -> bool:
    """The worker's task: send one queued message once (see outbox_send_message)."""
    return outbox_send_message(message_id=message_id)


def outbox_send_message(*, message_id: int) -> bool:
    """Send one queued message if it is still queued; return whether it went out.

    Side effects: sends over the configured e-mail backend; records the attempt, the error and
    the next attempt time (exponential back-off) or marks the message sent.
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=message_id, state=OutboxMessage.State.QUEUED)
            .first()
        )
        if message is None:
            return False
        message.attempts += 1
        try:
            email = EmailMessage(
                subject=message.subject,
                body=message.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[message.to],
                headers=message.headers or None,
            )
            for attachment in message.attachments:
                email.attach(
                    attachment["filename"], attachment["content"], attachment["content_type"]
                )
            email.send()
        except Exception as error:  # any transport failure keeps the message queued
            log.warning("E-mail %s not sent: %s", message.pk, error)
            DeliveryAttempt.objects.create(message=message, ok=False, error=str(error)[:2000])
            message.last_error = str(error)[:2000]
            message.next_attempt_at = timezone.now() + timedelta(minutes=2**message.attempts)
            if message.attempts >= MAX_ATTEMPTS:
                message.state = OutboxMessage.State.FAILED
            message.save()
            return False
        DeliveryAttempt.objects.create(message=message, ok=True)
        message.state = OutboxMessage.State.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save()
        return True


def outbox_send_due(*, now: datetime | None = None) -> tuple[int, int]:
    """Try every queued message whose next attempt is due; return (sent, still queued).

    Side effects: as `outbox_send_message`, for each due message.
    """
    due = OutboxMessage.objects.filter(
        state=OutboxMessage.State.QUEUED, next_attempt_at__lte=now or timezone.now()
    ).values_list("pk", flat=True)
    sent = sum(outbox_send_message(message_id=pk) for pk in list(due))
    queued = OutboxMessage.objects.filter(state=OutboxMessage.State.QUEUED).count()
    return sent, queued
