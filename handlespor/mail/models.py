from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """An e-mail waiting to go out, or gone. Stored before any attempt, so a down SMTP server
    loses nothing: the message stays queued and a later run sends it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("i kø")
        SENT = "sent", _("sendt")
        FAILED = "failed", _("opgivet")

    to = models.EmailField(_("til"))
    subject = models.CharField(_("emne"), max_length=300)
    body = models.TextField(_("tekst"))
    headers = models.JSONField(
        _("ekstra felter i hovedet"),
        default=dict,
        blank=True,
        help_text=_("Fx Message-ID, In-Reply-To og Auto-Submitted for svar på indkomne mails."),
    )
    attachments = models.JSONField(
        _("vedhæftede filer"),
        default=list,
        blank=True,
        help_text=_("Tekstfiler, fx en kalenderinvitation: filnavn, type og indhold."),
    )
    state = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)
    last_error = models.TextField(_("seneste fejl"), blank=True)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("næste forsøg"), default=timezone.now)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)

    class Meta:
        verbose_name = _("udgående e-mail")
        verbose_name_plural = _("udgående e-mails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class DeliveryAttempt(models.Model):
    """One try to hand a message to the SMTP server."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="deliveries")
    at = models.DateTimeField(default=timezone.now)
    ok = models.BooleanField(default=False)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("leveringsforsøg")
        verbose_name_plural = _("leveringsforsøg")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.message_id} {self.at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'fejl'}"


class MessageTemplate(models.Model):
    """An e-mail text the secretariat edits in the admin, for one language; Django template
    syntax, rendered when the message is queued. Where there is none, the shipped default is
    used (see `handlespor.mail.domain.MailTemplates`). Placeholders in every e-mail:
    {{ name }}, {{ call }}, {{ contact }}; in the decisions and offers: {{ track }},
    {{ place }}, {{ meeting_plan }}, and for a seat {{ link }} and {{ answer_by }} (the seat's
    link and answer deadline), and {{ chance }} (the person's chance when the decisions come
    from a lottery, e.g. "32,9 %"; empty otherwise); in the e-mails with the private link:
    {{ link }}, {{ deadline }}, {{ application.first_choice }}, {{ application.second_choice }}.
    """

    class Key(models.TextChoices):
        SELECTED = "decision_selected", _("afgørelse: udvalgt")
        WAITING = "decision_waiting", _("afgørelse: venteliste")
        NOT_SELECTED = "decision_not_selected", _("afgørelse: ikke udvalgt")
        SEAT_OFFER = "seat_offer", _("tilbud om ledig plads")
        SEAT_REMINDER = "seat_reminder", _("påmindelse: bekræft din plads")
        MEMBER_LINK = "member_link", _("nyt link til din plads")
        MEETING_INVITATION = "meeting_invitation", _("møde: invitation")
        MEETING_UPDATE = "meeting_update", _("møde: ændring")
        MEETING_CANCELLED = "meeting_cancelled", _("møde: aflysning")
        POLL_REMINDER = "poll_reminder", _("datoafstemning: påmindelse")
        MEETING_REMINDER = "meeting_reminder", _("møde: påmindelse")
        MINUTES_PUBLISHED = "minutes_published", _("referat offentliggjort")
        RENEWAL_QUESTION = "renewal_question", _("fortsætter du næste år?")
        REPORTING_INVITATION = "reporting_invitation", _("rapportering: invitation")
        REPORTING_REMINDER = "reporting_reminder", _("rapportering: påmindelse")
        REPORTING_LINK = "reporting_link", _("rapportering: nyt link")
        RECEIPT = "receipt", _("kvittering for ansøgning")
        EMAIL_RECEIVED = "email_received", _("svar på ansøgning pr. e-mail (link til at udfylde)")
        COMPLETED = "completed", _("kvittering: e-mailansøgning udfyldt")
        LINK_AGAIN = "link_again", _("link sendt igen")
        WITHDRAWN = "withdrawn", _("ansøgning trukket tilbage")

    key = models.CharField(_("skabelon"), max_length=40, choices=Key.choices)
    language = models.CharField(
        _("sprog"), max_length=5, choices=[("da", "Dansk"), ("en", "English")], default="da"
    )
    subject = models.CharField(_("emne"), max_length=300)
    body = models.TextField(_("tekst"))

    class Meta:
        verbose_name = _("e-mailskabelon")
        verbose_name_plural = _("e-mailskabeloner")
        ordering = ["key", "language"]
        constraints = [
            models.UniqueConstraint(fields=["key", "language"], name="one_template_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()} ({self.language})"
