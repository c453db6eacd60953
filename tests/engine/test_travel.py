"""Sharing the travel: the venue proposal is the exact optimum (checked by trying every choice on
small cases), deterministic, and its distances come from the postcodes."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlespor.engine.travel import (
    TravelProblem,
    UnknownPostcodeError,
    town_of,
    trip_km,
    venues_brute_force,
    venues_propose,
)


def test_town_of_places_each_postcode_at_its_main_town():
    assert [town_of(code).name for code in ("1050", "8000", "3700", "9990", "6705")] == [
        "København K",
        "Aarhus C",
        "Rønne",
        "Skagen",
        "Esbjerg",
    ]
    for wrong in ("0800", "123", "12345", "abcd", ""):
        with pytest.raises(UnknownPostcodeError):
            town_of(wrong)


def test_trip_km_is_there_and_back_by_road():
    copenhagen, aarhus = town_of("1050"), town_of("8000")

    assert 380 <= trip_km(copenhagen, aarhus) <= 430  # ~157 km straight, times 1.3, there and back
    assert trip_km(copenhagen, copenhagen) == 0
    assert trip_km(copenhagen, aarhus) == trip_km(aarhus, copenhagen)


def test_proposal_shares_the_travel_instead_of_always_meeting_in_the_capital():
    members = {"a": "1050", "b": "2100", "c": "8000", "d": "9000", "e": "6700"}
    problem = TravelProblem.from_postcodes(
        members=members,
        venues={"kbh": "1050", "aarhus": "8000", "odense": "5000"},
        meetings=("m1", "m2", "m3", "m4"),
    )

    plan = venues_propose(problem)

    all_in_copenhagen = problem.yearly(dict.fromkeys(problem.meetings, "kbh"))
    assert plan.optimal is True
    assert plan.worst < max(all_in_copenhagen.values())
    assert (plan.worst, plan.total) == venues_brute_force(problem)
    assert plan.yearly == problem.yearly(plan.venue_of)


def test_proposal_keeps_a_fixed_venue_and_refuses_one_outside_the_candidates():
    problem = TravelProblem(
        trips={"a": {"x": 10, "y": 100}, "b": {"x": 100, "y": 10}},
        venues=("x", "y"),
        meetings=("m1", "m2"),
        fixed={"m1": "y"},
    )

    plan = venues_propose(problem)

    assert plan.venue_of == {"m1": "y", "m2": "x"}
    with pytest.raises(ValueError, match="ikke blandt kandidaterne"):
        venues_propose(TravelProblem(problem.trips, ("x",), problem.meetings, {"m1": "y"}))


def test_proposal_is_the_same_on_every_run_and_breaks_ties_towards_the_earlier_venue():
    trips = {m: {"first": 50, "second": 50, "third": 50} for m in ("a", "b", "c")}
    problem = TravelProblem(trips=trips, venues=("first", "second", "third"), meetings=("1", "2"))

    plans = [venues_propose(problem).venue_of for _ in range(3)]

    assert plans == [{"1": "first", "2": "first"}] * 3


@st.composite
def problems(draw) -> TravelProblem:
    venues = tuple(f"v{i}" for i in range(draw(st.integers(1, 4))))
    meetings = tuple(f"m{i}" for i in range(draw(st.integers(1, 3))))
    members = [f"p{i}" for i in range(draw(st.integers(1, 5)))]
    trips = {p: {v: draw(st.integers(0, 60)) for v in venues} for p in members}
    fixed = {m: draw(st.sampled_from(venues)) for m in meetings if draw(st.booleans()) and venues}
    return TravelProblem(trips=trips, venues=venues, meetings=meetings, fixed=fixed)


@settings(max_examples=60, deadline=None)
@given(problems())
def test_proposal_equals_trying_every_choice_on_small_cases(problem):
    plan = venues_propose(problem)

    assert (plan.worst, plan.total) == venues_brute_force(problem)
    assert plan.optimal is True
    assert all(plan.venue_of[m] == v for m, v in problem.fixed.items())
