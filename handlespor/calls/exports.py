"""Applications as CSV and XLSX (written by `handlespor.downloads`)."""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from handlespor.calls.models import Application
from handlespor.downloads import formula_safe, table_csv, table_xlsx

COLUMNS = (
    "Navn",
    "E-mail",
    "Titel",
    "Organisation",
    "I partnerregistret",
    "1. prioritet",
    "2. prioritet",
    "Aktørtype",
    "Rolle",
    "Musikfelt",
    "Postnummer",
    "Region",
    "Køn",
    "Anciennitet",
    "Motivation",
    "Bidrag",
    "Status",
    "Partnerstatus",
    "Begrundelse",
    "Modtaget via",
    "Indsendt",
)


def applications_for_export(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.select_related("organisation", "first_choice", "second_choice").order_by(
        "submitted_at", "pk"
    )


def application_rows(applications: Iterable[Application]) -> Iterable[list[str]]:
    for a in applications:
        cells = [
            a.name,
            a.email,
            a.job_title,
            a.organisation_display,
            "ja" if a.organisation_id else "nej",
            a.first_choice.name,
            a.second_choice.name if a.second_choice else "",
            a.actor_type,
            a.role,
            ", ".join(a.music_fields),
            a.postcode,
            a.region,
            a.gender,
            a.seniority,
            a.motivation,
            a.contribution,
            a.get_state_display(),
            a.get_eligibility_display(),
            " ".join(a.eligibility_reasons),
            a.get_channel_display(),
            timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M"),
        ]
        yield [formula_safe(str(cell)) for cell in cells]


def applications_csv(applications: Iterable[Application]) -> bytes:
    return table_csv(COLUMNS, application_rows(applications))


def applications_xlsx(applications: Iterable[Application]) -> bytes:
    return table_xlsx("Ansøgninger", COLUMNS, application_rows(applications))
