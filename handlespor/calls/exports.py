"""Applications as CSV (semicolon-separated, UTF-8 with BOM, as Danish Excel expects) and XLSX."""

import csv
import io
from collections.abc import Callable, Iterable

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from handlespor.calls.models import Application

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


def formula_safe(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + value if value[:1] in {"=", "+", "-", "@"} else value


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


def table_csv(columns: Iterable[str], rows: Iterable[list[str]]) -> bytes:
    """Semicolon-separated UTF-8 with a BOM, as Danish Excel opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(columns)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_xlsx(title: str, columns: tuple[str, ...], rows: Iterable[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(columns)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for index, _title in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 22
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def applications_csv(applications: Iterable[Application]) -> bytes:
    return table_csv(COLUMNS, application_rows(applications))


def applications_xlsx(applications: Iterable[Application]) -> bytes:
    return table_xlsx("Ansøgninger", COLUMNS, application_rows(applications))


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_download(*, fmt: str, name: str, writers: dict[str, Callable[[], bytes]]) -> HttpResponse:
    """A table as a download in `fmt` (one of `writers`' keys), named `name.fmt`; another
    format is a 404."""
    if fmt not in writers:
        raise Http404
    response = HttpResponse(writers[fmt](), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
