"""A track's year: its meetings, the venues they are held at, the date polls that find their
dates and the members' answers. The members are the confirmed seats (`selection.Decision`)."""

import uuid
from datetime import datetime, timedelta

from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from handlespor.attributes import region_for_postcode
from handlespor.calls.models import Track, render_markdown
from handlespor.selection.models import Decision

postcode_validator = RegexValidator(r"^\d{4}$", _("Skriv et dansk postnummer med fire cifre."))


class Venue(models.Model):
    """A place to meet, with what a member needs to know to get there and to be there."""

    name = models.CharField(_("navn"), max_length=200)
    address = models.CharField(_("adresse"), max_length=300)
    postcode = models.CharField(_("postnummer"), max_length=4, validators=[postcode_validator])
    town = models.CharField(_("by"), max_length=100)
    step_free = models.BooleanField(_("trinfri adgang"), default=False)
    hearing_loop = models.BooleanField(_("teleslynge"), default=False)
    quiet_room = models.BooleanField(_("stillerum"), default=False)
    directions = models.TextField(
        _("sådan kommer du frem"), blank=True, help_text=_("Offentlig transport, parkering.")
    )

    class Meta:
        verbose_name = _("mødested")
        verbose_name_plural = _("mødesteder")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.town}"

    @property
    def region(self) -> str:
        """The region the venue's postcode lies in."""
        return region_for_postcode(self.postcode) or ""


class Meeting(models.Model):
    """One of a track's 3–4 meetings in its year: planned, then its date found by a poll and
    fixed, then held (or cancelled). Its UID stays; SEQUENCE rises with every change sent."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("fysisk")
        HYBRID = "hybrid", _("fysisk, med mulighed for at deltage online")
        ONLINE = "online", _("online")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planlagt")
        POLLING = "polling", _("datoafstemning")
        FIXED = "fixed", _("fastlagt")
        HELD = "held", _("afholdt")
        CANCELLED = "cancelled", _("aflyst")

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("titel"), max_length=200)
    agenda = models.TextField(_("dagsorden"), blank=True, help_text=_("Markdown."))
    format = models.CharField(
        _("form"), max_length=10, choices=Format.choices, default=Format.IN_PERSON
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    starts_at = models.DateTimeField(_("begynder"), null=True, blank=True)
    duration = models.PositiveSmallIntegerField(
        _("varighed (minutter)"),
        default=180,
        validators=[MinValueValidator(15), MaxValueValidator(12 * 60)],
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("mødested")
    )
    online_link = models.URLField(_("link til online deltagelse"), blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    week_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    day_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    record = models.TextField(_("referat"), blank=True, help_text=_("Markdown."))
    record_published_at = models.DateTimeField(_("referat offentliggjort"), null=True, blank=True)

    class Meta:
        verbose_name = _("møde")
        verbose_name_plural = _("møder")
        ordering = ["track", "starts_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self) -> datetime | None:
        return self.starts_at + timedelta(minutes=self.duration) if self.starts_at else None

    def agenda_html(self) -> str:
        return render_markdown(self.agenda)

    def record_html(self) -> str:
        return render_markdown(self.record)


class DatePoll(models.Model):
    """The candidate dates of one meeting, open to the members' answers until it closes."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="poll")
    closes_at = models.DateTimeField(_("lukker"))
    reminded_at = models.DateTimeField(null=True, blank=True)
    chosen = models.ForeignKey(
        "PollOption", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("datoafstemning")
        verbose_name_plural = _("datoafstemninger")

    def __str__(self) -> str:
        return str(self.meeting)

    def is_open(self, now: datetime | None = None) -> bool:
        return self.chosen_id is None and (now or timezone.now()) < self.closes_at


class PollOption(models.Model):
    poll = models.ForeignKey(DatePoll, on_delete=models.CASCADE, related_name="options")
    starts_at = models.DateTimeField(_("tidspunkt"))

    class Meta:
        verbose_name = _("mulig dato")
        verbose_name_plural = _("mulige datoer")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "starts_at"], name="poll_option_once")
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class PollAnswer(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("ja")
        IF_NEED_BE = "maybe", _("hvis det skal være")
        NO = "no", _("nej")

    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="answers")
    member = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="poll_answers")
    answer = models.CharField(_("svar"), max_length=5, choices=Answer.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("svar på datoafstemning")
        verbose_name_plural = _("svar på datoafstemninger")
        constraints = [
            models.UniqueConstraint(fields=["option", "member"], name="poll_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.option}: {self.get_answer_display()}"


class Rsvp(models.Model):
    """A member's answer to a fixed meeting: in person, online, or not coming."""

    class Answer(models.TextChoices):
        IN_PERSON = "in_person", _("kommer fysisk")
        ONLINE = "online", _("deltager online")
        NOT_COMING = "not_coming", _("kommer ikke")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="rsvps")
    answer = models.CharField(_("svar"), max_length=10, choices=Answer.choices)
    reason = models.CharField(_("begrundelse"), max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tilmelding")
        verbose_name_plural = _("tilmeldinger")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="rsvp_once")]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.get_answer_display()}"


class Attendance(models.Model):
    """Who came to a held meeting, and how."""

    class Status(models.TextChoices):
        IN_PERSON = "in_person", _("fysisk")
        ONLINE = "online", _("online")
        ABSENT = "absent", _("fraværende")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("fremmøde"), max_length=10, choices=Status.choices)

    class Meta:
        verbose_name = _("fremmøde")
        verbose_name_plural = _("fremmøde")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.get_status_display()}"


class Document(models.Model):
    """A document of a meeting (PDF, DOCX, XLSX), visible to the members once published."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titel"), max_length=200)
    file = models.FileField(
        _("fil"),
        upload_to="handlespor/dokumenter/",
        validators=[FileExtensionValidator(["pdf", "docx", "xlsx"])],
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dokument")
        verbose_name_plural = _("dokumenter")
        ordering = ["meeting", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    """Work between meetings: what, who, by when; open until it is done."""

    class Status(models.TextChoices):
        OPEN = "open", _("åben")
        DONE = "done", _("udført")

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="actions")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    what = models.CharField(_("hvad"), max_length=300)
    owners = models.ManyToManyField(Decision, related_name="actions", verbose_name=_("hvem"))
    due = models.DateField(_("senest"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=5, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("handling")
        verbose_name_plural = _("handlinger")
        ordering = ["status", "due", "pk"]

    def __str__(self) -> str:
        return self.what
