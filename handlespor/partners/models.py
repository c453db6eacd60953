from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from handlespor.attributes import ACTOR_TYPES, REGIONS, region_for_postcode

ACTOR_TYPE_CHOICES = [(value, value) for value in ACTOR_TYPES]
REGION_CHOICES = [(value, value) for value in REGIONS]


class Organisation(models.Model):
    """A partner organisation, company or institution in music life."""

    name = models.CharField(_("navn"), max_length=200)
    actor_type = models.CharField(_("aktørtype"), max_length=60, choices=ACTOR_TYPE_CHOICES)
    postcode = models.CharField(_("postnummer"), max_length=4, blank=True)
    region = models.CharField(_("region"), max_length=30, choices=REGION_CHOICES, blank=True)
    partner_since = models.DateField(_("partner siden"), null=True, blank=True)
    is_active = models.BooleanField(_("aktiv partner"), default=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organisation_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.postcode and not self.region:
            self.region = region_for_postcode(self.postcode) or ""
        super().save(*args, **kwargs)

    def reporting_years(self) -> set[int]:
        """The years the organisation delivered the annual reporting: the submitted reports of
        the reporting rounds (`reporting.Report`, asked through its reverse relation) and the
        years recorded before the rounds were run here (`ReportingYear`)."""
        recorded = {report.year for report in self.reports.all()}
        submitted = {
            report.round.year for report in self.round_reports.all() if report.status == "submitted"
        }
        return recorded | submitted

    def reported_for(self, year: int) -> bool:
        """Whether the organisation delivered the annual reporting for the given year."""
        return year in self.reporting_years()

    def contributes_since(self, year: int) -> bool:
        """Whether it contributes to the reporting as a call asks: it delivered the reporting for
        `year` (the latest closed round when the call opened) or a later one (the open round)."""
        return any(reported >= year for reported in self.reporting_years())


class ReportingYear(models.Model):
    """One year for which an organisation delivered the annual reporting on equal access and
    wellbeing."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("år"))

    class Meta:
        verbose_name = _("årlig rapportering")
        verbose_name_plural = _("årlige rapporteringer")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_report_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class Person(models.Model):
    """Someone acting for a partner organisation; e-mail addresses are stored lower-cased."""

    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-mail"), unique=True)
    title = models.CharField(_("titel"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    contact = models.BooleanField(
        _("kontaktperson i partnerregistret"),
        default=True,
        help_text=_(
            "Fra, når personen kun er kendt, fordi vedkommende har søgt: så slettes personen "
            "med sin sidste ansøgning."
        ),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("login"),
        help_text=_(
            "For bedømmere: deres organisation afgør, hvilke ansøgninger de er inhabile i."
        ),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)
