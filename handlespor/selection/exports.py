"""The final groups per track, as CSV and XLSX."""

from __future__ import annotations

from django.db.models import QuerySet

from handlespor.downloads import formula_safe, table_csv, table_xlsx
from handlespor.selection.models import Decision

COLUMNS = (
    "Handlespor",
    "Afgørelse",
    "Plads på venteliste",
    "Navn",
    "E-mail",
    "Organisation",
    "Region",
    "Køn",
    "Anciennitet",
    "Aktørtype",
    "Musikfelt",
    "Sendt",
)


def group_decisions(call) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(
            application__call=call,
            outcome__in=[Decision.Outcome.SELECTED, Decision.Outcome.WAITING],
        )
        .select_related("application__organisation", "track")
        .order_by("track__position", "outcome", "waiting_position", "application__name")
    )


def group_rows(decisions) -> list[list[str]]:
    rows = []
    for d in decisions:
        a = d.application
        cells = [
            d.track.name if d.track else "",
            d.get_outcome_display(),
            d.waiting_position or "",
            a.name,
            a.email,
            a.organisation_display,
            a.region,
            a.gender,
            a.seniority,
            a.actor_type,
            ", ".join(a.music_fields),
            "ja" if d.released_at else "nej",
        ]
        rows.append([formula_safe(str(c)) for c in cells])
    return rows


def groups_csv(call) -> bytes:
    return table_csv(COLUMNS, group_rows(group_decisions(call)))


def groups_xlsx(call) -> bytes:
    return table_xlsx("Deltagerkredse", COLUMNS, group_rows(group_decisions(call)))
