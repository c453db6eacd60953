from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RetentionRun(models.Model):
    """One run of the retention: what it found due, and whether it acted."""

    at = models.DateTimeField(_("tidspunkt"), default=timezone.now)
    applied = models.BooleanField(_("udført"), default=False)
    counts = models.JSONField(_("antal"), default=dict)
    detail = models.JSONField(_("detaljer"), default=list, blank=True)

    class Meta:
        verbose_name = _("sletning efter frist")
        verbose_name_plural = _("sletninger efter frist")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'udført' if self.applied else 'prøvekørsel'}"
