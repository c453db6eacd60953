"""Leximin selection probabilities for a lottery over compositions, on open solvers.

A lottery draws one composition from a distribution. Its fairness is each applicant's chance of
being selected: leximin makes the smallest chance as large as the quotas allow, then the next
smallest, and so on (Flanigan et al., "Fair algorithms for selecting citizens' assemblies",
Nature 2021). This module solves it by the paper's column generation:

- a master linear program over the compositions found so far (HiGHS): the largest z such that
  every applicant not yet fixed has at least z and every fixed one keeps their level;
- a pricing step (a mixed-integer program on HiGHS) that finds a composition of positive
  reduced cost, i.e. one that would raise z, until it proves that none would;
- then every applicant whose dual weight is positive cannot get more than z in any leximin
  solution: they are fixed at z, and the next level begins.

Applicants with the same attributes and the same choices form one *type* and share a chance, so
the programs work on types: a composition is how many of each type sit in each track. Pure
Python, no Django; the problem comes as a `TypeProblem` (see `lottery.py` for the instance of
the composition engine).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

import highspy
import numpy as np

# Probabilities closer than this are equal; duals larger than FIX_EPS fix their type.
EPS = 1e-7
FIX_EPS = 1e-6


@dataclass(frozen=True)
class Quota:
    """At least `low` and at most `high` seats of `track` go to the types in `types`."""

    track: int
    types: frozenset[int]
    low: int
    high: int


@dataclass(frozen=True)
class Distinct:
    """At least `at_least` of the `groups` (sets of types, one per value) have someone seated
    in `track`."""

    track: int
    groups: tuple[frozenset[int], ...]
    at_least: int


@dataclass(frozen=True)
class TypeProblem:
    """The lottery's problem in types.

    sizes[t]     how many applicants are of type t;
    tracks[t]    the tracks (indices into `seats`) a type-t applicant may sit in;
    required[t]  every applicant of type t must be seated (a lock);
    seats[r]     the exact number of seats of track r;
    quotas       the per-track quotas;
    distinct     the per-track "at least so many different values".
    """

    sizes: tuple[int, ...]
    tracks: tuple[tuple[int, ...], ...]
    seats: tuple[int, ...]
    quotas: tuple[Quota, ...] = ()
    required: tuple[bool, ...] = ()
    distinct: tuple[Distinct, ...] = ()

    def is_required(self, t: int) -> bool:
        return bool(self.required) and self.required[t]


# A composition: how many of each type sit in each track, as ((type, track), count) pairs with
# a positive count, sorted.
Composition = tuple[tuple[tuple[int, int], int], ...]


def type_counts(composition: Composition, types: int) -> list[int]:
    """How many of each type a composition seats, in any track."""
    counts = [0] * types
    for (t, _r), count in composition:
        counts[t] += count
    return counts


@dataclass
class Distribution:
    """A lottery: compositions with their probabilities, and each type's chance overall and per
    track; `impossible` holds the types no composition can seat."""

    compositions: list[Composition]
    weights: list[float]
    chance: list[float]
    chance_per_track: list[list[float]]
    impossible: set[int] = field(default_factory=set)
    levels: int = 0  # leximin levels fixed
    generated: int = 0  # compositions generated in all


class Infeasible(Exception):
    """No composition meets every quota and rule."""


class OutOfTime(Exception):
    """The time allowed ran out before leximin was reached: how far it came."""

    def __init__(self, fixed: int, types: int, z: float, generated: int) -> None:
        super().__init__(
            f"{fixed} of {types} types fixed, the open ones at {z:.4f} or more, "
            f"{generated} compositions generated"
        )
        self.fixed, self.types, self.z, self.generated = fixed, types, z, generated


class _Pricing:
    """The compositions as a mixed-integer program (HiGHS): the engine's constraints in types.

    The model is built once; each call changes only the objective. HiGHS rather than CP-SAT
    here because the objective is a weighted sum with fractional weights, where the linear
    relaxation's bound proves optimality in a fraction of the time."""

    def __init__(self, problem: TypeProblem) -> None:
        self.problem = problem
        self.keys = [(t, r) for t in range(len(problem.sizes)) for r in problem.tracks[t]]
        self.index = {key: i for i, key in enumerate(self.keys)}
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("random_seed", 0)
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", EPS / 10)
        h.setOptionValue("mip_improving_solution_save", True)
        # Its start-up heuristic costs more than the whole search on these small programs.
        h.setOptionValue("mip_heuristic_run_feasibility_jump", False)
        self.h = h
        self.columns = 0
        for t, _r in self.keys:
            self._integer(problem.sizes[t])
        for t, size in enumerate(problem.sizes):
            cells = [self.index[t, r] for r in problem.tracks[t]]
            if cells:
                self._row(size if problem.is_required(t) else 0, size, cells)
        for r, seats in enumerate(problem.seats):
            self._row(seats, seats, [i for i, (_t, rr) in enumerate(self.keys) if rr == r])
        for quota in problem.quotas:
            cells = [
                self.index[t, quota.track] for t in quota.types if (t, quota.track) in self.index
            ]
            self._row(quota.low, quota.high, cells)
        for rule in problem.distinct:
            flags = []
            for group in rule.groups:
                cells = [self.index[t, rule.track] for t in group if (t, rule.track) in self.index]
                if cells:
                    flag = self._integer(1)
                    # The value counts as present only when someone of it is seated.
                    self._row(-highspy.kHighsInf, 0, [flag, *cells], [1.0] + [-1.0] * len(cells))
                    flags.append(flag)
            self._row(rule.at_least, highspy.kHighsInf, flags)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        # The same program without integrality: its bound often proves that no composition is
        # enough, and its optimum is often whole already, in a fraction of the MIP's time.
        relaxed = h.getLp()
        relaxed.integrality_ = []
        self.relaxed = highspy.Highs()
        self.relaxed.setOptionValue("output_flag", False)
        self.relaxed.passModel(relaxed)

    def _integer(self, upper: int) -> int:
        self.h.addVar(0.0, float(upper))
        self.h.changeColIntegrality(self.columns, highspy.HighsVarType.kInteger)
        self.columns += 1
        return self.columns - 1

    def _row(self, low: float, high: float, cells: list[int], values: list[float] | None = None):
        values = [1.0] * len(cells) if values is None else values
        self.h.addRow(
            float(low), float(high), len(cells), np.array(cells, dtype=np.int32), np.array(values)
        )

    def best(
        self,
        weights: list[float],
        *,
        must_seat: int | None = None,
        enough: float | None = None,
    ) -> list[Composition]:
        """The compositions of the largest Σ weight[t] × (type-t seated) / size[t], the best
        first, then the others found on the way; with `must_seat` only those with at least one
        applicant of that type; with `enough`, the search stops at the first composition
        worth at least that much, and the linear relaxation spares the search where it proves
        that none is, or leads to one (`_dive`). Empty if there is none (that is enough)."""
        sizes = self.problem.sizes
        costs = np.array([weights[t] / sizes[t] for t, _r in self.keys])
        cells = np.arange(len(self.keys), dtype=np.int32)
        if enough is not None and must_seat is None:
            relaxed = self.relaxed
            relaxed.changeColsCost(len(self.keys), cells, costs)
            relaxed.run()
            if relaxed.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                if relaxed.getInfo().objective_function_value < enough - EPS / 10:
                    return []
                values = np.array(relaxed.getSolution().col_value[: len(self.keys)])
                if found := self._dive(values, costs, enough):
                    return found
        h = self.h
        h.setOptionValue("objective_target", -highspy.kHighsInf if enough is None else enough)
        h.changeColsCost(len(self.keys), cells, costs)
        if must_seat is not None:
            self._row(
                1,
                highspy.kHighsInf,
                [self.index[must_seat, r] for r in self.problem.tracks[must_seat]],
            )
        h.run()
        found: list[Composition] = []
        if h.getInfo().primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible:
            solutions = [h.getSolution().col_value]
            solutions += [saved.col_value for saved in reversed(h.getSavedMipSolutions())]
            for values in solutions:
                composition = self._composition(values)
                if composition not in found:
                    found.append(composition)
        if must_seat is not None:
            h.deleteRows(1, np.array([h.getNumRow() - 1], dtype=np.int32))
        return found

    def _dive(self, relaxed: np.ndarray, costs: np.ndarray, enough: float) -> list[Composition]:
        """A composition worth `enough` near the relaxation's optimum: the relaxation's own when
        it is whole, else the MIP over its fractional cells with the whole ones kept; empty
        when that finds none."""
        whole = np.abs(relaxed - np.round(relaxed)) <= 1e-9
        if whole.all():
            composition = self._composition(relaxed)
            return [composition] if valid(self.problem, composition) else []
        h, count = self.h, len(self.keys)
        cells = np.arange(count, dtype=np.int32)
        kept = cells[whole]
        h.changeColsCost(count, cells, costs)
        h.changeColsBounds(len(kept), kept, np.round(relaxed[kept]), np.round(relaxed[kept]))
        h.setOptionValue("objective_target", enough)
        h.run()
        info = h.getInfo()
        found = []
        if (
            info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
            and info.objective_function_value >= enough
        ):
            found = [self._composition(h.getSolution().col_value)]
        sizes = self.problem.sizes
        h.changeColsBounds(
            count, cells, np.zeros(count), np.array([float(sizes[t]) for t, _r in self.keys])
        )
        return found

    def _composition(self, values) -> Composition:
        return tuple(
            (key, round(values[i])) for i, key in enumerate(self.keys) if round(values[i]) > 0
        )


class _Master:
    """The master LP over the compositions found so far (HiGHS), kept between solves so that
    each one starts from the last basis: a row per type (Σ weight × chance ≥ z while the type
    is open, ≥ its level once fixed), Σ weight = 1; column 0 is z."""

    def __init__(self, sizes: tuple[int, ...]) -> None:
        self.sizes = sizes
        self.compositions: list[Composition] = []
        self.known: set[Composition] = set()
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("primal_feasibility_tolerance", 1e-9)
        h.setOptionValue("dual_feasibility_tolerance", 1e-9)
        # A new column keeps the last basis feasible: primal simplex goes on from it.
        h.setOptionValue("simplex_strategy", 4)
        h.addVar(0.0, 1.0)
        h.changeColCost(0, -1.0)
        for _t in sizes:
            h.addRow(0.0, highspy.kHighsInf, 1, np.array([0], dtype=np.int32), np.array([-1.0]))
        h.addRow(1.0, 1.0, 0, np.array([], dtype=np.int32), np.array([]))
        self.h = h

    def add(self, composition: Composition) -> bool:
        if composition in self.known:
            return False
        self.known.add(composition)
        self.compositions.append(composition)
        counts = type_counts(composition, len(self.sizes))
        rows = [t for t, count in enumerate(counts) if count]
        values = [counts[t] / self.sizes[t] for t in rows] + [1.0]
        rows.append(len(self.sizes))
        self.h.addCol(0.0, 0.0, 1.0, len(rows), np.array(rows, dtype=np.int32), np.array(values))
        return True

    def fix(self, t: int, level: float) -> None:
        """Type t keeps at least `level` from now on, and no longer counts for z."""
        self.h.changeCoeff(t, 0, 0.0)
        self.h.changeRowBounds(t, level - EPS, highspy.kHighsInf)

    def settle(self, fixed: dict[int, float]) -> None:
        """For the last solve, once every type is fixed: each type at its level less z, the
        smallest such z (the levels were met only within EPS while they were being found)."""
        for t, level in fixed.items():
            self.h.changeCoeff(t, 0, 1.0)
            self.h.changeRowBounds(t, level, highspy.kHighsInf)
        self.h.changeColCost(0, 1.0)

    def solve(self) -> tuple[float, np.ndarray, np.ndarray, float]:
        """Maximise z: (z, weights of the compositions, the duals of the type rows, the dual of
        Σ weight = 1)."""
        h = self.h
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise Infeasible("the master problem has no solution")
        solution = h.getSolution()
        values = np.array(solution.col_value)
        row_duals = np.array(solution.row_dual)
        types = len(self.sizes)
        return float(values[0]), values[1:], row_duals[:types], float(row_duals[types])


def leximin(
    problem: TypeProblem, *, max_rounds: int = 100_000, seconds: float | None = None
) -> Distribution:
    """The leximin distribution over compositions (see the module's docstring).

    Raises Infeasible when no composition meets the quotas, and OutOfTime when `seconds`
    run out first.
    """
    started = time.perf_counter()
    types = len(problem.sizes)
    pricing = _Pricing(problem)
    master = _Master(problem.sizes)
    first = pricing.best([0.0] * types)
    if not first:
        raise Infeasible("no composition meets every quota and rule")
    master.add(first[0])
    fixed: dict[int, float] = {}
    impossible: set[int] = set()
    # A type that every composition seats in full (a lock) has chance 1; one that no
    # composition can seat has chance 0. Every other type gets a composition that seats it, so
    # the master starts with every type covered: compositions that seat as many types not yet
    # covered as they can, then one try for each type still left.
    for t in range(types):
        if problem.is_required(t):
            fixed[t] = 1.0
    uncovered = {t for t in range(types) if t not in fixed} - _seated(first[0], types)
    while uncovered:
        weights = [float(problem.sizes[t]) if t in uncovered else 0.0 for t in range(types)]
        found = pricing.best(weights)
        newly = _seated(found[0], types) & uncovered if found else set()
        if not newly:
            break
        master.add(found[0])
        uncovered -= newly
    for t in sorted(uncovered):
        found = pricing.best([0.0] * types, must_seat=t)
        if found:
            master.add(found[0])
        else:
            impossible.add(t)
            fixed[t] = 0.0
    for t, level in fixed.items():
        master.fix(t, level)
    levels = 0
    rounds = 0
    while len(fixed) < types:
        open_types = [t for t in range(types) if t not in fixed]
        while True:
            rounds += 1
            if rounds > max_rounds:
                raise RuntimeError("column generation did not converge")
            z, _weights, duals, sum_dual = master.solve()
            if seconds is not None and time.perf_counter() - started > seconds:
                raise OutOfTime(len(fixed), types, z, len(master.compositions))
            # A composition P lowers the objective when Σ_t chance_P[t] * dual[t] + sum_dual > 0
            # (HiGHS: reduced cost = cost - Aᵀ·dual, and a composition's cost is 0). The
            # pricing stops at the first composition that helps, or proves that none does;
            # every other composition it met on the way that would help joins the master too.
            added = 0
            for candidate in pricing.best(list(duals), enough=-sum_dual + 2 * EPS):
                counts = type_counts(candidate, types)
                gain = sum(duals[t] * counts[t] / problem.sizes[t] for t in range(types))
                if gain + sum_dual > EPS and master.add(candidate):
                    added += 1
            if not added:
                break
        levels += 1
        newly = [t for t in open_types if duals[t] > FIX_EPS]
        if not newly:  # numerically flat duals: fix the type with the largest
            newly = [max(open_types, key=lambda t: duals[t])]
        for t in newly:
            fixed[t] = z
            master.fix(t, z)
    master.settle(fixed)
    _z, weights, _duals, _sum = master.solve()
    keep = [j for j, w in enumerate(weights) if w > 1e-9]
    total = float(sum(weights[j] for j in keep))
    compositions = [master.compositions[j] for j in keep]
    probabilities = [float(weights[j]) / total for j in keep]
    return _distribution(problem, compositions, probabilities, impossible, levels, master)


def _seated(composition: Composition, types: int) -> set[int]:
    return {t for t, count in enumerate(type_counts(composition, types)) if count}


def _distribution(
    problem: TypeProblem,
    compositions: list[Composition],
    probabilities: list[float],
    impossible: set[int],
    levels: int,
    master: _Master,
) -> Distribution:
    types, tracks = len(problem.sizes), len(problem.seats)
    per_track = [[0.0] * tracks for _ in range(types)]
    for composition, probability in zip(compositions, probabilities, strict=True):
        for (t, r), count in composition:
            per_track[t][r] += probability * count / problem.sizes[t]
    return Distribution(
        compositions=compositions,
        weights=probabilities,
        chance=[sum(row) for row in per_track],
        chance_per_track=per_track,
        impossible=impossible,
        levels=levels,
        generated=len(master.compositions),
    )


def all_compositions(problem: TypeProblem) -> list[Composition]:
    """Every composition that meets the quotas, by enumeration: for the tests' brute force on
    small problems only."""
    keys = [(t, r) for t in range(len(problem.sizes)) for r in problem.tracks[t]]
    ranges = [range(problem.sizes[t] + 1) for t, _r in keys]
    found = []
    for counts in itertools.product(*ranges):
        if valid(problem, tuple((k, c) for k, c in zip(keys, counts, strict=True) if c)):
            found.append(tuple((k, c) for k, c in zip(keys, counts, strict=True) if c))
    return found


def valid(problem: TypeProblem, composition: Composition) -> bool:
    """Whether a composition meets every seat count, type size, track choice and quota: the
    solver-free check."""
    seated = [0] * len(problem.sizes)
    in_track = [0] * len(problem.seats)
    cells: dict[tuple[int, int], int] = {}
    for (t, r), count in composition:
        if r not in problem.tracks[t] or count < 0:
            return False
        seated[t] += count
        in_track[r] += count
        cells[t, r] = count
    if any(s > size for s, size in zip(seated, problem.sizes, strict=True)):
        return False
    if any(problem.is_required(t) and seated[t] != problem.sizes[t] for t in range(len(seated))):
        return False
    if list(in_track) != list(problem.seats):
        return False
    for quota in problem.quotas:
        total = sum(cells.get((t, quota.track), 0) for t in quota.types)
        if not quota.low <= total <= quota.high:
            return False
    for rule in problem.distinct:
        present = sum(
            1 for group in rule.groups if any(cells.get((t, rule.track), 0) for t in group)
        )
        if present < rule.at_least:
            return False
    return True
