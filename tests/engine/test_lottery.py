"""The lottery's problem of a composition instance: what the types stand for must be what the
composition engine's own validator accepts, and the chances leximin's by brute force."""

import itertools
from collections import Counter

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from handlespor.engine import Applicant, Instance, Lock, Rules, Target, Track, violations
from handlespor.engine.leximin import all_compositions, leximin
from handlespor.engine.lottery import assignment_of, problem_from_instance
from tests.engine.test_leximin import brute_force_leximin


def _applicant(name, gender, region, organisation, *tracks, eligible=True):
    return Applicant(
        id=name,
        organisation=organisation,
        attributes={"gender": (gender,), "region": (region,)},
        preferences=tracks,
        eligible=eligible,
    )


@pytest.fixture
def instance():
    return Instance(
        applicants=(
            _applicant("a", "Kvinde", "Hovedstaden", "Org 1", "A", "B"),
            _applicant("b", "Mand", "Hovedstaden", "Org 1", "A"),
            _applicant("c", "Mand", "Nordjylland", "Org 2", "A", "B"),
            _applicant("d", "Kvinde", "Syddanmark", "Org 3", "B"),
            _applicant("e", "Mand", "Syddanmark", "Org 4", "B", "A"),
            _applicant("f", "Mand", "Hovedstaden", "Org 5", "A"),
            _applicant("g", "Kvinde", "Nordjylland", "Org 6", "A", eligible=False),
            _applicant("h", "Mand", "Midtjylland", "Org 7", "B"),
        ),
        tracks=(Track(id="A", min_seats=2, max_seats=2), Track(id="B", min_seats=2, max_seats=2)),
        targets=(
            Target(attribute="gender", kind="min_count", values=("Kvinde",), amount=1, hard=True),
            Target(attribute="region", kind="min_distinct", amount=2, track="A", hard=True),
            Target(
                attribute="region", kind="max_share", values=("Hovedstaden",), amount=50, hard=True
            ),
        ),
        rules=Rules(max_per_organisation=1),
        locks=(Lock(applicant="h", kind="in_track", track="B"),),
    )


def test_problem_from_instance_stands_only_for_compositions_the_engine_accepts(instance):
    source = problem_from_instance(instance)

    compositions = all_compositions(source.problem)

    assert compositions
    for composition in compositions:
        assert violations(instance, assignment_of(source, composition, "frø")) == []


def test_problem_from_instance_chances_are_leximin_with_locks_and_the_ineligible(instance):
    source = problem_from_instance(instance)

    result = leximin(source.problem)

    assert result.chance == pytest.approx(brute_force_leximin(source.problem), abs=1e-6)
    chance = {
        applicant: result.chance[t] for t, ids in enumerate(source.members) for applicant in ids
    }
    assert chance["h"] == pytest.approx(1.0)
    assert source.left_out == {"g": "not_eligible"}
    assert sum(chance.values()) == pytest.approx(4.0)


@st.composite
def instances(draw):
    tracks = (
        Track(id="A", min_seats=1, max_seats=draw(st.integers(1, 2))),
        Track(id="B", min_seats=1, max_seats=draw(st.integers(1, 2))),
    )
    applicants = []
    for number in range(draw(st.integers(2, 6))):
        applicants.append(
            _applicant(
                f"p{number}",
                draw(st.sampled_from(["Kvinde", "Mand", "Nonbinær"])),
                draw(st.sampled_from(["Hovedstaden", "Sjælland", "Nordjylland"])),
                draw(st.sampled_from(["", "Org 1", "Org 2", "Org 3"])),
                *draw(st.permutations(["A", "B"]))[: draw(st.integers(1, 2))],
            )
        )
    possible = [
        Target(attribute="gender", kind="min_count", values=("Kvinde",), amount=1, hard=True),
        Target(attribute="gender", kind="max_share", values=("Mand",), amount=50, hard=True),
        Target(attribute="region", kind="min_distinct", amount=2, track="A", hard=True),
        Target(attribute="region", kind="max_share_each", amount=50, track="B", hard=True),
        Target(attribute="gender", kind="min_share", values=("Kvinde",), amount=40, hard=True),
    ]
    targets = draw(st.lists(st.sampled_from(possible), max_size=2, unique=True))
    cap = draw(st.sampled_from([None, 1]))
    return Instance(
        applicants=tuple(applicants),
        tracks=tracks,
        targets=tuple(targets),
        rules=Rules(max_per_organisation=cap),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_problem_from_instance_agrees_with_the_engine_on_random_instances(instance):
    source = problem_from_instance(instance)
    compositions = all_compositions(source.problem)
    assume(compositions)

    result = leximin(source.problem)

    for composition in compositions:
        assert violations(instance, assignment_of(source, composition, "frø")) == []
    assert set(compositions) == _engine_compositions(instance, source)
    assert result.chance == pytest.approx(brute_force_leximin(source.problem), abs=1e-6)


def _engine_compositions(instance, source) -> set:
    """Every assignment that fills each track and that the engine's validator accepts, as a
    composition of types: found by trying every place for every applicant."""
    type_of = {a: t for t, ids in enumerate(source.members) for a in ids}
    ids = [a.id for a in instance.applicants]
    found = set()
    for places in itertools.product([None, *source.track_ids], repeat=len(ids)):
        assignment = {
            track: tuple(a for a, p in zip(ids, places, strict=True) if p == track)
            for track in source.track_ids
        }
        full = all(len(assignment[t.id]) == t.max_seats for t in instance.tracks)
        if full and violations(instance, assignment) == []:
            cells = Counter(
                (type_of[a], source.track_ids.index(track))
                for track, members in assignment.items()
                for a in members
            )
            found.add(tuple(sorted(cells.items())))
    return found
