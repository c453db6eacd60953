"""Reading the spreadsheets a secretariat keeps (XLSX or CSV) into numbered rows of text.

Pure Python: the partner import and the composition engine's command line both use it.
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook


class TableError(Exception):
    """The file as a whole cannot be read."""


@dataclass(frozen=True)
class RowError:
    """What is wrong in one row (and column) of a table, as the spreadsheet numbers it."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"række {self.row}" + (f", kolonne “{self.column}”" if self.column else "")
        return f"{where}: {self.message}"


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def _refuse_formulas(name: str, content: bytes, values: list[list[object]]) -> None:
    """A formula is read as its last calculated value, or as nothing when the file was never
    opened in a spreadsheet program: either way not what the cell shows. Say where it is."""
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    header = [cell_text(v) for v in values[0]] if values else []
    for number, row in enumerate(workbook.worksheets[0].iter_rows(), start=1):
        for position, cell in enumerate(row):
            if getattr(cell, "data_type", None) == "f":
                column = header[position] if position < len(header) else ""
                where = f"kolonne “{column}”" if column else f"kolonne {position + 1}"
                raise TableError(
                    f"{name}, række {number}, {where}: cellen er en formel ({cell.value}); "
                    "gem filen med værdierne i stedet (kopiér, indsæt som værdier)."
                )


def read_rows(name: str, content: bytes) -> list[tuple[int, list[str]]]:
    """The non-empty rows of the first sheet, each with its row number as a spreadsheet shows
    it (the header is row 1). CSV may be UTF-8 or Windows-1252, separated by ; , or tab."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:
            raise TableError(f"{name}: ikke en læsbar XLSX-fil ({error}).") from error
        raw = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
        _refuse_formulas(name, content, raw)
    elif suffix == ".csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252", errors="replace")
        header = text.split("\n", 1)[0]
        delimiter = max(";,\t", key=header.count)
        raw = [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    else:
        raise TableError(f"{name}: kun .csv og .xlsx kan læses.")
    rows = [
        (number, [cell_text(value) for value in row])
        for number, row in enumerate(raw, start=1)
        if any(cell_text(value) for value in row)
    ]
    if not rows:
        raise TableError(f"{name}: filen er tom.")
    return rows
