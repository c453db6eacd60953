"""Reading the partner register from the CSV or XLSX files a secretariat keeps.

One row per organisation, optionally with one contact person; an organisation may appear on
several rows to list several people. Headers are Danish and matched case-insensitively.
Parsing only reads and validates; `partners.domain.partners_import` stores.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from handlespor.attributes import ACTOR_TYPES, REGIONS, region_for_postcode
from handlespor.tables import RowError, read_rows

# Canonical column -> accepted header spellings.
COLUMNS: dict[str, tuple[str, ...]] = {
    "organisation": ("organisation", "organisationsnavn", "navn"),
    "actor_type": ("aktørtype", "aktoertype", "aktørtype (actor type)"),
    "postcode": ("postnummer", "postnr", "postnr."),
    "region": ("region",),
    "partner_since": ("partner siden", "partner_siden", "partner fra"),
    "is_active": ("aktiv", "aktiv partner"),
    "reporting_years": ("rapportering", "rapporteringsår", "årlig rapportering"),
    "person_name": ("kontaktperson", "person", "personens navn"),
    "person_email": ("e-mail", "email", "mail"),
    "person_title": ("titel", "stilling"),
}
REQUIRED = ("organisation", "actor_type")
TRUE_WORDS = {"ja", "j", "yes", "y", "1", "true", "sand", "x", "aktiv"}
FALSE_WORDS = {"nej", "n", "no", "0", "false", "falsk", "inaktiv"}


@dataclass
class PartnerRow:
    row: int
    organisation: str
    actor_type: str
    postcode: str = ""
    region: str = ""
    partner_since: date | None = None
    is_active: bool = True
    reporting_years: list[int] = field(default_factory=list)
    person_name: str = ""
    person_email: str = ""
    person_title: str = ""


@dataclass
class ParseResult:
    rows: list[PartnerRow]
    errors: list[RowError]


def _header_map(header: list[str]) -> tuple[dict[str, int], list[RowError]]:
    lookup = {spelling: key for key, spellings in COLUMNS.items() for spelling in spellings}
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        key = lookup.get(title.lower())
        if key and key not in positions:
            positions[key] = index
    errors = [
        RowError(1, COLUMNS[key][0], "kolonnen mangler") for key in REQUIRED if key not in positions
    ]
    return positions, errors


def _parse_date(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 1, 1)
    raise ValueError


def _parse_row(number: int, values: dict[str, str]) -> tuple[PartnerRow | None, list[RowError]]:
    errors: list[RowError] = []

    def fail(key: str, message: str) -> None:
        errors.append(RowError(number, COLUMNS[key][0], message))

    row = PartnerRow(row=number, organisation=values.get("organisation", ""), actor_type="")
    if not row.organisation:
        fail("organisation", "mangler navn")
    elif len(row.organisation) > 200:
        fail("organisation", "højst 200 tegn")
    actor_type = values.get("actor_type", "")
    matches = [a for a in ACTOR_TYPES if a.lower() == actor_type.lower()]
    if matches:
        row.actor_type = matches[0]
    else:
        fail("actor_type", f"“{actor_type}” er ikke en kendt aktørtype")
    row.postcode = values.get("postcode", "")
    if row.postcode and region_for_postcode(row.postcode) is None:
        fail("postcode", f"“{row.postcode}” er ikke et dansk postnummer")
    region = values.get("region", "")
    region_matches = [r for r in REGIONS if r.lower() == region.lower()]
    if region and not region_matches:
        fail("region", f"“{region}” er ikke en kendt region")
    row.region = region_matches[0] if region_matches else ""
    if since := values.get("partner_since", ""):
        try:
            row.partner_since = _parse_date(since)
        except ValueError:
            fail("partner_since", f"“{since}” er ikke en dato (brug ÅÅÅÅ-MM-DD)")
    active = values.get("is_active", "").lower()
    if active in TRUE_WORDS or not active:
        row.is_active = True
    elif active in FALSE_WORDS:
        row.is_active = False
    else:
        fail("is_active", f"“{active}” er hverken ja eller nej")
    years = values.get("reporting_years", "")
    for word in re.split(r"[,;\s]+", years) if years else []:
        if re.fullmatch(r"(19|20)\d\d", word):
            row.reporting_years.append(int(word))
        else:
            fail("reporting_years", f"“{word}” er ikke et årstal")
    row.person_name = values.get("person_name", "")
    row.person_email = values.get("person_email", "").lower()
    row.person_title = values.get("person_title", "")
    if row.person_email:
        try:
            validate_email(row.person_email)
        except ValidationError:
            fail("person_email", f"“{row.person_email}” er ikke en gyldig e-mailadresse")
        if not row.person_name:
            fail("person_name", "en person med e-mail skal have et navn")
    elif row.person_name:
        fail("person_email", "en kontaktperson skal have en e-mailadresse")
    return (None if errors else row), errors


def parse_partner_file(name: str, content: bytes) -> ParseResult:
    """Read and validate every row; the errors name the row and column of each problem."""
    numbered = read_rows(name, content)
    positions, errors = _header_map(numbered[0][1])
    if errors:
        return ParseResult(rows=[], errors=errors)
    rows: list[PartnerRow] = []
    for number, raw in numbered[1:]:
        values = {key: raw[i] if i < len(raw) else "" for key, i in positions.items()}
        row, row_errors = _parse_row(number, values)
        errors.extend(row_errors)
        if row is not None:
            rows.append(row)
    return ParseResult(rows=rows, errors=errors)
