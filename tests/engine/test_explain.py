from handlespor.engine import Explainer, Lock, Track, compose
from tests.engine.helpers import instance, person, target

TWO_SEATS = (Track(id="a", name="Trivsel", min_seats=0, max_seats=2),)


def test_representation_table_shows_value_and_whether_met():
    people = [person("k"), person("m", gender="Mand"), person("m2", gender="Mand")]

    result = compose(
        instance(people, tracks=TWO_SEATS, targets=[target("min_share", 50, "Kvinde")])
    )

    (outcome,) = result.tracks[0].representation
    assert (outcome.label, outcome.value, outcome.met, outcome.deficit) == (
        "Kvinde ≥ 50 %",
        "1/2 (50 %)",
        True,
        0,
    )


def test_member_adds_names_the_targets_they_keep_met():
    people = [person("k", region="Nordjylland"), person("m", gender="Mand")]

    result = compose(instance(people, tracks=TWO_SEATS, targets=[target("min_count", 1, "Kvinde")]))

    adds = {m.applicant: m.adds for m in result.tracks[0].members}
    assert adds["k"] == ("1. prioritet", "bidrager til: Kvinde ≥ 1", "eneste med Kvinde")


def test_reason_when_full_and_including_would_break_a_target():
    people = [
        person("k", region="Nord"),
        person("m", gender="Mand", region="Syd"),
        person("x", gender="Mand", region="Nord"),
    ]
    targets = [
        target("min_count", 1, "Kvinde"),
        target("min_count", 1, "Syd", attribute="region", weight=2),
    ]

    result = compose(instance(people, tracks=TWO_SEATS, targets=targets))

    assert result.not_selected[0].reason == (
        "1. prioritet Trivsel: handlesporet er fuldt (2 af 2); at tage X ind i stedet for en "
        "anden ville forværre Kvinde ≥ 1"
    )


def test_reason_names_ineligibility_exclusion_and_lottery():
    people = [person("p"), person("q"), person("r"), person("x", eligible=False), person("y")]

    result = compose(
        instance(people, tracks=TWO_SEATS, locks=[Lock(applicant="y", kind="excluded")])
    )

    reasons = {n.applicant: n.reason for n in result.not_selected}
    assert reasons["x"] == "ikke bekræftet som partner"
    assert reasons["y"] == "udelukket af udvalget"
    (lottery,) = [r for a, r in reasons.items() if a in {"p", "q", "r"}]
    assert lottery == (
        "1. prioritet Trivsel: handlesporet er fuldt (2 af 2); lige så godt et match som de "
        "valgte; afgjort ved lodtrækning"
    )


def test_reason_in_english():
    people = [person("p"), person("q"), person("x", eligible=False)]

    result = compose(instance(people, tracks=TWO_SEATS, language="en"))

    assert result.not_selected[0].reason == "not confirmed as a partner"


def test_waiting_list_keeps_the_balance_first():
    people = [
        person("k1", scores={"a": 3}),
        person("m1", gender="Mand"),
        person("m2", gender="Mand", scores={"a": 5}),
        person("k2", scores={"a": 1}),
    ]
    targets = [target("min_count", 1, "Kvinde"), target("min_count", 1, "Mand")]

    result = compose(instance(people, tracks=TWO_SEATS, targets=targets))

    waiting = [w.applicant for w in result.tracks[0].waiting_list]
    assert sorted(result.assignment["a"]) == ["k1", "m2"]
    assert waiting == ["k2", "m1"]
    assert [w.position for w in result.tracks[0].waiting_list] == [1, 2]


def test_replacement_keeps_the_group_balanced():
    people = [person("k1"), person("m1", gender="Mand"), person("k2"), person("m2", gender="Mand")]
    problem = instance(
        people,
        tracks=TWO_SEATS,
        targets=[target("min_count", 1, "Kvinde"), target("min_count", 1, "Mand")],
    )
    result = compose(problem)
    leaving = next(a for a in result.assignment["a"] if a.startswith("k"))

    replacement = Explainer(problem, result.assignment).replacement("a", leaving)

    assert replacement == ({"k1", "k2"} - {leaving}).pop()


def test_alternatives_differ_by_at_least_m_seats():
    people = [person(f"p{i}", gender="Mand" if i % 2 else "Kvinde") for i in range(8)]

    result = compose(
        instance(people, tracks=TWO_SEATS, alternatives=3, alternative_min_difference=2)
    )

    assert len(result.alternatives) == 3
    seats = [set(result.assignment["a"])] + [set(a.assignment["a"]) for a in result.alternatives]
    for i, one in enumerate(seats):
        for other in seats[i + 1 :]:
            assert len(one - other) >= 2
    assert [a.differs_from_best >= 2 for a in result.alternatives] == [True, True, True]


def test_alternatives_among_ties_are_exactly_as_good_as_the_best():
    people = [person(f"p{i}") for i in range(12)]
    three = (Track(id="a", name="Spor A", min_seats=0, max_seats=3),)

    result = compose(
        instance(people, tracks=three, alternatives=3, alternative_min_difference=1, seed=7)
    )

    assert [a.objective for a in result.alternatives] == [result.objective] * 3
    seats = [set(result.assignment["a"])] + [set(a.assignment["a"]) for a in result.alternatives]
    assert all(len(one - other) >= 1 for i, one in enumerate(seats) for other in seats[i + 1 :])
    assert [a.differs_from_best for a in result.alternatives] == [1, 1, 1]
