"""Instances from the files a secretariat keeps, and compositions back to spreadsheets.

The applicants file has one row per applicant; the targets file (TOML) maps its Danish
column names to the engine's fields and holds the tracks, rules, targets and settings. Every
error names the file, and the row and column where it has them.
"""

from __future__ import annotations

import csv
import difflib
import io
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from pydantic import ValidationError

from handlespor.engine.models import (
    Applicant,
    Composition,
    Instance,
    Lock,
    Rules,
    Settings,
    Target,
    Track,
)
from handlespor.tables import TableError, read_rows

YES = {"ja", "j", "yes", "y", "1", "true", "x", "sand"}
NO = {"nej", "n", "no", "0", "false", "falsk", ""}


class InputError(Exception):
    """Input that cannot be used, with where it is."""


@dataclass(frozen=True)
class AttributeColumn:
    key: str
    column: str
    values: tuple[str, ...]
    multiple: bool
    separator: str


def _where(file: str, row: int | None = None, column: str | None = None) -> str:
    parts = [file]
    if row is not None:
        parts.append(f"række {row}")
    if column:
        parts.append(f"kolonne “{column}”")
    return ", ".join(parts)


def _pydantic_message(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


COLUMN_KEYS = ("id", "name", "organisation", "eligible", "first_choice", "second_choice", "score")
ATTRIBUTE_KEYS = ("column", "values", "multiple", "separator")
TRACK_KEYS = ("id", "name", "min", "max")
# Each section of the targets file: a table or a list of tables, and the keys it may hold.
SECTIONS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "columns": ("table", COLUMN_KEYS),
    "attributes": ("tables", ATTRIBUTE_KEYS),
    "seats": ("table", ("min", "max")),
    "tracks": ("list", TRACK_KEYS),
    "targets": ("list", tuple(Target.model_fields)),
    "rules": ("table", tuple(Rules.model_fields)),
    "locks": ("list", tuple(Lock.model_fields)),
    "settings": ("table", tuple(Settings.model_fields)),
}


def _nearest(word: str, known: tuple[str, ...] | list[str]) -> str | None:
    found = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return found[0] if found else None


def _unknown_key(where: str, key: str, known: tuple[str, ...]) -> InputError:
    nearest = _nearest(key, known)
    hint = f"; mente du “{nearest}”?" if nearest else f"; kendte nøgler: {', '.join(known)}"
    return InputError(f"{where}: ukendt nøgle “{key}”{hint}")


def _check_keys(config: dict[str, Any], file: str) -> None:
    """Unknown sections and keys are errors, with the nearest known one suggested: a misspelt
    key would otherwise be ignored and change the result without a word."""
    for section, content in config.items():
        if section not in SECTIONS:
            nearest = _nearest(section, tuple(SECTIONS))
            hint = f"; mente du [{nearest}]?" if nearest else ""
            raise InputError(f"{file}: ukendt afsnit [{section}]{hint}")
        shape, known = SECTIONS[section]
        if shape == "table":
            tables = [(f"{file}, [{section}]", content)]
        elif shape == "tables":
            tables = [
                (f"{file}, [{section}.{name}]", table)
                for name, table in content.items()
                if isinstance(table, dict)
            ]
        else:
            tables = [
                (f"{file}, [[{section}]] nr. {number}", table)
                for number, table in enumerate(content, start=1)
            ]
        for where, table in tables:
            if not isinstance(table, dict):
                raise InputError(f"{where}: skal være en tabel af nøgler og værdier")
            for key in table:
                if known is not None and key not in known:
                    raise _unknown_key(where, key, known)


def read_config(path: Path) -> dict[str, Any]:
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise InputError(f"{path.name}: filen findes ikke.") from error
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{path.name}: kan ikke læses som TOML: {error}") from error
    _check_keys(config, path.name)
    return config


def _tracks(config: dict[str, Any], file: str) -> tuple[Track, ...]:
    """The tracks; `[seats]` sets min and max once for every track that does not set its own."""
    seats = {"min": 8, "max": 12} | config.get("seats", {})
    tracks = []
    for number, raw in enumerate(config.get("tracks", []), start=1):
        try:
            tracks.append(
                Track(
                    id=str(raw["id"]),
                    name=str(raw.get("name", raw["id"])),
                    min_seats=raw.get("min", seats["min"]),
                    max_seats=raw.get("max", seats["max"]),
                )
            )
        except KeyError as error:
            raise InputError(f"{file}, [[tracks]] nr. {number}: mangler {error.args[0]}") from error
        except ValidationError as error:
            raise InputError(
                f"{file}, [[tracks]] nr. {number}: {_pydantic_message(error)}"
            ) from error
    if not tracks:
        raise InputError(f"{file}: ingen [[tracks]]; nævn mindst ét handlespor.")
    return tuple(tracks)


def _attributes(config: dict[str, Any], file: str) -> list[AttributeColumn]:
    columns = []
    for key, raw in config.get("attributes", {}).items():
        if isinstance(raw, str):
            raw = {"column": raw}
        if not isinstance(raw, dict) or "column" not in raw:
            raise InputError(f'{file}, [attributes] {key}: angiv column = "kolonnenavn"')
        columns.append(
            AttributeColumn(
                key=key,
                column=str(raw["column"]),
                values=tuple(str(v) for v in raw.get("values", ())),
                multiple=bool(raw.get("multiple", False)),
                separator=str(raw.get("separator", ",")),
            )
        )
    return columns


def _check_target_subject(
    raw: dict[str, Any], attributes: dict[str, AttributeColumn], where: str
) -> None:
    """A target must count an attribute of the file, and values that attribute can have."""
    attribute = str(raw.get("attribute", ""))
    if attribute not in attributes:
        nearest = _nearest(attribute, list(attributes))
        hint = f"; mente du “{nearest}”?" if nearest else f"; kendte: {', '.join(attributes)}"
        raise InputError(f"{where}: ukendt egenskab “{attribute}”{hint}")
    known = attributes[attribute].values
    for value in raw.get("values") or ():
        if known and value not in known:
            nearest = _nearest(str(value), known)
            hint = f"; mente du “{nearest}”?" if nearest else f"; kendte: {', '.join(known)}"
            raise InputError(f"{where}: {attribute} har ingen værdi “{value}”{hint}")


def _targets(config: dict[str, Any], file: str, tracks: tuple[Track, ...]) -> tuple[Target, ...]:
    by_name = _track_lookup(tracks)
    attributes = {a.key: a for a in _attributes(config, file)}
    targets = []
    for number, raw in enumerate(config.get("targets", []), start=1):
        raw = dict(raw)
        if "values" in raw and isinstance(raw["values"], str):
            raw["values"] = [raw["values"]]
        _check_target_subject(raw, attributes, f"{file}, [[targets]] nr. {number}")
        if raw.get("track") is not None:
            track = by_name.get(str(raw["track"]).strip().lower())
            if track is None:
                raise InputError(
                    f"{file}, [[targets]] nr. {number}: ukendt handlespor “{raw['track']}”"
                )
            raw["track"] = track
        try:
            targets.append(Target(**raw))
        except (ValidationError, TypeError) as error:
            message = _pydantic_message(error) if isinstance(error, ValidationError) else str(error)
            raise InputError(f"{file}, [[targets]] nr. {number}: {message}") from error
    return tuple(targets)


def _track_lookup(tracks: tuple[Track, ...]) -> dict[str, str]:
    lookup = {}
    for track in tracks:
        lookup[track.id.lower()] = track.id
        lookup[track.label.lower()] = track.id
    return lookup


def _header(rows: list[tuple[int, list[str]]]) -> dict[str, int]:
    return {title.strip().lower(): index for index, title in enumerate(rows[0][1]) if title.strip()}


def _require(header: dict[str, int], column: str, file: str, config_file: str) -> int:
    if column.lower() not in header:
        raise InputError(f"{file}: kolonnen “{column}” mangler (navngivet i {config_file}).")
    return header[column.lower()]


def _applicants(
    rows: list[tuple[int, list[str]]],
    config: dict[str, Any],
    tracks: tuple[Track, ...],
    file: str,
    config_file: str,
) -> tuple[Applicant, ...]:
    names = {
        "id": None,
        "name": "Navn",
        "organisation": "Organisation",
        "eligible": None,
        "first_choice": "1. prioritet",
        "second_choice": "2. prioritet",
        "score": None,
    } | config.get("columns", {})
    if len(rows) < 2:
        raise InputError(f"{file}: filen har en overskrift, men ingen ansøgere.")
    header = _header(rows)
    index = {
        field: _require(header, column, file, config_file)
        for field, column in names.items()
        if column
    }
    attributes = [
        (a, _require(header, a.column, file, config_file)) for a in _attributes(config, config_file)
    ]
    lookup = _track_lookup(tracks)
    applicants = []
    seen: set[str] = set()
    for number, row in rows[1:]:

        def cell(field: str, row: list[str] = row) -> str:
            position = index.get(field)
            return row[position] if position is not None and position < len(row) else ""

        preferences = []
        for field in ("first_choice", "second_choice"):
            text = cell(field)
            if not text:
                if field == "first_choice":
                    raise InputError(f"{_where(file, number, names[field])}: mangler 1. prioritet")
                continue
            track = lookup.get(text.lower())
            if track is None:
                raise InputError(
                    f"{_where(file, number, names[field])}: ukendt handlespor “{text}”"
                )
            if track in preferences:
                raise InputError(f"{_where(file, number, names[field])}: samme handlespor to gange")
            preferences.append(track)
        values = {}
        for attribute, position in attributes:
            text = row[position] if position < len(row) else ""
            parts = (
                [p.strip() for p in text.split(attribute.separator)]
                if attribute.multiple
                else [text]
            )
            parts = [p for p in parts if p]
            for part in parts:
                if attribute.values and part not in attribute.values:
                    raise InputError(
                        f"{_where(file, number, attribute.column)}: “{part}” er ikke en af: "
                        + ", ".join(attribute.values)
                    )
            values[attribute.key] = tuple(parts)
        eligible = True
        if "eligible" in index:
            word = cell("eligible").lower()
            if word not in YES | NO:
                raise InputError(
                    f"{_where(file, number, names['eligible'])}: “{word}” er hverken ja eller nej"
                )
            eligible = word in YES
        scores = {}
        if "score" in index and cell("score"):
            try:
                score = float(cell("score").replace(",", "."))
            except ValueError as error:
                raise InputError(
                    f"{_where(file, number, names['score'])}: “{cell('score')}” er ikke et tal"
                ) from error
            scores = dict.fromkeys(preferences, score)
        identifier = cell("id") or str(number)
        if identifier in seen:
            raise InputError(
                f"{_where(file, number, names['id'] or '')}: “{identifier}” optræder to gange"
            )
        seen.add(identifier)
        applicants.append(
            Applicant(
                id=identifier,
                name=cell("name"),
                organisation=cell("organisation"),
                attributes=values,
                eligible=eligible,
                preferences=tuple(preferences),
                scores=scores,
            )
        )
    return tuple(applicants)


def load_instance(
    applicants_path: Path, config_path: Path, overrides: dict[str, Any] | None = None
) -> Instance:
    """Read the applicants and the targets file into an instance; InputError says where not."""
    config = read_config(config_path)
    tracks = _tracks(config, config_path.name)
    try:
        rows = read_rows(applicants_path.name, applicants_path.read_bytes())
    except FileNotFoundError as error:
        raise InputError(f"{applicants_path.name}: filen findes ikke.") from error
    except TableError as error:
        raise InputError(str(error)) from error
    applicants = _applicants(rows, config, tracks, applicants_path.name, config_path.name)
    try:
        return Instance(
            applicants=applicants,
            tracks=tracks,
            targets=_targets(config, config_path.name, tracks),
            rules=Rules(**config.get("rules", {})),
            locks=tuple(Lock(**lock) for lock in config.get("locks", [])),
            settings=Settings(**(config.get("settings", {}) | (overrides or {}))),
        )
    except ValidationError as error:
        raise InputError(f"{config_path.name}: {_pydantic_message(error)}") from error


# Writing


def _sheets(instance: Instance, composition: Composition) -> dict[str, list[list[object]]]:
    members = [["Handlespor", "Navn", "Organisation", "Prioritet", "Vurdering", "Bidrager med"]]
    representation = [["Handlespor", "Mål", "Værdi", "Opfyldt", "Mangler", "Muligt med puljen"]]
    waiting = [["Handlespor", "Plads", "Navn", "Note"]]
    for track in composition.tracks:
        for member in track.members:
            applicant = instance.applicant(member.applicant)
            members.append(
                [
                    track.name,
                    member.name,
                    applicant.organisation,
                    "" if member.rank is None else member.rank + 1,
                    "" if member.score is None else member.score,
                    "; ".join(member.adds),
                ]
            )
        for outcome in track.representation:
            representation.append(
                [
                    track.name,
                    outcome.label,
                    outcome.value,
                    "ja" if outcome.met else "nej",
                    outcome.deficit,
                    "ja" if outcome.possible else "nej",
                ]
            )
        for entry in track.waiting_list:
            waiting.append([track.name, entry.position, entry.name, entry.note])
    reasons = [["Navn", "Organisation", "Begrundelse"]] + [
        [n.name, instance.applicant(n.applicant).organisation, n.reason]
        for n in composition.not_selected
    ]
    alternatives = [["Alternativ", "Handlespor", "Navn", "Forskel fra bedste"]]
    for number, alternative in enumerate(composition.alternatives, start=1):
        for track_id, ids in alternative.assignment.items():
            for applicant_id in ids:
                alternatives.append(
                    [
                        number,
                        instance.track(track_id).label,
                        instance.applicant(applicant_id).name,
                        alternative.differs_from_best,
                    ]
                )
    summary = [
        ["Status", composition.status],
        ["Løsningstid (s)", round(composition.solve_seconds, 3)],
    ]
    if composition.gap is not None:
        summary.append(["Afstand til bevist optimum", round(composition.gap, 4)])
    summary += [[f"Mål: {level}", value] for level, value in composition.objective.items()]
    summary += [["Advarsel", warning] for warning in composition.warnings]
    summary += [["Diagnose", line] for line in composition.diagnosis]
    return {
        "Sammensætning": members,
        "Repræsentation": representation,
        "Begrundelser": reasons,
        "Ventelister": waiting,
        "Alternativer": alternatives,
        "Oversigt": summary,
    }


def write_composition(path: Path, instance: Instance, composition: Composition) -> list[Path]:
    """Write the composition as an XLSX with one sheet per part, or as CSV files, one per part
    (the first at `path`, the others beside it with the part's name added)."""
    sheets = _sheets(instance, composition)
    if path.suffix.lower() == ".csv":
        written = []
        for number, (title, rows) in enumerate(sheets.items()):
            target = path if number == 0 else path.with_name(f"{path.stem}-{_slug(title)}.csv")
            buffer = io.StringIO()
            csv.writer(buffer, delimiter=";").writerows(rows)
            target.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
            written.append(target)
        return written
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
    workbook.save(path)
    return [path]


def _slug(title: str) -> str:
    return title.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
