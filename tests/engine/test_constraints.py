"""Each hard rule: a case where it holds and the engine respects it, and a case where it cannot
hold and the engine says so."""

from handlespor.engine import Lock, Rules, Track, compose, violations
from tests.engine.helpers import instance, person, target


def members(composition, track):
    return sorted(composition.assignment[track])


def test_one_track_per_person():
    result = compose(instance([person("p", prefs="ab")]))

    assert sum("p" in m for m in result.assignment.values()) == 1


def test_only_chosen_tracks_unless_allowed():
    chosen_only = compose(instance([person("p", prefs="a")]))
    open_to_all = compose(
        instance(
            [person("p", prefs="a")],
            locks=[Lock(applicant="p", kind="not_in_track", track="a")],
            rules=Rules(only_chosen_tracks=False),
        )
    )

    assert members(chosen_only, "b") == []
    assert members(open_to_all, "b") == ["p"]


def test_max_seats_respected():
    result = compose(instance([person(f"p{i}") for i in range(5)]))

    assert len(members(result, "a")) == 3


def test_min_seats_hard_feasible_and_infeasible():
    tracks = (Track(id="a", min_seats=2, max_seats=3), Track(id="b", min_seats=0, max_seats=3))
    feasible = compose(
        instance([person("p"), person("q")], tracks=tracks, rules=Rules(min_seats_hard=True))
    )
    infeasible = compose(instance([person("p")], tracks=tracks, rules=Rules(min_seats_hard=True)))

    assert members(feasible, "a") == ["p", "q"]
    assert infeasible.status == "infeasible"
    assert infeasible.diagnosis == (
        "a skal have mindst 2 deltagere, men kun 1 berettigede ansøgere har valgt det.",
    )


def test_min_seats_soft_reports_a_warning():
    tracks = (Track(id="a", name="Grønnere musik", min_seats=8, max_seats=12),)

    result = compose(instance([person(f"p{i}") for i in range(6)], tracks=tracks))

    assert result.status == "optimal"
    assert result.objective["min_seats"] == 2
    assert result.warnings == (
        "Grønnere musik har kun 6 af mindst 8 deltagere: 6 berettigede ansøgere kan sidde i "
        "handlesporet.",
    )


def test_organisation_cap():
    result = compose(instance([person("p", organisation="X"), person("q", organisation="X")]))

    assert len(members(result, "a")) == 1


def test_organisation_cap_conflicts_with_locks():
    result = compose(
        instance(
            [person("p", organisation="X"), person("q", organisation="X")],
            locks=[
                Lock(applicant="p", kind="in_track", track="a"),
                Lock(applicant="q", kind="in_track", track="a"),
            ],
        )
    )

    assert result.status == "infeasible"
    assert result.diagnosis == ("Spor A må højst have 1 fra X, men 2 derfra er låst til det.",)


def test_ineligible_not_selected_unless_locked():
    plain = compose(instance([person("p", eligible=False)]))
    locked = compose(
        instance(
            [person("p", eligible=False)], locks=[Lock(applicant="p", kind="in_track", track="a")]
        )
    )

    assert members(plain, "a") == []
    assert members(locked, "a") == ["p"]


def test_lock_in_track_overrides_preference():
    result = compose(
        instance([person("p", prefs="a")], locks=[Lock(applicant="p", kind="in_track", track="b")])
    )

    assert members(result, "b") == ["p"]


def test_excluded_and_banned():
    result = compose(
        instance(
            [person("p", prefs="ab"), person("q", prefs="ab")],
            locks=[
                Lock(applicant="p", kind="excluded"),
                Lock(applicant="q", kind="not_in_track", track="a"),
            ],
        )
    )

    assert members(result, "a") == []
    assert members(result, "b") == ["q"]


def test_too_many_locks_for_the_seats():
    result = compose(
        instance(
            [person(f"p{i}") for i in range(4)],
            locks=[Lock(applicant=f"p{i}", kind="in_track", track="a") for i in range(4)],
        )
    )

    assert result.status == "infeasible"
    assert result.diagnosis == ("Spor A har højst 3 pladser, men 4 er låst til det.",)


def test_hard_targets_feasible():
    people = [
        person("k1"),
        person("k2", gender="Mand"),
        person("m1", gender="Mand"),
        person("m2", gender="Mand"),
    ]
    cases = [
        target("min_count", 2, "Mand", hard=True, track="a"),
        target("max_count", 1, "Mand", hard=True, track="a"),
        target("min_share", 60, "Mand", hard=True, track="a"),
        target("max_share", 34, "Mand", hard=True, track="a"),
        target("min_distinct", 2, hard=True, track="a"),
        target("max_share_each", 67, hard=True, track="a"),
    ]
    for case in cases:
        problem = instance(people, targets=[case])
        result = compose(problem)
        assert result.status == "optimal", case
        assert violations(problem, result.assignment) == [], case


def test_hard_target_infeasible_names_the_target():
    people = [person("k1"), person("k2")]

    result = compose(instance(people, targets=[target("min_count", 1, "Mand", hard=True)]))

    assert result.status == "infeasible"
    assert result.diagnosis == (
        "Spor A skal opfylde målet Mand ≥ 1, men kun 0 blandt ansøgerne til det har det.",
        "Spor B skal opfylde målet Mand ≥ 1, men kun 0 blandt ansøgerne til det har det.",
    )


def test_same_instance_and_seed_give_the_same_composition():
    people = [
        person(f"p{i}", prefs="ab" if i % 2 else "ba", gender="Mand" if i % 3 else "Kvinde")
        for i in range(12)
    ]

    first = compose(instance(people, seed=3))
    second = compose(instance(people, seed=3))

    assert first.assignment == second.assignment
    assert first.not_selected == second.not_selected
