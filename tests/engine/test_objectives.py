"""Each level of the lexicographic objective, and that a higher level wins over a lower."""

from handlespor.engine import Lock, Track, compose
from tests.engine.helpers import instance, person, target

ONE_SEAT = (Track(id="a", name="Spor A", min_seats=0, max_seats=1),)
TWO_TRACKS = (*ONE_SEAT, Track(id="b", name="Spor B", min_seats=0, max_seats=1))


def test_min_seats_fill_comes_first():
    tracks = (Track(id="a", min_seats=2, max_seats=2), Track(id="b", min_seats=0, max_seats=2))
    people = [person("p", prefs="ba"), person("q", prefs="ba")]

    result = compose(instance(people, tracks=tracks))

    assert sorted(result.assignment["a"]) == ["p", "q"]
    assert result.objective["min_seats"] == 0


def test_targets_come_before_preferences():
    people = [person("m", prefs="a", gender="Mand"), person("k", prefs="ba", gender="Kvinde")]

    kvinde_in_a = target("min_count", 1, "Kvinde", track="a")

    result = compose(instance(people, tracks=TWO_TRACKS, targets=[kvinde_in_a]))

    assert result.assignment == {"a": ("k",), "b": ()}
    assert result.objective["targets"] == 0


def test_soft_target_weights_decide_between_targets():
    people = [person("m", gender="Mand", region="Nord"), person("k", gender="Kvinde", region="Syd")]
    targets = [
        target("min_count", 1, "Kvinde", weight=1),
        target("min_count", 1, "Nord", attribute="region", weight=3),
    ]

    result = compose(instance(people, tracks=ONE_SEAT, targets=targets))

    assert result.assignment["a"] == ("m",)
    assert result.objective["targets"] == 1


def test_first_choice_before_second():
    people = [person("first", prefs="a"), person("second", prefs="ba"), person("x", prefs="b")]
    b_is_taken = Lock(applicant="x", kind="in_track", track="b")

    result = compose(instance(people, tracks=TWO_TRACKS, locks=[b_is_taken]))

    assert result.assignment == {"a": ("first",), "b": ("x",)}
    assert result.objective["preferences"] == 4


def test_review_scores_break_equal_preferences():
    people = [person("low", scores={"a": 2.5}), person("high", scores={"a": 4.5})]

    result = compose(instance(people, tracks=ONE_SEAT))

    assert result.assignment["a"] == ("high",)
    assert result.objective["scores"] == 450


def test_fill_toward_the_maximum():
    people = [person(f"p{i}") for i in range(3)]

    result = compose(instance(people))

    assert len(result.assignment["a"]) == 3
    assert result.objective["fill"] == 3


def test_order_setting_puts_preferences_before_targets():
    people = [person("m", prefs="a", gender="Mand"), person("k", prefs="ba", gender="Kvinde")]
    order = ("min_seats", "preferences", "targets", "scores", "fill")

    kvinde_in_a = target("min_count", 1, "Kvinde", track="a")

    result = compose(instance(people, tracks=TWO_TRACKS, targets=[kvinde_in_a], order=order))

    assert result.assignment == {"a": ("m",), "b": ("k",)}
