"""The applicant attributes of the open call and their default Danish value lists.

Pure Python: used by the partner register, the calls, the demo data and the benchmarks alike.
The lists are defaults; each call keeps its own editable copy. The values are
stored in Danish; each is marked for translation, so English pages show them in English
(`value_label`).
"""

from typing import Final


def gettext_noop(value: str) -> str:
    """Marks a value for translation without Django (makemessages finds it by this name)."""
    return value


ACTOR_TYPES: Final = (
    gettext_noop("Spillested/koncertsted"),
    gettext_noop("Festival"),
    gettext_noop("Orkester/ensemble/kor"),
    gettext_noop("Musik-/kulturskole"),
    gettext_noop("Konservatorium/uddannelse"),
    gettext_noop("Pladeselskab"),
    gettext_noop("Musikforlag"),
    gettext_noop("Booking/management"),
    gettext_noop("Rettighedsorganisation"),
    gettext_noop("Fagforening/interesseorganisation"),
    gettext_noop("Genreorganisation"),
    gettext_noop("Medie"),
    gettext_noop("Kommune/offentlig"),
    gettext_noop("Fond"),
    gettext_noop("Skabende/udøvende kunstner"),
    gettext_noop("Andet"),
)
ROLES: Final = (
    gettext_noop("Direktion"),
    gettext_noop("Ledelse"),
    gettext_noop("Medarbejder"),
    gettext_noop("Bestyrelse"),
    gettext_noop("Freelance/selvstændig"),
)
MUSIC_FIELDS: Final = (
    gettext_noop("Rytmisk"),
    gettext_noop("Jazz"),
    gettext_noop("Klassisk/kompositionsmusik"),
    gettext_noop("Folk/verdensmusik"),
    gettext_noop("Kor/amatør"),
    gettext_noop("Genreoverskridende"),
)
REGIONS: Final = (
    gettext_noop("Hovedstaden"),
    gettext_noop("Sjælland"),
    gettext_noop("Syddanmark"),
    gettext_noop("Midtjylland"),
    gettext_noop("Nordjylland"),
    gettext_noop("Landsdækkende"),
)
# The five administrative regions; "Landsdækkende" (national) is not one of them.
GEOGRAPHIC_REGIONS: Final = REGIONS[:5]
GENDERS: Final = (
    gettext_noop("Kvinde"),
    gettext_noop("Mand"),
    gettext_noop("Nonbinær"),
    gettext_noop("Andet"),
    gettext_noop("Ønsker ikke at oplyse"),
)
SENIORITY_BANDS: Final = (
    gettext_noop("0–5 år"),
    gettext_noop("6–10 år"),
    gettext_noop("11–20 år"),
    gettext_noop("Over 20 år"),
)

# Share of women among applicants by actor type, as skewed as in the sector: used by the
# fictitious demo data and the benchmark instances.
WOMEN_SHARE = {
    "Booking/management": 0.3,
    "Pladeselskab": 0.3,
    "Spillested/koncertsted": 0.35,
    "Festival": 0.4,
    "Musik-/kulturskole": 0.6,
    "Kommune/offentlig": 0.65,
    "Fond": 0.55,
}


# Attribute key -> (Danish label, default values, several values allowed).
ATTRIBUTES: Final[dict[str, tuple[str, tuple[str, ...], bool]]] = {
    "actor_type": ("Aktørtype", ACTOR_TYPES, False),
    "role": ("Rolle", ROLES, False),
    "music_fields": ("Musikfelt", MUSIC_FIELDS, True),
    "region": ("Region", REGIONS, False),
    "gender": ("Køn", GENDERS, False),
    "seniority": ("Anciennitet", SENIORITY_BANDS, False),
}

# Shown only to the roles that may see them for the application (handlespor.roles), everywhere.
SENSITIVE_ATTRIBUTES: Final = ("gender",)


def default_attribute_options() -> dict[str, list[str]]:
    """A fresh, editable copy of the default value lists, keyed by attribute."""
    return {key: list(values) for key, (_label, values, _multi) in ATTRIBUTES.items()}


# Postcode ranges (inclusive) to regions. Danish postcodes follow the old post districts, so a
# few municipalities straddle a region border; these ranges follow the municipalities' regions.
_POSTCODE_REGIONS: Final = (
    (1000, 2665, "Hovedstaden"),
    (2670, 2690, "Sjælland"),  # Greve, Solrød, Karlslunde
    (2691, 3699, "Hovedstaden"),
    (3700, 3799, "Hovedstaden"),  # Bornholm
    (4000, 4999, "Sjælland"),
    (5000, 6899, "Syddanmark"),
    (6900, 6999, "Midtjylland"),  # Ringkøbing-Skjern
    (7000, 7329, "Syddanmark"),
    (7330, 7699, "Midtjylland"),
    (7700, 7799, "Nordjylland"),  # Thy
    (7800, 7899, "Midtjylland"),  # Skive
    (7900, 7999, "Nordjylland"),  # Mors
    (8000, 8999, "Midtjylland"),
    (9000, 9999, "Nordjylland"),
)


def region_for_postcode(postcode: str) -> str | None:
    """The region of a Danish four-digit postcode, or None when it is not one."""
    code = postcode.strip()
    if len(code) != 4 or not code.isdigit():
        return None
    number = int(code)
    for low, high, region in _POSTCODE_REGIONS:
        if low <= number <= high:
            return region
    return None
