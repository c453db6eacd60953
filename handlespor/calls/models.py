import secrets
from datetime import datetime, timedelta
from decimal import Decimal

import markdown
import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from handlespor.attributes import ATTRIBUTES, default_attribute_options
from handlespor.links import derive_token, hash_token
from handlespor.partners.models import Organisation, Person

ATTRIBUTE_CHOICES = [(key, label) for key, (label, _values, _multi) in ATTRIBUTES.items()]


# Characters of a motivation or contribution, on the web form and from an e-mail alike.
APPLICATION_TEXT_LIMIT = 3000


def render_markdown(text: str) -> SafeString:
    """Markdown written by staff, rendered and then sanitised, so no script ever comes through."""
    html = markdown.markdown(text, extensions=["sane_lists"])
    return mark_safe(nh3.clean(html))  # noqa: S308 - nh3 has just sanitised it


class Call(models.Model):
    """The yearly open call for the action tracks."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    title = models.CharField(_("titel"), max_length=200)
    intro = models.TextField(_("introduktion"), blank=True, help_text=_("Markdown."))
    opens_at = models.DateTimeField(_("åbner"))
    deadline = models.DateTimeField(
        _("frist"),
        help_text=_("Ansøgninger modtages til og med dette minut, dansk tid."),
    )
    required_reporting_year = models.PositiveSmallIntegerField(
        _("krævet rapporteringsår"),
        help_text=_("Ansøgere fra organisationer uden rapportering for dette år skal tjekkes."),
    )
    attribute_options = models.JSONField(
        _("svarmuligheder"),
        default=default_attribute_options,
        help_text=_("Listen af svarmuligheder for hver egenskab."),
    )
    max_per_organisation_per_track = models.PositiveSmallIntegerField(
        _("højst personer pr. organisation pr. handlespor"), default=1
    )
    contact = models.CharField(
        _("kontakt"),
        max_length=200,
        default="sekretariat@musiklivetspartnerskab.dk",
        help_text=_("Står i afgørelsesmails som kontakt."),
    )
    retention_months = models.PositiveSmallIntegerField(
        _("måneder før ansøgningerne anonymiseres"),
        null=True,
        blank=True,
        help_text=_("Regnet fra afgørelserne blev sendt. Tom: standarden (RETENTION_MONTHS, 24)."),
    )
    completion_days = models.PositiveSmallIntegerField(
        _("dage til at udfylde e-mailansøgninger"),
        default=7,
        help_text=_(
            "En ansøgning, der er modtaget pr. e-mail før fristen, kan udfyldes så mange dage "
            "efter fristen."
        ),
    )

    meetings_per_year = models.PositiveSmallIntegerField(
        _("møder pr. handlespor i året"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Handlesporene holder ca. 3–4 møder om året."),
    )
    seat_answer_days = models.PositiveSmallIntegerField(
        _("dage til at bekræfte en plads"),
        default=14,
        validators=[MinValueValidator(2)],
        help_text=_(
            "Den, der får en plads, bekræfter den inden så mange dage; en påmindelse sendes to "
            "dage før. Uden svar går pladsen videre til ventelisten."
        ),
    )

    class Meta:
        verbose_name = _("open call")
        verbose_name_plural = _("open calls")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title

    @property
    def closes_at(self) -> datetime:
        """The first instant after the deadline: the deadline minute itself is inclusive."""
        return self.deadline.replace(second=0, microsecond=0) + timedelta(minutes=1)

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    def options(self, attribute: str) -> list[str]:
        return list(self.attribute_options.get(attribute) or ATTRIBUTES[attribute][1])

    def intro_html(self) -> SafeString:
        return render_markdown(self.intro)


class Track(models.Model):
    """A handlespor: one working group of the call."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(_("navn"), max_length=120)
    slug = models.SlugField(_("kort navn"), max_length=60)
    position = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    description = models.TextField(_("beskrivelse"), help_text=_("Markdown."))
    terms_of_reference = models.TextField(
        _("kommissorium"), blank=True, help_text=_("Markdown; eller upload en PDF.")
    )
    terms_of_reference_pdf = models.FileField(
        _("kommissorium (PDF)"),
        upload_to="kommissorier/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"])],
    )
    min_seats = models.PositiveSmallIntegerField(
        _("mindst deltagere"), default=8, validators=[MinValueValidator(1)]
    )
    max_seats = models.PositiveSmallIntegerField(
        _("højst deltagere"), default=12, validators=[MinValueValidator(1)]
    )
    meeting_plan = models.TextField(
        _("mødeplan"), blank=True, help_text=_("Står i afgørelsesmails til de udvalgte.")
    )
    year_purpose = models.TextField(
        _("formål for året"),
        blank=True,
        help_text=_("Markdown. Kort: hvad handlesporet vil nå i år; står på deltagernes side."),
    )
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="led_tracks", verbose_name=_("ledere")
    )

    class Meta:
        verbose_name = _("handlespor")
        verbose_name_plural = _("handlespor")
        ordering = ["call", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["call", "slug"], name="track_slug_unique_in_call"),
            models.CheckConstraint(
                condition=models.Q(min_seats__lte=models.F("max_seats")),
                name="track_min_seats_not_above_max",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def description_html(self) -> SafeString:
        return render_markdown(self.description)

    def year_purpose_html(self) -> SafeString:
        return render_markdown(self.year_purpose)

    def terms_of_reference_html(self) -> SafeString:
        return render_markdown(self.terms_of_reference)


class Target(models.Model):
    """An advisory representation target for the groups, e.g. "Kvinde ≥ 40 %"."""

    class Kind(models.TextChoices):
        MIN_SHARE = "min_share", _("mindst andel (%)")
        MAX_SHARE = "max_share", _("højst andel (%)")
        MIN_COUNT = "min_count", _("mindst antal")
        MAX_COUNT = "max_count", _("højst antal")
        MIN_DISTINCT = "min_distinct", _("mindst antal forskellige værdier")
        MAX_SHARE_EACH = "max_share_each", _("ingen værdi over andel (%)")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="targets")
    track = models.ForeignKey(
        Track,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        help_text=_("Tom: gælder alle handlespor."),
    )
    attribute = models.CharField(_("egenskab"), max_length=30, choices=ATTRIBUTE_CHOICES)
    kind = models.CharField(_("art"), max_length=20, choices=Kind.choices)
    values = models.JSONField(
        _("værdier"),
        default=list,
        blank=True,
        help_text=_("Værdierne målet tæller; tom: alle værdier."),
    )
    amount = models.DecimalField(
        _("grænse"),
        max_digits=7,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    hard = models.BooleanField(_("skal opfyldes"), default=False)
    weight = models.PositiveSmallIntegerField(_("vægt"), default=1)
    only_where_possible = models.BooleanField(
        _("kun hvor muligt"),
        default=False,
        help_text=_("Målet gælder kun, hvis ansøgerne gør det muligt."),
    )

    # What staff edit about a target, in the admin's inline and on the board alike.
    EDITABLE_FIELDS = [
        "track",
        "attribute",
        "kind",
        "values",
        "amount",
        "hard",
        "weight",
        "only_where_possible",
    ]

    class Meta:
        verbose_name = _("mål for repræsentation")
        verbose_name_plural = _("mål for repræsentation")
        ordering = ["call", "attribute", "kind", "id"]

    def __str__(self) -> str:
        return self.describe()

    def clean(self) -> None:
        """The checks the engine needs, wherever a target is edited (board or admin)."""
        errors: dict[str, str] = {}
        if self.call_id and self.attribute:
            unknown = [v for v in self.values or [] if v not in self.call.options(self.attribute)]
            if unknown:
                errors["values"] = _("Ukendt værdi: %(v)s") % {"v": ", ".join(unknown)}
        if self.kind in {"min_count", "max_count", "min_share", "max_share"} and not self.values:
            errors.setdefault("values", _("Dette mål skal nævne de værdier, det tæller."))
        if errors:
            raise ValidationError(errors)

    def describe(self) -> str:
        subject = ", ".join(self.values) if self.values else self.get_attribute_display()
        # Danish decimal comma, at most one decimal: "a third" is stored as 33.334 and read 33,3.
        number = f"{round(self.amount, 1):f}".rstrip("0").rstrip(".").replace(".", ",")
        match self.kind:
            case self.Kind.MIN_SHARE:
                return f"{subject} ≥ {number} %"
            case self.Kind.MAX_SHARE:
                return f"{subject} ≤ {number} %"
            case self.Kind.MIN_COUNT:
                return f"{subject} ≥ {number}"
            case self.Kind.MAX_COUNT:
                return f"{subject} ≤ {number}"
            case self.Kind.MIN_DISTINCT:
                return f"{subject}: ≥ {number} forskellige"
            case _:
                return f"{subject}: ingen over {number} %"


class Application(models.Model):
    """One person's application to one call, aimed at one or two tracks in ranked order."""

    class State(models.TextChoices):
        INCOMPLETE = "incomplete", _("modtaget pr. e-mail, ufuldstændig")
        SUBMITTED = "submitted", _("indsendt")
        WITHDRAWN = "withdrawn", _("trukket tilbage")

    class Eligibility(models.TextChoices):
        ELIGIBLE = "eligible", _("partner")
        NEEDS_CHECK = "needs_check", _("skal tjekkes")
        NOT_ELIGIBLE = "not_eligible", _("ikke partner")

    class Channel(models.TextChoices):
        WEB = "web", _("webformular")
        EMAIL = "email", _("e-mail")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    # Empty once the application is anonymised.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-mail"))
    job_title = models.CharField(_("titel"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("organisation"),
    )
    organisation_name = models.CharField(
        _("organisation, hvis ikke i registret"), max_length=200, blank=True
    )
    first_choice = models.ForeignKey(
        Track,
        on_delete=models.PROTECT,
        related_name="first_choice_applications",
        verbose_name=_("1. prioritet"),
    )
    second_choice = models.ForeignKey(
        Track,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="second_choice_applications",
        verbose_name=_("2. prioritet"),
    )
    motivation = models.TextField(_("motivation"), blank=True)
    contribution = models.TextField(_("bidrag"), blank=True)
    actor_type = models.CharField(_("aktørtype"), max_length=60, blank=True)
    role = models.CharField(_("rolle"), max_length=60, blank=True)
    music_fields = models.JSONField(_("musikfelt"), default=list, blank=True)
    postcode = models.CharField(_("postnummer"), max_length=4, blank=True)
    region = models.CharField(_("region"), max_length=30, blank=True)
    gender = models.CharField(_("køn"), max_length=30, blank=True)
    seniority = models.CharField(_("anciennitet"), max_length=20, blank=True)
    confirms_attendance = models.BooleanField(
        _("kan deltage fysisk 3–4 gange om året"), default=False
    )
    confirms_own_costs = models.BooleanField(_("dækker egne udgifter"), default=False)
    confirms_reporting = models.BooleanField(
        _("organisationen bidrager til rapporteringen"), default=False
    )
    confirms_mandate = models.BooleanField(_("har beslutningsmandat"), default=False)
    consent_at = models.DateTimeField(_("samtykke givet"), null=True, blank=True)
    language = models.CharField(_("sprog"), max_length=5, default="da")
    channel = models.CharField(
        _("modtaget via"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.SUBMITTED
    )
    eligibility = models.CharField(_("partnerstatus"), max_length=20, choices=Eligibility.choices)
    eligibility_reasons = models.JSONField(_("begrundelse"), default=list, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The private link is derived from this nonce and the secret key, so the same link can be
    # e-mailed again without storing it; a new nonce makes every earlier link stop working.
    token_nonce = models.CharField(max_length=32, blank=True, editable=False)
    # The form's one-time key: a double click or a reload of the same form is the same submit.
    submission_key = models.CharField(max_length=32, blank=True, editable=False)
    text_cut_from = models.PositiveIntegerField(
        _("e-mailens tekst var længere (tegn)"),
        null=True,
        blank=True,
        help_text=_("Motivationen holder de første 3000 tegn; hele teksten står i e-mailen."),
    )
    submitted_at = models.DateTimeField(_("indsendt"), default=timezone.now)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)
    withdrawn_at = models.DateTimeField(_("trukket tilbage"), null=True, blank=True)
    erasure_requested_at = models.DateTimeField(_("ønsker sletning siden"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymiseret"), null=True, blank=True)

    class Meta:
        verbose_name = _("ansøgning")
        verbose_name_plural = _("ansøgninger")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["call", "person"], name="one_application_per_call"),
            models.CheckConstraint(
                condition=~models.Q(first_choice=models.F("second_choice")),
                name="application_choices_differ",
            ),
        ]
        indexes = [models.Index(fields=["call", "state", "eligibility"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.call.year})"

    @property
    def organisation_display(self) -> str:
        return self.organisation.name if self.organisation else self.organisation_name

    @property
    def preferences(self) -> list[Track]:
        return [t for t in (self.first_choice, self.second_choice) if t is not None]

    @property
    def is_withdrawn(self) -> bool:
        return self.state == self.State.WITHDRAWN

    @property
    def is_incomplete(self) -> bool:
        return self.state == self.State.INCOMPLETE

    def mail_context(self, **extra: object) -> dict[str, object]:
        """What any e-mail to the applicant may say: {{ name }}, {{ call }} (its title),
        {{ contact }} and the application itself, with `extra` added."""
        return {
            "application": self,
            "name": self.name,
            "call": self.call,
            "contact": self.call.contact,
            **extra,
        }

    def completion_closes_at(self) -> datetime:
        """E-mail applications received in time may be completed a few days after the deadline:
        the e-mail was the application, the form only adds what an e-mail cannot carry."""
        return self.call.closes_at + timedelta(days=self.call.completion_days)

    def completion_deadline(self) -> datetime:
        """The last minute to complete in, as people read a deadline ("19. december kl. 23:59")."""
        return self.completion_closes_at() - timedelta(minutes=1)

    def can_complete(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.is_incomplete and self.call.opens_at <= now < self.completion_closes_at()

    def new_token(self) -> str:
        """Set a fresh private token and return it; only its hash and nonce are kept, so every
        earlier link stops working."""
        self.token_nonce = secrets.token_urlsafe(24)[:32]
        token = derive_token(self.token_nonce)
        self.token_hash = hash_token(token)
        return token

    def current_token(self) -> str | None:
        """The private link's token as it was last e-mailed, or None when it cannot be derived
        (a link made before nonces, or under another secret key)."""
        if not self.token_nonce:
            return None
        token = derive_token(self.token_nonce)
        return token if hash_token(token) == self.token_hash else None


class ApplicationEvent(models.Model):
    """Every view of and change to an application, for the record."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("indsendt")
        RESUBMITTED = "resubmitted", _("forsøgt indsendt igen")
        VIEWED = "viewed", _("set")
        EDITED = "edited", _("rettet")
        WITHDRAWN = "withdrawn", _("trukket tilbage")
        EXPORTED = "exported", _("data eksporteret")
        ELIGIBILITY = "eligibility", _("partnerstatus ændret")
        REVIEWED = "reviewed", _("vurderet")
        RECEIVED_BY_EMAIL = "received_email", _("modtaget pr. e-mail")
        COMPLETED = "completed", _("udfyldt")
        MAIL_ATTACHED = "mail_attached", _("e-mail knyttet til")
        MERGED = "merged", _("flettet")
        CORRECTED = "corrected", _("rettet af sekretariatet")
        ERASURE_REQUESTED = "erasure_requested", _("sletning ønsket")
        ANONYMISED = "anonymised", _("anonymiseret")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    by_applicant = models.BooleanField(default=False)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("hændelse")
        verbose_name_plural = _("hændelser")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
