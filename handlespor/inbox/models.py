"""The e-mails the secretariat's mailbox received and the files that came with them."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from handlespor.calls.models import Application, Call
from handlespor.partners.models import Organisation


class InboundMessage(models.Model):
    """One e-mail as received, stored once and kept whole, whatever became of it."""

    class Source(models.TextChoices):
        IMAP = "imap", _("indbakke (IMAP)")
        UPLOAD = "upload", _("uploadet fil")

    class Status(models.TextChoices):
        NEW = "new", _("ikke behandlet")
        APPLICATION = "application", _("blev til ansøgning")
        ATTACHED = "attached", _("knyttet til ansøgning")
        UNSORTED = "unsorted", _("usorteret")
        DISMISSED = "dismissed", _("lagt til side")

    class Reason(models.TextChoices):
        AUTO_REPLY = "auto_reply", _("autosvar")
        BOUNCE = "bounce", _("returmail")
        NO_TRACK = "no_track", _("nævner intet handlespor")
        REPLY_UNMATCHED = "reply_unmatched", _("svar i en tråd uden kendt ansøgning")
        NO_SENDER = "no_sender", _("afsenderen kan ikke læses")
        OWN_DOMAIN = "own_domain", _("fra sekretariatet selv")
        NO_OPEN_CALL = "no_open_call", _("modtaget uden for ansøgningsperioden")
        FAILED = "failed", _("kunne ikke behandles")

    class SenderMatch(models.TextChoices):
        PERSON = "person", _("kendt person")
        DOMAIN = "domain", _("organisationens domæne")
        NONE = "none", _("ikke genkendt")
        STAFF = "staff", _("valgt af sekretariatet")

    dedupe_key = models.CharField(max_length=68, unique=True, editable=False)
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True)
    content_hash = models.CharField(max_length=64, db_index=True, editable=False)
    raw = models.BinaryField(_("rå e-mail"))
    size = models.PositiveIntegerField(_("størrelse (bytes)"), default=0)
    source = models.CharField(_("kilde"), max_length=10, choices=Source.choices)
    source_detail = models.CharField(_("fra"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("modtaget"), default=timezone.now)
    sent_at = models.DateTimeField(_("afsendt"), null=True, blank=True)
    sender_email = models.CharField(_("afsender"), max_length=254, blank=True)
    sender_name = models.CharField(_("afsenders navn"), max_length=200, blank=True)
    subject = models.CharField(_("emne"), max_length=500, blank=True)
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.TextField(blank=True)
    body_text = models.TextField(_("tekst"), blank=True)
    track_slugs = models.JSONField(_("genkendte handlespor"), default=list, blank=True)
    tracks_ranked = models.BooleanField(_("rækkefølge angivet i teksten"), default=False)
    sender_match = models.CharField(
        _("afsender genkendt som"),
        max_length=10,
        choices=SenderMatch.choices,
        default=SenderMatch.NONE,
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
        verbose_name=_("organisation"),
    )
    call = models.ForeignKey(
        Call, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_messages"
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
        verbose_name=_("ansøgning"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    reason = models.CharField(
        _("hvorfor usorteret"), max_length=20, choices=Reason.choices, blank=True
    )
    notes = models.JSONField(_("noter"), default=list, blank=True)
    reply_message_id = models.CharField(max_length=998, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    processed_at = models.DateTimeField(_("behandlet"), null=True, blank=True)

    class Meta:
        verbose_name = _("indkommen e-mail")
        verbose_name_plural = _("indkomne e-mails")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "received_at"]),
            models.Index(fields=["processed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject or _('(intet emne)')} · {self.sender_email}"

    @property
    def is_processed(self) -> bool:
        return self.processed_at is not None


class InboundAttachment(models.Model):
    """A file that came with an e-mail; its text is extracted where the format allows."""

    class Status(models.TextChoices):
        TEXT = "text", _("tekst udtrukket")
        KEPT = "kept", _("gemt, ingen tekst")
        TOO_LARGE = "too_large", _("for stor")
        UNREADABLE = "unreadable", _("kunne ikke læses")

    message = models.ForeignKey(
        InboundMessage, on_delete=models.CASCADE, related_name="attachments"
    )
    filename = models.CharField(_("filnavn"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("størrelse (bytes)"))
    content = models.BinaryField(_("indhold"), null=True, blank=True)
    text = models.TextField(_("udtrukket tekst"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("vedhæftet fil")
        verbose_name_plural = _("vedhæftede filer")
        ordering = ["message", "id"]

    def __str__(self) -> str:
        return self.filename
