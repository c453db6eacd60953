"""Pools unlike the realistic generator's: many equally good compositions.

Review scores are whole numbers 1–5 (or there are none at all), organisations are few (about one
per 12 applicants, so the one-per-organisation rule bites), about 40 % give a second choice, the
first choices are skewed towards the first tracks, and the music field is multi-valued. The
default targets of the brief apply.
"""

from __future__ import annotations

import random
from typing import Literal

from bench.generate import DEFAULT_TARGETS, tracks_for
from handlespor.attributes import (
    ACTOR_TYPES,
    GENDERS,
    MUSIC_FIELDS,
    REGIONS,
    SENIORITY_BANDS,
)
from handlespor.engine import Applicant, Instance, Rules, Settings

Scores = Literal["int", "none"]


def tie_pool(
    n: int, track_count: int, scores: Scores = "int", seed: int = 0, **settings
) -> Instance:
    """n applicants over track_count tracks with whole-number scores 1–5 or none."""
    rng = random.Random(f"ties-{n}-{track_count}-{scores}-{seed}")
    tracks = tracks_for(track_count)
    ids = [t.id for t in tracks]
    choice_weights = [1.0 / (i + 1) for i in range(track_count)]
    organisations = max(15, n // 12)
    org_region = [
        rng.choices(REGIONS, weights=[45, 10, 15, 20, 4, 6])[0] for _ in range(organisations)
    ]
    org_actor = [rng.choice(ACTOR_TYPES) for _ in range(organisations)]
    applicants = []
    for i in range(n):
        org = rng.randrange(organisations)
        first = rng.choices(ids, weights=choice_weights)[0]
        preferences = [first]
        if rng.random() < 0.4:
            preferences.append(rng.choice([t for t in ids if t != first]))
        applicants.append(
            Applicant(
                id=f"p{i + 1}",
                name=f"Person {i + 1}",
                organisation=f"Org {org + 1}",
                attributes={
                    "køn": rng.choices(GENDERS, weights=[46, 50, 2, 1, 1])[0],
                    "region": org_region[org],
                    "aktørtype": org_actor[org],
                    "anciennitet": rng.choice(SENIORITY_BANDS),
                    "musikfelt": tuple(rng.sample(MUSIC_FIELDS, k=rng.choice([1, 2, 2, 3]))),
                },
                eligible=rng.random() > 0.03,
                preferences=tuple(preferences),
                scores=(
                    {t: float(rng.randint(1, 5)) for t in preferences} if scores == "int" else {}
                ),
            )
        )
    return Instance(
        applicants=tuple(applicants),
        tracks=tracks,
        targets=DEFAULT_TARGETS,
        rules=Rules(),
        settings=Settings(seed=seed, **settings),
    )
