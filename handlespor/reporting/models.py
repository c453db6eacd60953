import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from handlespor.links import derive_token, hash_token
from handlespor.partners.models import Organisation, Person


class FrozenError(ValidationError):
    """A round's questionnaire cannot change once an answer is saved."""


class Round(models.Model):
    """One year's reporting: when it is open, its introduction and its questionnaire."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    opens_on = models.DateField(_("åbner"))
    closes_on = models.DateField(
        _("lukker"), help_text=_("Sidste dag, hvor organisationerne kan indsende og rette.")
    )
    intro = models.TextField(_("introduktion"), blank=True)
    intro_en = models.TextField(_("introduktion (engelsk)"), blank=True)
    invited_at = models.DateTimeField(_("invitationer sendt"), null=True, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("rapporteringsrunde")
        verbose_name_plural = _("rapporteringsrunder")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(_("Rapportering %(year)s") % {"year": self.year})

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("Runden kan ikke lukke, før den åbner.")})

    def is_open(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def is_closed(self, today: date | None = None) -> bool:
        return (today or timezone.localdate()) > self.closes_on

    def days_left(self, today: date | None = None) -> int:
        return (self.closes_on - (today or timezone.localdate())).days

    @property
    def frozen(self) -> bool:
        """Whether an answer has been saved, so the questions can no longer change."""
        if self.pk is None:
            return False
        return self.reports.exclude(status=Report.Status.NOT_STARTED).exists()

    def intro_in(self, language: str | None = None) -> str:
        language = language or get_language()
        return self.intro_en if language == "en" and self.intro_en else self.intro

    def ordered_questions(self) -> list["Question"]:
        return list(
            Question.objects.filter(section__round=self)
            .select_related("section")
            .order_by("section__position", "section__pk", "position", "pk")
        )


class _Frozen(models.Model):
    """Sections and questions: no change once their round holds an answer."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def _round(self) -> Round:
        raise NotImplementedError

    def _refuse_if_frozen(self) -> None:
        if self._round().frozen:
            raise FrozenError(
                _(
                    "Spørgeskemaet er låst, fordi der er gemt svar i runden. Kopiér runden for at "
                    "lave næste års udgave."
                )
            )


class Section(_Frozen):
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="sections", verbose_name=_("runde")
    )
    position = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    title = models.CharField(_("overskrift"), max_length=200)
    title_en = models.CharField(_("overskrift (engelsk)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("afsnit")
        verbose_name_plural = _("afsnit")
        ordering = ["round", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    def _round(self) -> Round:
        return self.round

    def title_in(self, language: str | None = None) -> str:
        language = language or get_language()
        return self.title_en if language == "en" and self.title_en else self.title


class Question(_Frozen):
    class Kind(models.TextChoices):
        INTEGER = "integer", _("helt tal")
        PERCENT = "percent", _("procent")
        GENDER_SPLIT = "gender_split", _("antal fordelt på køn")
        YES_NO = "yes_no", _("ja/nej")
        CHOICE = "choice", _("ét valg")
        CHOICES = "choices", _("flere valg")
        SHORT_TEXT = "short_text", _("kort tekst")
        LONG_TEXT = "long_text", _("lang tekst")

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="questions", verbose_name=_("afsnit")
    )
    position = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    key = models.SlugField(
        _("nøgle"),
        max_length=60,
        help_text=_(
            "Kort navn uden mellemrum, fx kvinder_bestyrelse. Samme nøgle og type år efter år "
            "gør svarene sammenlignelige; nøglen er også kolonnens navn ved import."
        ),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("spørgsmål"), max_length=400)
    text_en = models.CharField(_("spørgsmål (engelsk)"), max_length=400, blank=True)
    help = models.TextField(_("hjælpetekst"), blank=True)
    help_en = models.TextField(_("hjælpetekst (engelsk)"), blank=True)
    required = models.BooleanField(_("skal besvares"), default=True)
    options = models.TextField(
        _("svarmuligheder"),
        blank=True,
        help_text=_(
            "Kun for ét valg og flere valg: én pr. linje, dansk og engelsk adskilt af |, "
            "fx “Delvist | Partly”."
        ),
    )
    example = models.BooleanField(
        _("eksempel"),
        default=False,
        help_text=_("Fra det medfølgende eksempelspørgeskema; tilpas det før runden åbner."),
    )

    class Meta:
        verbose_name = _("spørgsmål")
        verbose_name_plural = _("spørgsmål")
        ordering = ["section", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    def _round(self) -> Round:
        return self.section.round

    def clean(self) -> None:
        has_options = self.kind in {self.Kind.CHOICE, self.Kind.CHOICES}
        if has_options and len(self.option_pairs()) < 2:
            raise ValidationError({"options": _("Skriv mindst to svarmuligheder, én pr. linje.")})
        if not has_options and self.options.strip():
            raise ValidationError({"options": _("Kun ét valg og flere valg har svarmuligheder.")})
        if self.section_id and self.key:
            same_key = Question.objects.filter(section__round=self.section.round, key=self.key)
            if same_key.exclude(pk=self.pk).exists():
                raise ValidationError({"key": _("Runden har allerede et spørgsmål med den nøgle.")})

    def option_pairs(self) -> list[tuple[str, str]]:
        """(Danish value, English label) of each answer option."""
        pairs = []
        for line in self.options.splitlines():
            danish, _bar, english = line.partition("|")
            if danish.strip():
                pairs.append((danish.strip(), english.strip() or danish.strip()))
        return pairs

    def options_in(self, language: str | None = None) -> list[tuple[str, str]]:
        """(stored value, label in `language`) of each answer option."""
        language = language or get_language()
        return [(da, en if language == "en" else da) for da, en in self.option_pairs()]

    def text_in(self, language: str | None = None) -> str:
        language = language or get_language()
        return self.text_en if language == "en" and self.text_en else self.text

    def help_in(self, language: str | None = None) -> str:
        language = language or get_language()
        return self.help_en if language == "en" and self.help_en else self.help

    def same_as(self, other: "Question") -> bool:
        """Whether answers to the two questions can be compared (same key, type and options)."""
        return (self.key, self.kind, self.option_pairs()) == (
            other.key,
            other.kind,
            other.option_pairs(),
        )


class Report(models.Model):
    """One organisation's answer to one round."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("ikke startet")
        DRAFT = "draft", _("kladde")
        SUBMITTED = "submitted", _("indsendt")

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="reports", verbose_name=_("runde")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="round_reports",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    values = models.JSONField(_("svar"), default=dict, blank=True)
    saved_by = models.CharField(_("senest gemt af"), max_length=200, blank=True)
    saved_at = models.DateTimeField(_("senest gemt"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("indsendt"), null=True, blank=True)
    imported = models.BooleanField(_("importeret"), default=False)
    invited_at = models.DateTimeField(_("inviteret"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("seneste påmindelse"), null=True, blank=True)
    reminders_sent = models.JSONField(
        _("påmindelser sendt"), default=list, blank=True, help_text=_("Dage før lukning.")
    )

    class Meta:
        verbose_name = _("rapportering")
        verbose_name_plural = _("rapporteringer")
        ordering = ["round", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="one_report_a_round"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.round.year}"

    @property
    def submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class ReportLink(models.Model):
    """A contact person's private link to their organisation's report: only its nonce and hash
    are kept, and the link is an HMAC of the nonce under the secret key."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="links")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="report_links")
    token_nonce = models.CharField(max_length=32, editable=False)
    token_hash = models.CharField(max_length=64, db_index=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "person"], name="one_report_link_a_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.report}"

    def new_token(self) -> str:
        """Set a fresh link and return its token (the old one stops working)."""
        self.token_nonce = secrets.token_urlsafe(24)[:32]
        token = self.current_token()
        self.token_hash = hash_token(token)
        return token

    def current_token(self) -> str:
        return derive_token(f"report:{self.token_nonce}")


class ReportVersion(models.Model):
    """One saved state of a report: its history."""

    class Kind(models.TextChoices):
        DRAFT = "draft", _("kladde gemt")
        SUBMITTED = "submitted", _("indsendt")
        CORRECTED = "corrected", _("rettet efter indsendelse")
        IMPORTED = "imported", _("importeret")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    values = models.JSONField(default=dict)
    saved_by = models.CharField(max_length=200, blank=True)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versioner")
        ordering = ["saved_at", "pk"]

    def __str__(self) -> str:
        return f"{self.report} · {self.get_kind_display()}"
