"""Leximin by column generation against leximin by brute force: every composition enumerated
and the leximin levels found one LP at a time, each type tried for whether it can rise."""

import highspy
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bench.lottery import hard_pool
from handlespor.engine.leximin import (
    Distinct,
    Infeasible,
    Quota,
    TypeProblem,
    _Bound,
    _Master,
    _Pricing,
    all_compositions,
    leximin,
    relaxation_leximin,
    type_counts,
    valid,
)
from handlespor.engine.lottery import lottery_number, table_chance, table_problems, table_round


def _lp(columns: np.ndarray, fixed: dict[int, float], open_: list[int], objective) -> float:
    """max objective over mixtures of the columns (rows: types) with the fixed levels kept and
    every open type at least z (column `z`): returns the optimum."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    count = columns.shape[1]
    for _ in range(count + 1):
        h.addVar(0.0, 1.0)
    for j, c in objective.items():
        h.changeColCost(j if j != "z" else count, -c)
    inf = highspy.kHighsInf
    for t, level in fixed.items():
        h.addRow(level - 1e-9, inf, count, list(range(count)), list(columns[t]))
    for t in open_:
        h.addRow(0.0, inf, count + 1, list(range(count + 1)), [*columns[t], -1.0])
    h.addRow(1.0, 1.0, count, list(range(count)), [1.0] * count)
    h.run()
    return -h.getInfo().objective_function_value


def brute_force_leximin(problem: TypeProblem) -> list[float]:
    compositions = all_compositions(problem)
    types = len(problem.sizes)
    columns = np.array(
        [
            [c / s for c, s in zip(type_counts(p, types), problem.sizes, strict=True)]
            for p in compositions
        ]
    ).T
    fixed: dict[int, float] = {}
    while len(fixed) < types:
        open_ = [t for t in range(types) if t not in fixed]
        z = _lp(columns, fixed, open_, {"z": 1.0})
        # A type is at its leximin level when it cannot rise above z with the others at z.
        for t in open_:
            others = {**fixed, **{u: z for u in open_ if u != t}}
            best = _lp(columns, others, [], {j: columns[t, j] for j in range(columns.shape[1])})
            if best <= z + 1e-7:
                fixed[t] = z
    return [fixed[t] for t in range(types)]


def test_leximin_two_types_share_one_seat_by_size():
    # Three of type 0 and one of type 1 for one seat: each applicant gets 1/4.
    problem = TypeProblem(sizes=(3, 1), tracks=((0,), (0,)), seats=(1,))

    result = leximin(problem)

    assert result.chance == pytest.approx([0.25, 0.25])
    assert sum(result.weights) == pytest.approx(1.0)
    assert all(valid(problem, c) for c in result.compositions)


def test_leximin_quota_forces_a_type_and_the_rest_share_what_is_left():
    # Two seats; at least one of type 1 (two people): type 1 gets at least 1/2 each; the three
    # of type 0 share the other seat, 1/3 each; leximin then lifts type 0 as far as it can.
    problem = TypeProblem(
        sizes=(3, 2),
        tracks=((0,), (0,)),
        seats=(2,),
        quotas=(Quota(track=0, types=frozenset({1}), low=1, high=2),),
    )

    result = leximin(problem)

    assert result.chance == pytest.approx(brute_force_leximin(problem), abs=1e-6)
    assert result.chance == pytest.approx([1 / 3, 1 / 2], abs=1e-6)


@pytest.mark.parametrize("relaxation_first", [True, False])
def test_leximin_impossible_type_gets_zero_and_a_lock_gets_one(relaxation_first):
    problem = TypeProblem(
        sizes=(2, 1, 1),
        tracks=((0,), (0,), (0,)),
        seats=(2,),
        quotas=(Quota(track=0, types=frozenset({2}), low=0, high=0),),
        required=(False, True, False),
    )

    result = leximin(problem, relaxation_first=relaxation_first)

    assert result.chance == pytest.approx([0.5, 1.0, 0.0])
    assert result.impossible == {2}


def test_leximin_two_tracks_chances_per_track_add_up():
    problem = TypeProblem(sizes=(2, 2, 1), tracks=((0,), (0, 1), (1,)), seats=(1, 2))

    result = leximin(problem)

    assert result.chance == pytest.approx(brute_force_leximin(problem), abs=1e-6)
    for t, per_track in enumerate(result.chance_per_track):
        assert sum(per_track) == pytest.approx(result.chance[t])
    seated = sum(c * s for c, s in zip(result.chance, problem.sizes, strict=True))
    assert seated == pytest.approx(sum(problem.seats))


def test_leximin_master_recovers_when_primal_simplex_stops_without_a_verdict():
    # Seen: after type 2 was fixed at 1/3, HiGHS's primal simplex from the last basis ended
    # with "Unknown" and the master was taken for infeasible.
    problem = TypeProblem(sizes=(1, 2, 3), tracks=((0,), (0, 1), (1,)), seats=(2, 1))

    result = leximin(problem)

    assert result.chance == pytest.approx([2 / 3, 2 / 3, 1 / 3], abs=1e-6)


def test_leximin_without_any_valid_composition_says_so():
    problem = TypeProblem(
        sizes=(1,), tracks=((0,),), seats=(1,), quotas=(Quota(0, frozenset({0}), 0, 0),)
    )

    with pytest.raises(Infeasible):
        leximin(problem)


def test_leximin_equals_brute_force_where_the_relaxation_promises_more_than_any_composition():
    # The linear relaxation lets every type have 0.375; no mixture of compositions gives the
    # least favoured more than 1/3. Its leximin is not attained, so the levels are found one
    # by one; there the pricing first looks on the relaxation's face, finds nothing, and the
    # level ends by the usual proof instead.
    problem = TypeProblem(
        sizes=(2, 1, 2, 2, 1),
        tracks=((0,),) * 5,
        seats=(3,),
        quotas=(
            Quota(0, frozenset({0, 2, 4}), 1, 2),
            Quota(0, frozenset({0, 3}), 1, 2),
            Quota(0, frozenset({0, 3, 4}), 1, 2),
            Quota(0, frozenset({2, 3}), 1, 2),
        ),
        distinct=(Distinct(0, (frozenset({0, 1}), frozenset({1, 2}), frozenset({2, 3, 4})), 2),),
    )
    promised, _duals = _Bound(_Pricing(problem)).solve()

    result = leximin(problem, relaxation_first=True)

    assert promised == pytest.approx(0.375)
    assert min(relaxation_leximin(problem)) == pytest.approx(0.375)
    assert result.relaxation is False
    assert result.chance == pytest.approx(brute_force_leximin(problem), abs=1e-6)
    assert min(result.chance) == pytest.approx(1 / 3, abs=1e-6)


def test_leximin_takes_the_relaxations_levels_where_a_mixture_of_compositions_attains_them():
    # One category's quotas only: the relaxation's optimum is a mixture of compositions, so
    # its leximin is the compositions' one, found without column generation.
    problem = TypeProblem(
        sizes=(4, 1, 2, 3),
        tracks=((0,),) * 4,
        seats=(3,),
        quotas=(Quota(0, frozenset({0, 1}), 2, 2), Quota(0, frozenset({2, 3}), 1, 1)),
    )

    result = leximin(problem, relaxation_first=True)

    assert result.relaxation is True
    assert result.chance == pytest.approx(brute_force_leximin(problem), abs=1e-6)
    assert result.chance == pytest.approx([0.4, 0.4, 0.2, 0.2], abs=1e-6)
    assert relaxation_leximin(problem) == pytest.approx(result.chance, abs=1e-6)
    assert all(valid(problem, c) for c in result.compositions)


@pytest.mark.parametrize("relaxation_first", [True, False])
def test_leximin_fixes_every_type_at_once_whose_level_is_certain(relaxation_first):
    # Types 1 and 2 must each have their one applicant seated by a quota; the four of type 0
    # share the last seat. Once type 0 is fixed at 1/4, both others are at 1 in one level.
    problem = TypeProblem(
        sizes=(4, 1, 1),
        tracks=((0,),) * 3,
        seats=(3,),
        quotas=(Quota(0, frozenset({1}), 1, 1), Quota(0, frozenset({2}), 1, 1)),
    )

    result = leximin(problem, relaxation_first=relaxation_first)

    assert result.chance == pytest.approx([0.25, 1.0, 1.0], abs=1e-6)
    assert result.levels == 2


def test_pricing_restricted_finds_only_compositions_on_the_relaxations_best_face():
    # Five types for two seats; the weights make types 0 and 1 the best: on that face only
    # compositions with both of them, until the restriction is lifted.
    problem = TypeProblem(sizes=(1, 1, 1, 1, 1), tracks=((0,),) * 5, seats=(2,))
    pricing = _Pricing(problem)

    pricing.restrict(np.array([0.4, 0.4, 0.1, 0.1, 0.0]))
    on_face = pricing.best([0.0, 0.0, 0.0, 0.0, 1.0])
    pricing.unrestrict()
    lifted = pricing.best([0.0, 0.0, 0.0, 0.0, 1.0])

    assert on_face[0] == (((0, 0), 1), ((1, 0), 1))
    assert type_counts(lifted[0], 5)[4] == 1


def test_pricing_decompose_finds_compositions_whose_mixture_is_the_relaxations_optimum():
    # Two seats, one of them for type 0 or 1: the relaxation gives every type 1/2 at once,
    # and so do the compositions the decomposition finds, mixed.
    problem = TypeProblem(
        sizes=(1, 1, 1, 1),
        tracks=((0,),) * 4,
        seats=(2,),
        quotas=(Quota(0, frozenset({0, 1}), 1, 1),),
    )
    pricing = _Pricing(problem)
    bound = _Bound(pricing)
    promised, _duals = bound.solve()

    compositions = pricing.decompose(bound.point, steps=20)

    master = _Master(problem.sizes)
    for composition in compositions:
        master.add(composition)
    master.many_added()
    assert promised == pytest.approx(0.5)
    assert all(valid(problem, composition) for composition in compositions)
    assert master.solve()[0] == pytest.approx(0.5)


def test_pricing_decompose_goes_on_past_a_row_met_only_within_rounding():
    # The seats row of the point is 3e-10 over its bound (as after many steps of rounding): it
    # holds, so it cannot stop the move away from the first composition.
    problem = TypeProblem(sizes=(1, 1, 1, 1), tracks=((0,),) * 4, seats=(2,))
    pricing = _Pricing(problem)
    point = np.array([0.5, 0.5, 0.5, 0.5 + 3e-10])

    compositions = pricing.decompose(point, steps=20)

    master = _Master(problem.sizes)
    for composition in compositions:
        master.add(composition)
    master.many_added()
    assert len(compositions) >= 2
    assert master.solve()[0] == pytest.approx(0.5)


@st.composite
def problems(draw):
    types = draw(st.integers(1, 4))
    tracks = draw(st.integers(1, 2))
    sizes = tuple(draw(st.integers(1, 3)) for _ in range(types))
    choices = tuple(
        tuple(sorted(draw(st.sets(st.integers(0, tracks - 1), min_size=1)))) for _ in range(types)
    )
    seats = tuple(draw(st.integers(1, 3)) for _ in range(tracks))
    quotas = []
    for _ in range(draw(st.integers(0, 3))):
        track = draw(st.integers(0, tracks - 1))
        members = frozenset(draw(st.sets(st.integers(0, types - 1), min_size=1)))
        low = draw(st.integers(0, 2))
        quotas.append(Quota(track, members, low, low + draw(st.integers(0, 2))))
    distinct = []
    if types > 1 and draw(st.booleans()):
        groups = tuple(frozenset({t}) for t in range(types))
        distinct.append(Distinct(draw(st.integers(0, tracks - 1)), groups, draw(st.integers(1, 2))))
    required = tuple(size == 1 and draw(st.integers(0, 4)) == 0 for size in sizes)
    return TypeProblem(
        sizes=sizes,
        tracks=choices,
        seats=seats,
        quotas=tuple(quotas),
        required=required,
        distinct=tuple(distinct),
    )


@pytest.mark.parametrize("relaxation_first", [True, False])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_leximin_equals_brute_force_on_small_problems(relaxation_first, problem):
    assume(all_compositions(problem))

    result = leximin(problem, relaxation_first=relaxation_first)

    assert result.chance == pytest.approx(brute_force_leximin(problem), abs=1e-6)
    assert all(valid(problem, c) for c in result.compositions)
    assert sum(result.weights) == pytest.approx(1.0)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.sampled_from([10, 100, 1000]))
def test_table_round_keeps_every_composition_valid_and_moves_no_chance_past_its_bound(problem, m):
    assume(all_compositions(problem))
    distribution = leximin(problem)

    table = table_round(problem, distribution, m=m)

    assert table.m == m
    assert table_problems(problem, table.rows) == []
    moved = max(
        abs(a - b)
        for a, b in zip(table_chance(problem, table.rows), distribution.chance, strict=True)
    )
    assert moved <= table.largest_change + 1e-12
    assert table.largest_change <= len(distribution.compositions) / m + 1e-12


def test_lottery_number_is_the_sha256_of_the_seed_modulo_m_plus_one():
    import hashlib

    expected = int.from_bytes(hashlib.sha256(b"Lodtr\xc3\xa6kning 2027").digest(), "big") % 1000 + 1

    assert lottery_number("Lodtrækning 2027", 1000) == expected
    assert {lottery_number(str(seed), 7) for seed in range(200)} == set(range(1, 8))


def test_table_problems_names_a_row_that_breaks_a_quota():
    problem = TypeProblem(
        sizes=(2, 2),
        tracks=((0,), (0,)),
        seats=(2,),
        quotas=(Quota(0, frozenset({1}), 1, 2),),
    )
    good = (((0, 0), 1), ((1, 0), 1))
    bad = (((0, 0), 2),)

    assert table_problems(problem, (good, good)) == []
    assert table_problems(problem, (good, bad)) == ["row 2"]


def test_relaxation_leximin_keeps_every_level_of_a_large_generated_pool():
    # Seen: with HiGHS's default tolerance, as large as the slack of a fixed level, the
    # relaxation was taken for infeasible after a few of this pool's levels.
    problem = hard_pool(n=1200, k=60, seed=3)

    first, _duals = _Bound(_Pricing(problem)).solve()

    levels = relaxation_leximin(problem)

    assert len(levels) == len(problem.sizes)
    assert min(levels) == pytest.approx(first, abs=1e-9)
    assert max(levels) <= 1.0 + 1e-9
