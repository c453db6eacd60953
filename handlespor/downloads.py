"""Tables written as downloads: CSV (semicolon-separated UTF-8 with a BOM, as Danish Excel opens
it) and XLSX, with every cell safe from running as a formula.

May import: Django and openpyxl only. Imported by: calls, selection, trackyear and reporting.
"""

import csv
import io
from collections.abc import Callable, Iterable

from django.http import Http404, HttpResponse
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def formula_safe(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + value if value[:1] in {"=", "+", "-", "@"} else value


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


def table_download(*, fmt: str, name: str, writers: dict[str, Callable[[], bytes]]) -> HttpResponse:
    """A table as a download in `fmt` (one of `writers`' keys), named `name.fmt`; another
    format is a 404."""
    if fmt not in writers:
        raise Http404
    response = HttpResponse(writers[fmt](), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
