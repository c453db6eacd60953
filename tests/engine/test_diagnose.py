"""Infeasible instances get a diagnosis naming the conflicting rules, never a bare
"infeasible"."""

from handlespor.engine import Lock, Rules, Track, compose
from tests.engine.helpers import instance, person, target


def test_track_chosen_by_too_few_for_its_minimum():
    tracks = (Track(id="g", name="Grønnere musik", min_seats=8, max_seats=12),)
    people = [person(f"p{i}", prefs="g") for i in range(6)] + [
        person("x", prefs="g", eligible=False)
    ]

    result = compose(instance(people, tracks=tracks, rules=Rules(min_seats_hard=True)))

    assert result.status == "infeasible"
    assert result.diagnosis == (
        "Grønnere musik skal have mindst 8 deltagere, men kun 6 berettigede ansøgere har valgt "
        "det.",
    )


def test_applicant_locked_into_two_tracks():
    locks = [
        Lock(applicant="p", kind="in_track", track="a"),
        Lock(applicant="p", kind="in_track", track="b"),
    ]

    result = compose(instance([person("p", prefs="ab")], locks=locks))

    assert result.diagnosis == (
        "P er låst til både Spor A og Spor B, men kan kun sidde i ét handlespor.",
    )


def test_applicant_locked_and_excluded():
    locks = [Lock(applicant="p", kind="in_track", track="a"), Lock(applicant="p", kind="excluded")]

    result = compose(instance([person("p")], locks=locks))

    assert result.diagnosis == ("P er både låst til Spor A og udelukket.",)


def test_minimums_together_exceed_the_applicants():
    tracks = (
        Track(id="a", name="Spor A", min_seats=2, max_seats=3),
        Track(id="b", name="Spor B", min_seats=2, max_seats=3),
    )
    people = [person(f"p{i}", prefs="ab") for i in range(3)]

    result = compose(instance(people, tracks=tracks, rules=Rules(min_seats_hard=True)))

    assert result.diagnosis == (
        "Handlesporene skal tilsammen have mindst 4 deltagere, men der er kun 3 berettigede "
        "ansøgere, og hver kan kun sidde i ét handlespor.",
    )


def test_hard_max_count_broken_by_locks():
    people = [person("m1", gender="Mand"), person("m2", gender="Mand")]
    locks = [Lock(applicant=p.id, kind="in_track", track="a") for p in people]

    result = compose(
        instance(
            people, targets=[target("max_count", 1, "Mand", hard=True, track="a")], locks=locks
        )
    )

    assert result.diagnosis == (
        "Spor A skal opfylde målet Mand ≥ 1, men 2 låste deltagere har det.".replace("≥", "≤"),
    )


def test_conflict_found_by_the_solver_names_the_smallest_set():
    # Each rule alone can be met; together they cannot: a hard 50 % women target and a hard
    # minimum of three in a track whose pool has one woman and two men.
    tracks = (Track(id="a", name="Spor A", min_seats=3, max_seats=3),)
    people = [
        person("k"),
        person("m1", gender="Mand"),
        person("m2", gender="Mand"),
        person("m3", gender="Mand", prefs=""),
    ]

    result = compose(
        instance(
            people,
            tracks=tracks,
            targets=[target("min_share", 50, "Kvinde", hard=True)],
            rules=Rules(min_seats_hard=True),
        )
    )

    assert result.status == "infeasible"
    assert result.diagnosis == (
        "Disse regler kan ikke opfyldes samtidig: Spor A skal have mindst 3 deltagere; "
        "Spor A: målet Kvinde ≥ 50 % skal opfyldes.",
    )
