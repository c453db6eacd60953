"""The applicant attributes of the open call and their default Danish value lists.

Pure Python: used by the partner register, the calls and the demo data alike. The lists are
defaults; each call keeps its own editable copy.
"""

from typing import Final

ACTOR_TYPES: Final = (
    "Spillested/koncertsted",
    "Festival",
    "Orkester/ensemble/kor",
    "Musik-/kulturskole",
    "Konservatorium/uddannelse",
    "Pladeselskab",
    "Musikforlag",
    "Booking/management",
    "Rettighedsorganisation",
    "Fagforening/interesseorganisation",
    "Genreorganisation",
    "Medie",
    "Kommune/offentlig",
    "Fond",
    "Skabende/udøvende kunstner",
    "Andet",
)
ROLES: Final = ("Direktion", "Ledelse", "Medarbejder", "Bestyrelse", "Freelance/selvstændig")
MUSIC_FIELDS: Final = (
    "Rytmisk",
    "Jazz",
    "Klassisk/kompositionsmusik",
    "Folk/verdensmusik",
    "Kor/amatør",
    "Genreoverskridende",
)
REGIONS: Final = (
    "Hovedstaden",
    "Sjælland",
    "Syddanmark",
    "Midtjylland",
    "Nordjylland",
    "Landsdækkende",
)
# The five administrative regions; "Landsdækkende" (national) is not one of them.
GEOGRAPHIC_REGIONS: Final = REGIONS[:5]
GENDERS: Final = ("Kvinde", "Mand", "Nonbinær", "Andet", "Ønsker ikke at oplyse")
SENIORITY_BANDS: Final = ("0–5 år", "6–10 år", "11–20 år", "Over 20 år")

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
