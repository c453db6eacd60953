"""Leximin selection probabilities for a lottery over compositions, on open solvers.

A lottery draws one composition from a distribution. Its fairness is each applicant's chance of
being selected: leximin makes the smallest chance as large as the quotas allow, then the next
smallest, and so on (Flanigan et al., "Fair algorithms for selecting citizens' assemblies",
Nature 2021). This module solves it by the paper's column generation:

- a master linear program over the compositions found so far (HiGHS): the largest z such that
  every applicant not yet fixed has at least z and every fixed one keeps their level;
- a pricing step (CP-SAT) that finds the composition of the largest dual weight, i.e. the one
  that would raise z the most, until none would;
- then every applicant whose dual weight is positive cannot get more than z in any leximin
  solution: they are fixed at z, and the next level begins.

Applicants with the same attributes and the same choices form one *type* and share a chance, so
the programs work on types: a composition is how many of each type sit in each track. Pure
Python, no Django; the problem comes as a `TypeProblem` (see `lottery.py` for the instance of
the composition engine).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import highspy
import numpy as np
from ortools.sat.python import cp_model

# Probabilities closer than this are equal; duals larger than FIX_EPS fix their type.
EPS = 1e-7
FIX_EPS = 1e-6
QUICK_PRICING = 0.2  # seconds for the pricing's first look
WEIGHT_SCALE = 10**7  # the pricing's integer weights: dual weight * this


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


class _Pricing:
    """CP-SAT over compositions: the engine's constraints in types."""

    def __init__(self, problem: TypeProblem) -> None:
        self.problem = problem
        model = cp_model.CpModel()
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        for t, size in enumerate(problem.sizes):
            for r in problem.tracks[t]:
                self.x[t, r] = model.new_int_var(0, size, f"x{t}_{r}")
        for t, size in enumerate(problem.sizes):
            seated = [self.x[t, r] for r in problem.tracks[t]]
            if problem.is_required(t):
                model.add(sum(seated) == size)
            elif seated:
                model.add(sum(seated) <= size)
        for r, seats in enumerate(problem.seats):
            model.add(sum(v for (t, rr), v in self.x.items() if rr == r) == seats)
        for quota in problem.quotas:
            members = [self.x[t, quota.track] for t in quota.types if (t, quota.track) in self.x]
            model.add_linear_constraint(sum(members), quota.low, quota.high)
        for rule in problem.distinct:
            present = []
            for group in rule.groups:
                members = [self.x[t, rule.track] for t in group if (t, rule.track) in self.x]
                if members:
                    flag = model.new_bool_var("present")
                    model.add(sum(members) >= 1).only_enforce_if(flag)
                    present.append(flag)
            model.add(sum(present) >= rule.at_least)
        self.model = model

    def best(
        self, weights: list[float], *, must_seat: int | None = None, seconds: float = 60.0
    ) -> Composition | None:
        """The composition of the largest Σ weight[t] × (type-t seated) / size[t], or with
        `must_seat` the largest with at least one applicant of that type; None if there is
        none. With a short `seconds`, the best found in that time."""
        model = self.model.clone()
        x = {key: model.get_int_var_from_proto_index(var.index) for key, var in self.x.items()}
        if must_seat is not None:
            model.add(sum(v for (t, _r), v in x.items() if t == must_seat) >= 1)
        terms = []
        for (t, _r), var in x.items():
            coefficient = round(weights[t] / self.problem.sizes[t] * WEIGHT_SCALE)
            if coefficient:
                terms.append(coefficient * var)
        if terms:
            model.maximize(sum(terms))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 0
        solver.parameters.max_time_in_seconds = seconds
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        return tuple(
            sorted((key, solver.value(var)) for key, var in x.items() if solver.value(var) > 0)
        )


class _Master:
    """The master LP over the compositions found so far (HiGHS)."""

    def __init__(self, types: int) -> None:
        self.types = types
        self.columns: list[np.ndarray] = []  # each composition's chance per type
        self.compositions: list[Composition] = []
        self.known: set[Composition] = set()

    def add(self, composition: Composition, sizes: tuple[int, ...]) -> bool:
        if composition in self.known:
            return False
        self.known.add(composition)
        counts = type_counts(composition, self.types)
        self.columns.append(np.array([c / s for c, s in zip(counts, sizes, strict=True)]))
        self.compositions.append(composition)
        return True

    def solve(
        self, fixed: dict[int, float], open_types: list[int], *, with_z: bool = True
    ) -> tuple[float, np.ndarray, np.ndarray, float]:
        """Maximise z (or, without it, only meet the fixed levels): (z, weights of the
        compositions, the duals of the type rows, the dual of Σ weight = 1)."""
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("primal_feasibility_tolerance", 1e-9)
        h.setOptionValue("dual_feasibility_tolerance", 1e-9)
        inf = highspy.kHighsInf
        count = len(self.columns)
        # Columns: the compositions' weights (0..1), then z (minimise -z).
        for _ in range(count):
            h.addVar(0.0, 1.0)
        if with_z:
            h.addVar(0.0, 1.0)
            h.changeColCost(count, -1.0)
        rows = sorted(fixed) + open_types
        matrix = np.array(self.columns).T if self.columns else np.zeros((self.types, 0))
        for t in rows:
            indices = [j for j in range(count) if matrix[t, j] > 0]
            values = [float(matrix[t, j]) for j in indices]
            if t in fixed:
                h.addRow(fixed[t] - EPS, inf, len(indices), indices, values)
            else:
                indices.append(count)
                values.append(-1.0)
                h.addRow(0.0, inf, len(indices), indices, values)
        h.addRow(1.0, 1.0, count, list(range(count)), [1.0] * count)
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise Infeasible("the master problem has no solution")
        solution = h.getSolution()
        values = np.array(solution.col_value)
        row_duals = np.array(solution.row_dual)
        duals = np.zeros(self.types)
        for index, t in enumerate(rows):
            duals[t] = row_duals[index]
        z = float(values[count]) if with_z else 0.0
        return z, values[:count], duals, float(row_duals[len(rows)])


def leximin(problem: TypeProblem, *, max_rounds: int = 100_000) -> Distribution:
    """The leximin distribution over compositions (see the module's docstring).

    Raises Infeasible when no composition meets the quotas.
    """
    types = len(problem.sizes)
    pricing = _Pricing(problem)
    master = _Master(types)
    first = pricing.best([0.0] * types)
    if first is None:
        raise Infeasible("no composition meets every quota and rule")
    master.add(first, problem.sizes)
    fixed: dict[int, float] = {}
    impossible: set[int] = set()
    # A type that every composition seats in full (a lock) has chance 1; one that no
    # composition can seat has chance 0. Every other type gets a composition that seats it, so
    # the master starts with every type covered: compositions that seat as many types not yet
    # covered as they can, then one try for each type still left.
    for t in range(types):
        if problem.is_required(t):
            fixed[t] = 1.0
    uncovered = {t for t in range(types) if t not in fixed} - _seated(first, types)
    while uncovered:
        weights = [float(problem.sizes[t]) if t in uncovered else 0.0 for t in range(types)]
        composition = pricing.best(weights)
        newly = _seated(composition, types) & uncovered if composition else set()
        if not newly:
            break
        master.add(composition, problem.sizes)
        uncovered -= newly
    for t in sorted(uncovered):
        composition = pricing.best([0.0] * types, must_seat=t)
        if composition is None:
            impossible.add(t)
            fixed[t] = 0.0
        else:
            master.add(composition, problem.sizes)
    levels = 0
    rounds = 0
    while len(fixed) < types:
        open_types = [t for t in range(types) if t not in fixed]
        while True:
            rounds += 1
            if rounds > max_rounds:
                raise RuntimeError("column generation did not converge")
            z, _weights, duals, sum_dual = master.solve(fixed, open_types)
            # A composition P lowers the objective when Σ_t chance_P[t] * dual[t] + sum_dual > 0
            # (HiGHS: reduced cost = cost - Aᵀ·dual, and a composition's cost is 0).
            # A quick look first: any composition that helps will do; only when none is found
            # quickly does the pricing run to optimality, to prove that none exists.
            candidate, gain = None, 0.0
            for seconds in (QUICK_PRICING, 600.0):
                candidate = pricing.best(list(duals), seconds=seconds)
                if candidate is None:
                    break
                counts = type_counts(candidate, types)
                gain = sum(duals[t] * counts[t] / problem.sizes[t] for t in range(types))
                gain += sum_dual
                if gain > EPS:
                    break
            if candidate is None or gain <= EPS or not master.add(candidate, problem.sizes):
                break
        levels += 1
        newly = [t for t in open_types if duals[t] > FIX_EPS]
        if not newly:  # numerically flat duals: fix the type with the largest
            newly = [max(open_types, key=lambda t: duals[t])]
        for t in newly:
            fixed[t] = z
    _z, weights, _duals, _sum = master.solve(fixed, [], with_z=False)
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
