"""Realistic instances for the benchmarks and the examples: attribute spreads like Danish music
life (many from Hovedstaden, few from Nordjylland, gender skewed by actor type), the default
targets of the brief, and scarce variants where the pool cannot meet every target."""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from handlespor.attributes import (
    ACTOR_TYPES,
    GEOGRAPHIC_REGIONS,
    MUSIC_FIELDS,
    SENIORITY_BANDS,
    WOMEN_SHARE,
)
from handlespor.engine import Applicant, Instance, Rules, Settings, Target, Track

TRACK_NAMES = [
    "Trivsel i musiklivet",
    "Lige adgang i musiklivet",
    "Musiklivets infrastrukturer",
    "Grønnere musik",
]
REGION_WEIGHTS = {
    "Hovedstaden": 42,
    "Midtjylland": 22,
    "Syddanmark": 16,
    "Sjælland": 8,
    "Nordjylland": 5,
    "Landsdækkende": 7,
}
SCARCE_REGION_WEIGHTS = REGION_WEIGHTS | {"Nordjylland": 2, "Hovedstaden": 55}

DEFAULT_TARGETS = (
    Target(attribute="køn", kind="min_share", values=("Kvinde",), amount=40),
    Target(attribute="køn", kind="min_share", values=("Mand",), amount=40),
    Target(attribute="region", kind="min_distinct", values=GEOGRAPHIC_REGIONS, amount=3),
    Target(attribute="region", kind="max_share", values=("Hovedstaden",), amount=50),
    Target(attribute="anciennitet", kind="min_count", values=("0–5 år",), amount=1),
    Target(attribute="anciennitet", kind="min_count", values=("Over 20 år",), amount=1),
    Target(attribute="anciennitet", kind="max_share_each", amount=50),
    Target(attribute="aktørtype", kind="min_distinct", amount=4),
    Target(attribute="aktørtype", kind="max_share_each", amount=34),
    Target(
        attribute="musikfelt",
        kind="min_count",
        values=("Rytmisk",),
        amount=1,
        only_where_possible=True,
    ),
    Target(
        attribute="musikfelt",
        kind="min_count",
        values=("Klassisk/kompositionsmusik",),
        amount=1,
        only_where_possible=True,
    ),
)


def tracks_for(count: int) -> tuple[Track, ...]:
    names = TRACK_NAMES if count <= 4 else [f"Handlespor {i + 1}" for i in range(count)]
    return tuple(
        Track(id=f"t{i + 1}", name=names[i], min_seats=8, max_seats=12) for i in range(count)
    )


def generate(n: int, track_count: int, seed: int = 0, scarce: bool = False, **settings) -> Instance:
    """n applicants over track_count tracks; `scarce` gives 25 % women, 2 % from Nordjylland
    and one track that few choose."""
    rng = random.Random(seed * 7919 + n * 31 + track_count)
    tracks = tracks_for(track_count)
    weights = [1.0 / (i + 1) ** 0.6 for i in range(track_count)]
    if scarce:
        weights[-1] = min(weights) * 0.08
    organisations = max(8, n // 2)
    regions = SCARCE_REGION_WEIGHTS if scarce else REGION_WEIGHTS
    org_region = {
        o: rng.choices(list(regions), weights=list(regions.values()))[0]
        for o in range(organisations)
    }
    org_actor = {o: rng.choice(ACTOR_TYPES) for o in range(organisations)}
    applicants = []
    for i in range(n):
        org = rng.randrange(organisations)
        actor = org_actor[org]
        women = 0.25 if scarce else WOMEN_SHARE.get(actor, 0.5)
        roll = rng.random()
        gender = (
            "Kvinde"
            if roll < women
            else "Mand"
            if roll < 0.97
            else rng.choice(["Nonbinær", "Ønsker ikke at oplyse"])
        )
        ids = [t.id for t in tracks]
        first = rng.choices(ids, weights=weights)[0]
        prefs = [first]
        if rng.random() < 0.6:
            rest = [t for t in ids if t != first]
            prefs.append(rng.choices(rest, weights=[weights[ids.index(t)] for t in rest])[0])
        score = round(rng.uniform(1, 5), 1) if rng.random() < 0.8 else None
        applicants.append(
            Applicant(
                id=f"a{i + 1}",
                name=f"Ansøger {i + 1}",
                organisation=f"Organisation {org + 1}",
                attributes={
                    "køn": gender,
                    "region": org_region[org],
                    "aktørtype": actor,
                    "anciennitet": rng.choices(SENIORITY_BANDS, weights=[15, 25, 35, 25])[0],
                    "musikfelt": tuple(rng.sample(MUSIC_FIELDS, k=rng.choice([1, 1, 2, 3]))),
                },
                eligible=rng.random() > 0.05,
                preferences=tuple(prefs),
                scores={t: score for t in prefs} if score is not None else {},
            )
        )
    return Instance(
        applicants=tuple(applicants),
        tracks=tracks,
        targets=DEFAULT_TARGETS,
        rules=Rules(),
        settings=Settings(seed=seed, **settings),
    )


TOML = """# Kolonner i ansøgerfilen og mål for sammensætningen. Se README.
[columns]
id = "Nr"
name = "Navn"
organisation = "Organisation"
eligible = "Partner"
first_choice = "1. prioritet"
second_choice = "2. prioritet"
score = "Vurdering"

[attributes."køn"]
column = "Køn"
values = ["Kvinde", "Mand", "Nonbinær", "Andet", "Ønsker ikke at oplyse"]

[attributes.region]
column = "Region"
values = [
    "Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland", "Landsdækkende",
]

[attributes."aktørtype"]
column = "Aktørtype"

[attributes.anciennitet]
column = "Anciennitet"
values = ["0–5 år", "6–10 år", "11–20 år", "Over 20 år"]

[attributes.musikfelt]
column = "Musikfelt"
multiple = true
separator = ","

{tracks}
[rules]
max_per_organisation = 1
only_chosen_tracks = true
min_seats_hard = false

[settings]
time_limit = 60
seed = 0
waiting_list_length = 5
alternatives = 3
alternative_min_difference = 3
alternative_tolerance = 10

{targets}"""


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value + '"'
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return f"{value:g}" if isinstance(value, float) else str(value)


def write_example(instance: Instance, folder: Path) -> None:
    from openpyxl import Workbook

    header = [
        "Nr",
        "Navn",
        "Organisation",
        "Partner",
        "1. prioritet",
        "2. prioritet",
        "Vurdering",
        "Køn",
        "Region",
        "Aktørtype",
        "Anciennitet",
        "Musikfelt",
    ]
    names = {t.id: t.label for t in instance.tracks}
    rows = [header]
    for a in instance.applicants:
        score = next(iter(a.scores.values()), "")
        rows.append(
            [
                a.id,
                a.name,
                a.organisation,
                "ja" if a.eligible else "nej",
                names[a.preferences[0]],
                names[a.preferences[1]] if len(a.preferences) > 1 else "",
                score,
                a.attributes["køn"][0],
                a.attributes["region"][0],
                a.attributes["aktørtype"][0],
                a.attributes["anciennitet"][0],
                ", ".join(a.attributes["musikfelt"]),
            ]
        )
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.active.title = "Ansøgere"
    workbook.save(folder / "applicants.xlsx")
    with (folder / "applicants.csv").open("w", encoding="utf-8") as out:
        out.write("\n".join(";".join(str(c) for c in row) for row in rows) + "\n")
    tracks = "".join(
        f'[[tracks]]\nid = "{t.id}"\nname = "{t.label}"\n'
        f"min = {t.min_seats}\nmax = {t.max_seats}\n\n"
        for t in instance.tracks
    )
    targets = "".join(
        "[[targets]]\n"
        + "".join(
            f"{key} = {_toml_value(value)}\n"
            for key, value in t.model_dump(exclude_defaults=True).items()
        )
        + "\n"
        for t in instance.targets
    )
    (folder / "targets.toml").write_text(
        TOML.format(tracks=tracks, targets=targets), encoding="utf-8"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Write the example files of examples/.")
    parser.add_argument("folder", type=Path, nargs="?", default=Path("examples"))
    args = parser.parse_args()
    write_example(generate(120, 4, seed=2027), args.folder)
