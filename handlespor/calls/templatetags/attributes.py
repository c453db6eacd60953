"""Template filters for applicant attribute values, stored in Danish, shown in the page's
language: `{{ application.gender|value_label }}`, `{{ application.music_fields|value_labels }}`."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def value_label(value: str) -> str:
    """The value in the active language (a call's own values without a translation as typed)."""
    return gettext(value) if value else ""


@register.filter
def value_labels(values: list[str]) -> str:
    return ", ".join(gettext(v) for v in values or ())
