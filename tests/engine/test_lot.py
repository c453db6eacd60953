"""The seeded lot: it picks among equally good compositions, the same way for the same seed."""

import json
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlespor.engine import Instance, Track, compose, objective, objective_key, violations
from handlespor.engine.lot import lot_numbers
from tests.engine.helpers import instance, person
from tests.engine.test_properties import brute_force, instances

THREE_SEATS = (Track(id="a", name="Spor A", min_seats=0, max_seats=3),)


def _ties(seed: int):
    people = [person(f"p{n}", prefs="a") for n in range(7)]
    return compose(instance(people, tracks=THREE_SEATS, seed=seed))


def test_lot_same_seed_gives_the_same_composition():
    first, again = _ties(seed=11), _ties(seed=11)

    assert first.assignment == again.assignment
    assert first.objective == again.objective


def test_lot_other_seeds_differ_only_among_equally_good_compositions():
    base = _ties(seed=11)
    others = [_ties(seed=seed) for seed in range(12, 22)]

    assert all(
        {k: v for k, v in other.objective.items() if k != "lot"}
        == {k: v for k, v in base.objective.items() if k != "lot"}
        for other in others
    )
    assert all(len(other.assignment["a"]) == 3 for other in others)
    assert any(set(other.assignment["a"]) != set(base.assignment["a"]) for other in others)


def _exchanges(instance: Instance, assignment):
    """Every composition made by one applicant not selected taking a selected applicant's seat
    in the same track: (newcomer, leaver, composition)."""
    seated = {a for members in assignment.values() for a in members}
    for track, members in assignment.items():
        for leaver in members:
            for newcomer in instance.applicants:
                if newcomer.id in seated:
                    continue
                changed = dict(assignment)
                changed[track] = tuple(newcomer.id if m == leaver else m for m in members)
                yield newcomer.id, leaver, changed


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.integers(0, 1000))
def test_lot_no_better_lot_number_could_take_a_seat_at_equal_quality(instance, seed):
    instance = instance.model_copy(
        update={"settings": instance.settings.model_copy(update={"seed": seed})}
    )
    result = compose(instance)
    if result.status == "infeasible":
        return
    best = objective_key(instance, result.objective)
    lot = lot_numbers(instance)

    better_at_equal_quality = [
        (newcomer, leaver)
        for newcomer, leaver, changed in _exchanges(instance, result.assignment)
        if lot[newcomer] < lot[leaver]
        and not violations(instance, changed)
        and objective_key(instance, objective(instance, changed)) == best
    ]

    assert better_at_equal_quality == []
    assert best == brute_force(instance)


def test_lot_numbers_depend_on_seed_and_ids_not_on_input_order():
    people = [person(f"p{n}") for n in range(9)]

    forwards = lot_numbers(instance(people, seed=5))
    backwards = lot_numbers(instance(list(reversed(people)), seed=5))
    other = lot_numbers(instance(people, seed=6))

    assert forwards == backwards
    assert sorted(forwards.values()) == list(range(1, 10))
    assert forwards != other


def test_lot_with_ties_seats_the_best_lot_numbers():
    people = [person(f"p{n}", prefs="a") for n in range(7)]
    tied = instance(people, tracks=THREE_SEATS, seed=3)

    result = compose(tied)

    lot = lot_numbers(tied)
    assert sorted(result.assignment["a"], key=lot.get) == sorted(lot, key=lot.get)[:3]


REPRODUCE = """
import json, sys
from bench.ties import tie_pool
from handlespor.engine import compose
result = compose(tie_pool(150, 4, "int", seed=int(sys.argv[1]), explain=False))
print(json.dumps(result.assignment, sort_keys=True))
"""


def _run_elsewhere(seed: int, hash_seed: str) -> dict:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    out = subprocess.run(
        [sys.executable, "-c", REPRODUCE, str(seed)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    return json.loads(out.stdout)


def test_lot_same_seed_gives_the_same_composition_in_separate_processes():
    first, again = _run_elsewhere(4, "1"), _run_elsewhere(4, "2")
    other = _run_elsewhere(5, "1")

    assert first == again
    assert first != other
