"""The seeded lot: it picks among equally good compositions, the same way for the same seed."""

from handlespor.engine import Track, compose
from tests.engine.helpers import instance, person

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
