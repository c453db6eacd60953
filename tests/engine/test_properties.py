"""Every composition passes the validator, and on tiny instances the engine's objective is the
optimum found by trying every assignment."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlespor.engine import (
    Applicant,
    Instance,
    Lock,
    Rules,
    Settings,
    Target,
    Track,
    compose,
    objective,
    objective_key,
    violations,
)

GENDERS = ("Kvinde", "Mand", "Nonbinær")
REGIONS = ("Nord", "Syd", "Øst")
TARGET_MENU = (
    Target(attribute="gender", kind="min_share", values=("Kvinde",), amount=40),
    Target(attribute="gender", kind="max_count", values=("Mand",), amount=1),
    Target(attribute="region", kind="min_distinct", amount=2),
    Target(attribute="region", kind="max_share_each", amount=50),
    Target(attribute="region", kind="min_count", values=("Nord",), amount=1, track="a"),
    Target(attribute="gender", kind="max_share", values=("Mand",), amount=60),
)


@st.composite
def instances(draw) -> Instance:
    tracks = []
    for track_id in ("a", "b"):
        high = draw(st.integers(1, 3))
        tracks.append(Track(id=track_id, min_seats=draw(st.integers(0, high)), max_seats=high))
    n = draw(st.integers(1, 8))
    applicants = []
    for i in range(n):
        prefs = draw(st.sampled_from(["a", "b", "ab", "ba"]))
        scores = draw(
            st.dictionaries(st.sampled_from(["a", "b"]), st.sampled_from([1.0, 2.5, 4.0]))
        )
        applicants.append(
            Applicant(
                id=f"p{i}",
                organisation=draw(st.sampled_from(["X", "Y", "Z", ""])),
                attributes={
                    "gender": draw(st.sampled_from(GENDERS)),
                    "region": draw(st.sampled_from(REGIONS)),
                },
                eligible=draw(st.booleans()) or draw(st.booleans()),
                preferences=tuple(prefs),
                scores=scores,
            )
        )
    targets = []
    for item in draw(st.lists(st.sampled_from(TARGET_MENU), max_size=3, unique=True)):
        hard = draw(st.booleans()) and draw(st.booleans())
        weight = draw(st.integers(1, 3))
        targets.append(item.model_copy(update={"hard": hard, "weight": weight}))
    locks = []
    if draw(st.booleans()):
        who = draw(st.sampled_from([a.id for a in applicants]))
        kind = draw(st.sampled_from(["in_track", "excluded", "not_in_track"]))
        locks.append(Lock(applicant=who, kind=kind, track=None if kind == "excluded" else "a"))
    return Instance(
        applicants=tuple(applicants),
        tracks=tuple(tracks),
        targets=tuple(targets),
        locks=tuple(locks),
        rules=Rules(min_seats_hard=draw(st.booleans()) and draw(st.booleans())),
        settings=Settings(time_limit=10, workers=1),
    )


def brute_force(instance: Instance) -> tuple | None:
    """The best objective key over every valid assignment, or None when none is valid."""
    options = [None, *(t.id for t in instance.tracks)]
    best = None
    for choice in itertools.product(options, repeat=len(instance.applicants)):
        assignment = {t.id: () for t in instance.tracks}
        for applicant, track in zip(instance.applicants, choice, strict=True):
            if track is not None:
                assignment[track] = (*assignment[track], applicant.id)
        if violations(instance, assignment):
            continue
        key = objective_key(instance, objective(instance, assignment))
        if best is None or key < best:
            best = key
    return best


@pytest.mark.parametrize("small_pools_as_groups", [True, False])
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_engine_finds_the_brute_force_optimum_and_a_valid_composition(
    small_pools_as_groups, instance
):
    instance = instance.model_copy(
        update={
            "settings": instance.settings.model_copy(
                update={"small_pools_as_groups": small_pools_as_groups}
            )
        }
    )
    result = compose(instance)
    best = brute_force(instance)

    if best is None:
        assert result.status == "infeasible"
        assert result.diagnosis
    else:
        assert result.status == "optimal"
        assert violations(instance, result.assignment) == []
        assert objective_key(instance, result.objective) == best
