"""Applications by e-mail: store every message once, then turn it into an application, attach it
to one, or put it on the unsorted list, never losing it.

A message is stored (and committed) before anything else happens to it, and marked processed in
the same transaction that makes its application and queues its reply: a crash anywhere loses
nothing and a re-run never makes anything twice.
"""

import hashlib
import logging
import mailbox
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import make_msgid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from handlespor.calls.domain import application_send_link, eligibility_reassess
from handlespor.calls.models import (
    APPLICATION_TEXT_LIMIT,
    Application,
    ApplicationEvent,
    Call,
    Track,
)
from handlespor.inbox.imap import ImapConfig, Mailbox
from handlespor.inbox.mailparse import ParsedMessage, header_text, message_id_of, parse_message
from handlespor.inbox.models import InboundAttachment, InboundMessage
from handlespor.inbox.recognise import recognise_tracks
from handlespor.partners.models import Organisation, Person
from handlespor.text import clean_line, clean_text, cut

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# Addresses at these domains belong to people, not organisations: no matching by domain.
FREEMAIL_DOMAINS = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.dk",
        "outlook.com",
        "outlook.dk",
        "live.com",
        "live.dk",
        "msn.com",
        "yahoo.com",
        "yahoo.dk",
        "icloud.com",
        "me.com",
        "mac.com",
        "mail.dk",
        "jubii.dk",
        "sol.dk",
        "ofir.dk",
        "protonmail.com",
        "proton.me",
        "gmx.com",
        "gmx.net",
        "aol.com",
        "webspeed.dk",
        "stofanet.dk",
        "youmail.dk",
        "post.tele.dk",
        "get2net.dk",
    ]
)
NO_REPLY = ("noreply", "no-reply", "donotreply", "do-not-reply", "mailer-daemon", "postmaster")

Status = InboundMessage.Status
Reason = InboundMessage.Reason


@dataclass(frozen=True)
class StoreResult:
    message: InboundMessage
    created: bool


@dataclass
class IntakeReport:
    stored: int = 0
    duplicates: int = 0
    outcomes: Counter = field(default_factory=Counter)
    failed: int = 0

    def count(self, stored: "StoreResult") -> None:
        if stored.created:
            self.stored += 1
        else:
            self.duplicates += 1

    def summary(self) -> str:
        """What happened, in words: "2 nye e-mails; 1 ansøgning, 1 usorteret"."""
        received = []
        if self.stored or not self.duplicates:
            received.append(
                ngettext("%(n)d ny e-mail", "%(n)d nye e-mails", self.stored) % {"n": self.stored}
            )
        if self.duplicates:
            received.append(_("%(n)d allerede modtaget") % {"n": self.duplicates})
        words = {
            "application": lambda n: ngettext("%(n)d ansøgning", "%(n)d ansøgninger", n),
            "attached": lambda n: ngettext(
                "%(n)d føjet til en ansøgning", "%(n)d føjet til ansøgninger", n
            ),
            "unsorted": lambda n: ngettext("%(n)d usorteret", "%(n)d usorterede", n),
        }
        outcomes = [
            words[kind](self.outcomes[kind]) % {"n": self.outcomes[kind]}
            for kind in words
            if self.outcomes[kind]
        ]
        parts = [", ".join(received)]
        if outcomes:
            parts.append(", ".join(outcomes))
        if self.failed:
            parts.append(_("%(n)d kunne ikke behandles") % {"n": self.failed})
        return "; ".join(parts)


def _dedupe_key(raw: bytes) -> tuple[str, str, str]:
    """(key, Message-ID, content hash): the Message-ID decides, the content where there is none.
    The content is compared with its line endings made alike and trailing blanks dropped: the
    same message arrives with CRLF over IMAP and often with LF as a saved file."""
    content_hash = hashlib.sha256(raw.replace(b"\r\n", b"\n").rstrip()).hexdigest()
    headers = BytesHeaderParser(policy=compat32).parsebytes(raw)
    message_id = message_id_of(header_text(headers, "Message-ID", []))
    if message_id:
        digest = hashlib.sha256(message_id.lower().encode()).hexdigest()
        return "mid:" + digest, message_id, content_hash
    return "sha:" + content_hash, "", content_hash


def inbound_store(
    *, raw: bytes, source: str, source_detail: str = "", received_at: datetime | None = None
) -> StoreResult:
    """Store one raw message unless it is already stored.

    Side effects: creates an InboundMessage with status "new"; a duplicate (same Message-ID, or
    same content when there is none) stores nothing. Logs a line either way.
    """
    key, message_id, content_hash = _dedupe_key(raw)
    existing = InboundMessage.objects.filter(dedupe_key=key).first()
    if existing is not None:
        log.info("Inbound %s: duplicate of message %s, not stored", key[:16], existing.pk)
        return StoreResult(message=existing, created=False)
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                dedupe_key=key,
                message_id=message_id,
                content_hash=content_hash,
                raw=raw,
                size=len(raw),
                source=source,
                source_detail=source_detail[:300],
                received_at=received_at or timezone.now(),
            )
    except IntegrityError:  # stored by a run beside this one
        return StoreResult(message=InboundMessage.objects.get(dedupe_key=key), created=False)
    log.info("Inbound %s: stored as message %s (%s bytes)", key[:16], message.pk, len(raw))
    return StoreResult(message=message, created=True)


# --- processing -------------------------------------------------------------------------------


def _call_for(received_at: datetime) -> Call | None:
    calls = Call.objects.filter(opens_at__lte=received_at).order_by("-year")[:3]
    return next((call for call in calls if call.is_open(received_at)), None)


def _domain_of(address: str) -> str:
    return address.rsplit("@", 1)[-1] if "@" in address else ""


def _match_sender(address: str) -> tuple[Person | None, Organisation | None, str]:
    person = Person.objects.select_related("organisation").filter(email=address).first()
    if person is not None:
        match = InboundMessage.SenderMatch.PERSON
        return person, person.organisation, match
    domain = _domain_of(address)
    if domain and domain not in FREEMAIL_DOMAINS:
        organisations = list(
            Organisation.objects.filter(people__email__endswith="@" + domain).distinct()[:2]
        )
        if len(organisations) == 1:
            return None, organisations[0], InboundMessage.SenderMatch.DOMAIN
    return None, None, InboundMessage.SenderMatch.NONE


def _thread_application(parsed: ParsedMessage) -> Application | None:
    """The application an answer in an earlier thread belongs to, by its header references."""
    ids = [i for i in [parsed.in_reply_to, *parsed.references] if i]
    if not ids:
        return None
    earlier = (
        InboundMessage.objects.filter(application__isnull=False)
        .filter(message_id__in=ids)
        .select_related("application")
        .first()
    ) or (
        InboundMessage.objects.filter(application__isnull=False, reply_message_id__in=ids)
        .select_related("application")
        .first()
    )
    return earlier.application if earlier else None


def _store_attachments(message: InboundMessage, parsed: ParsedMessage) -> None:
    message.attachments.all().delete()
    InboundAttachment.objects.bulk_create(
        InboundAttachment(
            message=message,
            filename=a.filename,
            content_type=a.content_type,
            size=a.size,
            content=a.content,
            text=a.text,
            status=a.status,
            note=a.note[:300],
        )
        for a in parsed.attachments
    )


def _unsorted(message: InboundMessage, reason: str) -> str:
    message.status = Status.UNSORTED
    message.reason = reason
    return f"unsorted:{reason}"


def _attach(message: InboundMessage, application: Application, why: str, actor: Any = None) -> str:
    message.status = Status.ATTACHED
    message.application = application
    ApplicationEvent.objects.create(
        application=application,
        kind=ApplicationEvent.Kind.MAIL_ATTACHED,
        actor=actor,
        detail={"message": message.pk, "why": why},
    )
    return "attached"


def _may_reply_to(address: str) -> bool:
    local, domain = address.split("@", 1) if "@" in address else ("", "")
    return (
        bool(local)
        and domain not in settings.INBOUND_OWN_DOMAINS
        and not local.startswith(NO_REPLY)
    )


def _reply_headers(message: InboundMessage) -> dict[str, str]:
    own_domain = (settings.INBOUND_OWN_DOMAINS or ["handlespor.local"])[0]
    headers = {
        "Message-ID": make_msgid(domain=own_domain),
        "Auto-Submitted": "auto-replied",
    }
    if message.message_id:
        headers["In-Reply-To"] = f"<{message.message_id}>"
        references = [*[r for r in message.references.split() if r][-10:], message.message_id]
        headers["References"] = " ".join(f"<{r}>" for r in references)
    return headers


def _send_completion_link(*, message: InboundMessage, application: Application, token: str) -> None:
    """Queue the Danish reply, in the e-mail's thread, with the link to complete the application."""
    headers = _reply_headers(message)
    application_send_link(
        application=application,
        token=token,
        template="email_received",
        deadline=application.completion_deadline(),
        headers=headers,
        subject=message.subject,
    )
    message.reply_message_id = headers["Message-ID"].strip("<>")


def application_from_message(
    *,
    message: InboundMessage,
    call: Call,
    tracks: list[Track],
    person: Person | None,
    organisation: Organisation | None,
    send_reply: bool = True,
    actor: Any = None,
) -> Application:
    """Make an incomplete application of an e-mail.

    Side effects: creates the Person when the sender is new; creates the Application (state
    "incomplete", channel e-mail) with a private token and a "received by e-mail" event; links
    the message to it; with send_reply, queues the Danish reply with the completion link.
    """
    email = message.sender_email
    if person is None:
        person, _created = Person.objects.get_or_create(
            email=email,
            defaults={
                "name": clean_line(message.sender_name)[:200] or email.split("@")[0],
                "organisation": organisation,
                "contact": False,
            },
        )
    application = Application(
        call=call,
        person=person,
        name=clean_line(message.sender_name or person.name)[:200] or email.split("@")[0],
        email=email,
        organisation=organisation,
        first_choice=tracks[0],
        second_choice=tracks[1] if len(tracks) > 1 else None,
        motivation=cut(clean_text(message.body_text), APPLICATION_TEXT_LIMIT),
        text_cut_from=len(message.body_text)
        if len(message.body_text) > APPLICATION_TEXT_LIMIT
        else None,
        channel=Application.Channel.EMAIL,
        state=Application.State.INCOMPLETE,
        language="da",
        submitted_at=message.received_at,
    )
    eligibility_reassess(application=application)
    token = application.new_token()
    application.save()
    ApplicationEvent.objects.create(
        application=application,
        kind=ApplicationEvent.Kind.RECEIVED_BY_EMAIL,
        actor=actor,
        detail={"message": message.pk, "sender_match": message.sender_match},
    )
    message.status = Status.APPLICATION
    message.application = application
    message.call = call
    if send_reply and _may_reply_to(email):
        _send_completion_link(message=message, application=application, token=token)
    elif send_reply:
        message.notes = [*message.notes, "Der er ikke svaret: adressen tager ikke imod svar."]
    return application


def _fill_from(message: InboundMessage, parsed: ParsedMessage) -> None:
    message.message_id = message.message_id or parsed.message_id
    message.sender_email = parsed.sender_email
    message.sender_name = parsed.sender_name
    message.subject = parsed.subject
    message.sent_at = parsed.sent_at
    message.in_reply_to = parsed.in_reply_to[:998]
    message.references = " ".join(parsed.references)
    message.body_text = parsed.text
    message.notes = list(parsed.notes)
    sender_domain = _domain_of(parsed.sender_email)
    if parsed.forwarded_sender and sender_domain in settings.INBOUND_OWN_DOMAINS:
        message.notes.append(
            f"Videresendt af {parsed.sender_email}; ansøgeren er {parsed.forwarded_sender}."
        )
        message.sender_email, message.sender_name = parsed.forwarded_sender, ""


def _recognise(message: InboundMessage, parsed: ParsedMessage, call: Call) -> list[Track]:
    tracks = list(call.tracks.order_by("position"))
    names = [(t.name, t.slug) for t in tracks]
    found = recognise_tracks(parsed.clean_subject, parsed.text, names)
    if not found.slugs:
        attached_text = "\n\n".join(a.text for a in parsed.attachments if a.text)
        found = recognise_tracks("", attached_text, names)
        if found.slugs:
            message.notes.append("Handlesporet er fundet i en vedhæftet fil.")
    if len(found.slugs) > 2:
        message.notes.append(
            f"E-mailen nævner {len(found.slugs)} handlespor; de to første er brugt."
        )
    if len(found.slugs) > 1 and not found.ranked:
        message.notes.append("Teksten rangerer ikke handlesporene; rækkefølgen er den nævnte.")
    message.track_slugs = found.slugs
    message.tracks_ranked = found.ranked
    by_slug = {t.slug: t for t in tracks}
    return [by_slug[s] for s in found.slugs[:2]]


def _decide(message: InboundMessage, parsed: ParsedMessage) -> str:
    """Fill the message and decide its fate; return the outcome's name."""
    _fill_from(message, parsed)
    if parsed.auto:
        return _unsorted(message, Reason.BOUNCE if parsed.auto == "bounce" else Reason.AUTO_REPLY)
    if not message.sender_email:
        return _unsorted(message, Reason.NO_SENDER)
    threaded = _thread_application(parsed)
    if threaded is not None:
        message.call = threaded.call
        return _attach(message, threaded, "svar i tråden")
    if _domain_of(message.sender_email) in settings.INBOUND_OWN_DOMAINS:
        return _unsorted(message, Reason.OWN_DOMAIN)  # the secretariat's own mail, not forwarded
    call = _call_for(message.received_at)
    person, organisation, match = _match_sender(message.sender_email)
    message.organisation, message.sender_match = organisation, match
    if call is None:
        message.call = Call.objects.order_by("-year").first()
        return _unsorted(message, Reason.NO_OPEN_CALL)
    message.call = call
    tracks = _recognise(message, parsed, call)
    existing = Application.objects.filter(call=call, person__email=message.sender_email).first()
    if existing is not None:
        message.notes.append("Afsenderen har allerede en ansøgning; e-mailen er knyttet til den.")
        return _attach(message, existing, "samme afsender")
    if not tracks:
        return _unsorted(message, Reason.REPLY_UNMATCHED if parsed.is_reply else Reason.NO_TRACK)
    application_from_message(
        message=message, call=call, tracks=tracks, person=person, organisation=organisation
    )
    return "application"


def inbound_process(*, message_id: int) -> str | None:
    """Process one stored message, if it is still unprocessed; return the outcome.

    Side effects, all in one transaction: fills the message's parsed fields and stores its
    attachments; may create a Person, an incomplete Application with its event and queue the
    reply with the completion link (see `application_from_message`), or attach the message to
    an application; marks the message processed.
    """
    with transaction.atomic():
        message = (
            InboundMessage.objects.select_for_update()
            .filter(pk=message_id, processed_at__isnull=True)
            .first()
        )
        if message is None:
            return None
        parsed = parse_message(
            bytes(message.raw), max_attachment_bytes=settings.INBOUND_MAX_ATTACHMENT_BYTES
        )
        outcome = _decide(message, parsed)
        _store_attachments(message, parsed)
        message.processed_at = timezone.now()
        message.last_error = ""
        message.save()
    log.info(
        "Inbound message %s from %s: %s (tracks %s)",
        message.pk,
        message.sender_email or "?",
        outcome,
        ",".join(message.track_slugs) or "-",
    )
    return outcome


def _record_failure(message_id: int, error: Exception) -> None:
    log.exception("Inbound message %s could not be processed", message_id)
    InboundMessage.objects.filter(pk=message_id).update(
        attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
    )
    InboundMessage.objects.filter(
        pk=message_id, attempts__gte=MAX_ATTEMPTS, processed_at__isnull=True
    ).update(status=Status.UNSORTED, reason=Reason.FAILED, processed_at=timezone.now())


def inbound_process_pending(*, report: IntakeReport | None = None) -> IntakeReport:
    """Process every stored message not yet processed, oldest first.

    Side effects: as `inbound_process` for each; a message that fails is left unprocessed with
    the error recorded, and after three failures put on the unsorted list as "failed".
    """
    report = report or IntakeReport()
    pending = InboundMessage.objects.filter(processed_at__isnull=True).order_by("received_at", "pk")
    for message_id in list(pending.values_list("pk", flat=True)):
        try:
            outcome = inbound_process(message_id=message_id)
        except Exception as error:
            _record_failure(message_id, error)
            report.failed += 1
            continue
        if outcome is not None:
            report.outcomes[outcome.split(":")[0]] += 1
    return report


def inbox_fetch(*, config: ImapConfig | None = None) -> IntakeReport:
    """Take in the mailbox: store each new message, mark it taken in on the server, then process
    everything pending.

    Side effects: reads the IMAP mailbox; stores InboundMessages (see `inbound_store`); sets the
    server-side keyword on each message stored; processes (see `inbound_process_pending`).
    Raises InboxError when the mailbox cannot be read; what was stored before stays stored.
    """
    config = config or ImapConfig.from_settings(settings.IMAP)
    report = IntakeReport()
    with Mailbox(config) as box:
        for fetched in box.messages():
            result = inbound_store(
                raw=fetched.raw,
                source=InboundMessage.Source.IMAP,
                source_detail=f"{config.user}@{config.host}/{config.folder} uid {fetched.uid}",
                received_at=fetched.received_at,
            )
            box.mark_taken_in(fetched.uid)
            report.count(result)
    return inbound_process_pending(report=report)


class UploadError(ValueError):
    """The uploaded file holds no e-mail."""


def _messages_in_file(filename: str, data: bytes) -> list[bytes]:
    if filename.lower().endswith(".mbox") or data.startswith(b"From "):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "upload.mbox"
            path.write_bytes(data)
            box = mailbox.mbox(path, create=False)
            try:
                return [box.get_bytes(key) for key in box.iterkeys()]
            finally:
                box.close()
    if b":" not in data[:2000]:
        raise UploadError("Filen ligner ikke en e-mail (.eml) eller en postkasse (.mbox).")
    return [data]


def inbound_upload(*, filename: str, data: bytes) -> IntakeReport:
    """Put the e-mails of an uploaded .eml or .mbox file through the intake.

    Side effects: stores each message (duplicates of stored ones are not stored again) and
    processes everything pending. Raises UploadError, storing nothing, for a file without mail.
    """
    messages = [raw for raw in _messages_in_file(filename, data) if raw.strip()]
    if not messages:
        raise UploadError("Filen indeholder ingen e-mails.")
    report = IntakeReport()
    for raw in messages:
        report.count(
            inbound_store(raw=raw, source=InboundMessage.Source.UPLOAD, source_detail=filename)
        )
    return inbound_process_pending(report=report)


# --- the secretariat's corrections ------------------------------------------------------------


class IntakeError(ValueError):
    """A correction that cannot be made; the message says why, in Danish."""


def inbound_make_application(
    *,
    message: InboundMessage,
    call: Call,
    tracks: list[Track],
    organisation: Organisation | None,
    actor: Any,
    send_reply: bool = True,
) -> Application:
    """Turn an unsorted (or set aside) message into an application.

    Side effects: as `application_from_message`; the organisation counts as chosen by staff.
    Raises IntakeError when the sender already applied to the call, storing nothing.
    """
    if not message.sender_email:
        raise IntakeError("E-mailen har ingen afsenderadresse at svare til.")
    with transaction.atomic():
        if Application.objects.filter(call=call, person__email=message.sender_email).exists():
            raise IntakeError("Afsenderen har allerede en ansøgning til dette open call.")
        message.organisation = organisation
        message.sender_match = InboundMessage.SenderMatch.STAFF
        message.reason = ""
        person = Person.objects.filter(email=message.sender_email).first()
        application = application_from_message(
            message=message,
            call=call,
            tracks=tracks,
            person=person,
            organisation=organisation,
            send_reply=send_reply,
            actor=actor,
        )
        message.processed_at = message.processed_at or timezone.now()
        message.save()
    return application


def inbound_attach(*, message: InboundMessage, application: Application, actor: Any) -> None:
    """Attach a message to an application, e.g. an answer that could not be matched.

    Side effects: links the message (status "attached"), logs the event with the staff member.
    """
    with transaction.atomic():
        _attach(message, application, "valgt af sekretariatet", actor=actor)
        message.reason = ""
        message.processed_at = message.processed_at or timezone.now()
        message.save()


def inbound_dismiss(*, message: InboundMessage, actor: Any) -> None:
    """Set a message aside as not an application; it is kept and can be taken up again.

    Side effects: sets the status and adds a note naming the staff member.
    """
    message.status = Status.DISMISSED
    message.processed_at = message.processed_at or timezone.now()
    message.notes = [*message.notes, f"Lagt til side af {actor}."]
    message.save(update_fields=["status", "processed_at", "notes"])


def application_correct(
    *,
    application: Application,
    tracks: list[Track],
    organisation: Organisation | None,
    actor: Any,
) -> list[str]:
    """Staff fix the recognised tracks or the matched organisation; return the changed fields.

    Side effects: saves the application with eligibility assessed anew and logs a "corrected"
    event with the staff member and the fields (never their values).
    """
    values = {
        "first_choice": tracks[0],
        "second_choice": tracks[1] if len(tracks) > 1 else None,
        "organisation": organisation,
    }
    changed = [name for name, value in values.items() if getattr(application, name) != value]
    if not changed:
        return []
    with transaction.atomic():
        for name in changed:
            setattr(application, name, values[name])
        if "organisation" in changed:
            if organisation is not None:
                application.organisation_name = ""
            eligibility_reassess(application=application)
            application.inbound_messages.update(
                organisation=organisation, sender_match=InboundMessage.SenderMatch.STAFF
            )
        application.save()
        ApplicationEvent.objects.create(
            application=application,
            kind=ApplicationEvent.Kind.CORRECTED,
            actor=actor,
            detail={"fields": changed},
        )
    return changed


def application_merge(*, source: Application, target: Application, actor: Any) -> None:
    """Merge an e-mail application into the same person's web application.

    Side effects: moves the source's e-mails to the target; logs a "merged" event on the target
    (naming the source's e-mail address and its events); deletes the source application.
    Raises IntakeError, changing nothing, unless the source is an incomplete e-mail application
    of the same call without reviews.
    """
    if source.pk == target.pk or source.call_id != target.call_id:
        raise IntakeError("Vælg en anden ansøgning til samme open call.")
    if source.channel != Application.Channel.EMAIL or not source.is_incomplete:
        raise IntakeError("Kun en ufuldstændig e-mailansøgning kan flettes ind i en anden.")
    if source.reviews.exists():
        raise IntakeError("E-mailansøgningen er allerede vurderet; flyt vurderingerne først.")
    with transaction.atomic():
        moved = list(source.inbound_messages.values_list("pk", flat=True))
        source.inbound_messages.update(application=target, status=Status.ATTACHED)
        ApplicationEvent.objects.create(
            application=target,
            kind=ApplicationEvent.Kind.MERGED,
            actor=actor,
            detail={
                "from_application": source.pk,
                "from_email": source.email,
                "messages": moved,
                "events": [[e.kind, e.at.isoformat()] for e in source.events.all()],
            },
        )
        source.delete()
