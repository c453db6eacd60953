from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from handlespor.calls.models import Application, Track

SECRETARIAT = "Sekretariat"
STEERING_GROUP = "Styregruppe"


class Review(models.Model):
    """One reviewer's score (1–5) and comment on an application for one of its tracks."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    score = models.PositiveSmallIntegerField(
        _("vurdering"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("kommentar"), blank=True)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    class Meta:
        verbose_name = _("vurdering")
        verbose_name_plural = _("vurderinger")
        ordering = ["application", "track", "reviewer"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "track", "reviewer"], name="one_review_per_reviewer"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="review_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.track}: {self.score}"


class Conflict(models.Model):
    """A conflict of interest a reviewer declared: the application is hidden from them."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts"
    )
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("begrundelse"), max_length=300)
    declared_at = models.DateTimeField(_("erklæret"), default=timezone.now)

    class Meta:
        verbose_name = _("interessekonflikt")
        verbose_name_plural = _("interessekonflikter")
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "application"], name="one_conflict_each")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} ↔ {self.application}"
