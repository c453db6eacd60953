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

Each level also solves the same master over the linear relaxation of the compositions (`_Bound`):
no composition does better, so when the master reaches that bound the level is found without
the long tail of proving that no composition helps, and the relaxation's duals say whom to fix.
Until then the pricing looks only on the relaxation's optimal face, where every composition of
such a level lies, and on large problems the level starts from compositions whose mixture is
the relaxation's optimum (Carathéodory's construction, `_Pricing.decompose`). Where the
relaxation promises more than any composition gives, the face finds nothing, is lifted, and
the level ends as in the paper.

On large problems a shorter way is tried first (`_through_relaxation`): the relaxation's own
leximin, one linear program per level, then compositions whose mixture attains it, from the
decomposition of its point and a master that weighs them. Every mixture of compositions is a
point of the relaxation, so none is leximin-better than the relaxation's leximin: where a
mixture attains it, it is the leximin, proved without a search per level. Where none does,
the levels are found one by one as above.

Applicants with the same attributes and the same choices form one *type* and share a chance, so
the programs work on types: a composition is how many of each type sit in each track. Pure
Python, no Django; the problem comes as a `TypeProblem` (see `lottery.py` for the instance of
the composition engine).
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np
from ortools.sat.python import cp_model

# Probabilities closer than this are equal; duals larger than FIX_EPS fix their type.
EPS = 1e-7
FIX_EPS = 1e-6
# The pricing's dive searches the fractional cells and this many more of the smallest reduced
# cost; after each composition that helps, up to EXTRA more with its types' weights lowered.
NEIGHBOURS = 100
EXTRA = 10
# From this many types on, the relaxation's leximin is tried first (`_through_relaxation`),
# and each level of the level-by-level search starts from the decomposition of the
# relaxation's optimum (one search per step, about one step per cell); below, column
# generation alone reaches the levels sooner (the published instances, 47 and 122 types:
# 0.3 s and 1.0 s level by level, 0.4 s and 1.1 s through the relaxation).
DECOMPOSE_FROM = 200
# A mixture of compositions that gives every type its level of the relaxation's leximin less
# at most this attains it: the levels are kept less EPS each as they are fixed, and the
# decomposition's rounding adds to that.
ATTAINED = 1e-6
# A step's search for a composition on a face gives up after this long (a face without one
# is usually proved so at once).
SEARCH_SECONDS = 10.0


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
    # Whether the levels are the linear relaxation's, attained by a mixture of compositions
    # (`_through_relaxation`), rather than found level by level by column generation.
    relaxation: bool = False


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
        self.lower = np.array(relaxed.col_lower_)
        self.upper = np.array(relaxed.col_upper_)
        self.rows = len(relaxed.row_lower_)
        matrix = relaxed.a_matrix_
        starts = np.array(matrix.start_)
        index, owner = (
            np.array(matrix.index_),
            np.repeat(np.arange(len(starts) - 1), np.diff(starts)),
        )
        rowwise = matrix.format_ == highspy.MatrixFormat.kRowwise
        # (row, column, coefficient) of every entry of the constraint matrix.
        self._entries = (
            owner if rowwise else index,
            index if rowwise else owner,
            np.array(matrix.value_),
        )
        self._base_rows = (np.array(relaxed.row_lower_), np.array(relaxed.row_upper_))
        self.face = (self.lower, self.upper)
        self.restricted = False

    def restrict(self, weights: np.ndarray) -> None:
        """From now on only the compositions on the face where the linear relaxation's
        Σ weight[t] × (type-t seated) / size[t] is largest: the cells whose reduced cost is not
        zero keep their value there, the rows whose dual is not zero stay at their bound (by
        complementary slackness exactly the relaxation's optimal face). A leximin level whose
        value equals the relaxation's has all its compositions on that face, for the
        relaxation's dual weights."""
        relaxed = self.relaxed
        relaxed.changeColsCost(
            len(self.keys), np.arange(len(self.keys), dtype=np.int32), self._costs(weights)
        )
        relaxed.run()
        solution = relaxed.getSolution()
        values, reduced = np.array(solution.col_value), np.array(solution.col_dual)
        lower, upper = self.lower.copy(), self.upper.copy()
        stuck = np.abs(reduced) > 1e-9
        lower[stuck] = upper[stuck] = np.round(values[stuck])
        every = np.arange(len(lower), dtype=np.int32)
        for model in (self.h, relaxed):
            model.changeColsBounds(len(every), every, lower, upper)
        self.face = (lower, upper)
        duals, activity = np.array(solution.row_dual), np.array(solution.row_value)
        for i in np.flatnonzero(np.abs(duals[: self.rows]) > 1e-9):
            bound = float(round(activity[i]))
            for model in (self.h, relaxed):
                model.changeRowBounds(int(i), bound, bound)
        self.restricted = True

    def unrestrict(self) -> None:
        """Every composition again: the bounds as built (see `restrict`)."""
        every = np.arange(len(self.lower), dtype=np.int32)
        rows = np.arange(self.rows, dtype=np.int32)
        for model in (self.h, self.relaxed):
            model.changeColsBounds(len(every), every, self.lower, self.upper)
            model.changeRowsBounds(len(rows), rows, *self._base_rows)
        self.face = (self.lower, self.upper)
        self.restricted = False

    def _activity(self, values: np.ndarray) -> np.ndarray:
        rows, columns, coefficients = self._entries
        return np.bincount(rows, weights=coefficients * values[columns], minlength=self.rows)

    def decompose(
        self, point: np.ndarray, *, steps: int, deadline: float | None = None
    ) -> list[Composition]:
        """Compositions whose mixture is `point`, a point of the linear relaxation (its
        columns), by Carathéodory's construction: a composition on the smallest face that holds
        the point, then the point moved away from it to the face's edge, where one more bound
        holds; and again, until the point is whole or a face has no composition or `steps` run
        out. Where the relaxation's faces are whole (often, for quotas), this is the mixture;
        else the compositions found are still a good start for the master. Stops early at
        `deadline` (a `time.perf_counter()` reading)."""
        lower0, upper0 = self.lower, self.upper
        row_lower0, row_upper0 = self._base_rows
        every = np.arange(len(lower0), dtype=np.int32)
        rows = np.arange(self.rows, dtype=np.int32)
        found: list[Composition] = []
        self.relaxed.changeColsCost(len(every), every, np.zeros(len(every)))
        tolerance = 1e-9
        x = np.clip(np.array(point, dtype=float), lower0, upper0)
        for _ in range(steps):
            if deadline is not None and time.perf_counter() > deadline:
                break
            activity = self._activity(x)
            lower, upper = lower0.copy(), upper0.copy()
            low, high = x <= lower0 + tolerance, x >= upper0 - tolerance
            upper[low], lower[high] = lower0[low], upper0[high]
            row_lower, row_upper = row_lower0.copy(), row_upper0.copy()
            low, high = activity <= row_lower0 + tolerance, activity >= row_upper0 - tolerance
            row_upper[low], row_lower[high] = row_lower0[low], row_upper0[high]
            vertex = self._whole_point(every, rows, (lower, upper), (row_lower, row_upper))
            if vertex is None:
                break
            composition = self._composition(vertex)
            if composition not in found:
                found.append(composition)
            direction = x - vertex
            if np.abs(direction).max() <= 1e-7:
                break
            # Only the bounds not yet holding can stop the move: on the ones that hold, the
            # direction is zero but for rounding, which must not stop it at once.
            loose, open_rows = upper > lower, row_upper > row_lower
            step = _largest_step(x[loose], direction[loose], lower0[loose], upper0[loose])
            step = min(
                step,
                _largest_step(
                    activity[open_rows],
                    self._activity(direction)[open_rows],
                    row_lower0[open_rows],
                    row_upper0[open_rows],
                ),
            )
            if not np.isfinite(step) or step <= 0:
                break
            x = np.clip(x + step * direction, lower0, upper0)
        self.unrestrict()
        return found

    def _whole_point(self, every, rows, bounds, row_bounds) -> np.ndarray | None:
        """A whole point within the bounds, or None: the relaxation's vertex when it is whole,
        else a search over the vertex's fractional cells and NEIGHBOURS cells more that the
        bounds leave free, the others kept; else over every cell the bounds leave free."""
        relaxed = self.relaxed
        relaxed.changeColsBounds(len(every), every, *bounds)
        relaxed.changeRowsBounds(len(rows), rows, *row_bounds)
        relaxed.run()
        if not _has_solution(relaxed):
            return None
        values = np.array(relaxed.getSolution().col_value)
        whole = np.abs(values - np.round(values)) <= 1e-9
        if not whole.all():
            loose = bounds[1] > bounds[0]
            free = ~whole
            some = np.flatnonzero(loose & whole)
            free[some[:: max(1, len(some) // NEIGHBOURS)][:NEIGHBOURS]] = True
            found = self._search(free, np.round(values), bounds, row_bounds)
            if found is None:
                found = self._search(loose, np.round(values), bounds, row_bounds)
            if found is None:
                return None
            values = found
        vertex = np.round(values)
        return vertex if valid(self.problem, self._composition(vertex)) else None

    def _search(self, free, values, bounds, row_bounds) -> np.ndarray | None:
        """A whole point within the bounds with the columns not `free` kept at `values`, or
        None: CP-SAT on the free columns alone, without its presolve. For finding a point
        rather than the best one, that takes about a tenth of HiGHS's MIP on the large pool's
        faces, where the MIP's start-up (cuts at the root) costs more than the search."""
        entry_rows, entry_columns, coefficients = self._entries
        base = self._activity(np.where(free, 0.0, values))
        inside = free[entry_columns]
        order = np.argsort(entry_rows[inside], kind="stable")
        entry_rows = entry_rows[inside][order]
        entry_columns = entry_columns[inside][order]
        coefficients = np.round(coefficients[inside][order]).astype(np.int64)
        row_lower, row_upper = row_bounds[0] - base, row_bounds[1] - base
        touched = np.zeros(self.rows, dtype=bool)
        touched[entry_rows] = True
        if (row_lower[~touched] > 1e-6).any() or (row_upper[~touched] < -1e-6).any():
            return None
        columns = np.flatnonzero(free)
        position = np.full(len(free), -1, dtype=np.int64)
        position[columns] = np.arange(len(columns))
        model = cp_model.CpModel()
        for low, high in zip(
            np.round(bounds[0][columns]).astype(np.int64).tolist(),
            np.round(bounds[1][columns]).astype(np.int64).tolist(),
            strict=True,
        ):
            model.proto.variables.add().domain.extend([low, high])
        starts = np.searchsorted(entry_rows, np.arange(self.rows + 1))
        for i in np.flatnonzero(touched).tolist():
            linear = model.proto.constraints.add().linear
            linear.vars.extend(position[entry_columns[starts[i] : starts[i + 1]]].tolist())
            linear.coeffs.extend(coefficients[starts[i] : starts[i + 1]].tolist())
            low, high = row_lower[i], row_upper[i]
            linear.domain.extend(
                [
                    math.ceil(low - 1e-6) if np.isfinite(low) else cp_model.INT_MIN,
                    math.floor(high + 1e-6) if np.isfinite(high) else cp_model.INT_MAX,
                ]
            )
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 0
        solver.parameters.cp_model_presolve = False
        solver.parameters.max_time_in_seconds = SEARCH_SECONDS
        if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        found = values.copy()
        found[columns] = solver.response_proto.solution
        return found

    def _costs(self, weights) -> np.ndarray:
        sizes = self.problem.sizes
        return np.array([weights[t] / sizes[t] for t, _r in self.keys])

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
        costs = self._costs(weights)
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
        if _has_solution(h):
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
        it is whole, else the MIP over its fractional cells with the other cells kept, then
        over those and the NEIGHBOURS cells of the smallest reduced cost; empty when neither
        finds one."""
        whole = np.abs(relaxed - np.round(relaxed)) <= 1e-9
        if whole.all():
            composition = self._composition(relaxed)
            return [composition] if valid(self.problem, composition) else []
        h, count = self.h, len(self.keys)
        cells = np.arange(count, dtype=np.int32)
        reduced = np.abs(np.array(self.relaxed.getSolution().col_dual[:count]))
        h.changeColsCost(count, cells, costs)
        h.setOptionValue("objective_target", enough)
        found = []
        for neighbours in (0, NEIGHBOURS):
            free = ~whole
            free[np.argsort(reduced, kind="stable")[:neighbours]] = True
            kept = cells[~free]
            h.changeColsBounds(len(kept), kept, np.round(relaxed[kept]), np.round(relaxed[kept]))
            h.run()
            if _has_solution(h) and h.getInfo().objective_function_value >= enough:
                found = [self._composition(h.getSolution().col_value)]
            lower, upper = self.face
            h.changeColsBounds(count, cells, lower[:count], upper[:count])
            if found:
                break
        return found

    def _composition(self, values) -> Composition:
        return tuple(
            (key, round(values[i])) for i, key in enumerate(self.keys) if round(values[i]) > 0
        )


class _Bound:
    """The master over the linear relaxation of the compositions instead of the compositions
    found (HiGHS): the largest z such that some point of the relaxation gives every open type
    at least z and every fixed one its level. No composition does better, so its z bounds the
    level from above; when the master reaches it, the level is found, and the bound's duals
    are duals of the master too: the types they weigh are the ones fixed."""

    def __init__(self, pricing: _Pricing) -> None:
        problem = pricing.problem
        self.types = len(problem.sizes)
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        # As in the master: a fixed level is kept less EPS, which HiGHS's default tolerance
        # (1e-7) would blur; seen taken for infeasible after a few levels.
        h.setOptionValue("primal_feasibility_tolerance", 1e-9)
        h.setOptionValue("dual_feasibility_tolerance", 1e-9)
        h.passModel(pricing.relaxed.getLp())
        h.changeColsCost(
            len(pricing.keys),
            np.arange(len(pricing.keys), dtype=np.int32),
            np.zeros(len(pricing.keys)),
        )
        h.addVar(0.0, 1.0)
        self.z = h.getNumCol() - 1
        h.changeColCost(self.z, 1.0)
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.first_row = h.getNumRow()
        for t, size in enumerate(problem.sizes):
            cells = [pricing.index[t, r] for r in problem.tracks[t]]
            h.addRow(
                0.0,
                highspy.kHighsInf,
                len(cells) + 1,
                np.array([*cells, self.z], dtype=np.int32),
                np.array([1.0 / size] * len(cells) + [-1.0]),
            )
        self.h = h

    def fix(self, t: int, level: float) -> None:
        self.h.changeCoeff(self.first_row + t, self.z, 0.0)
        self.h.changeRowBounds(self.first_row + t, level - EPS, highspy.kHighsInf)

    def solve(self) -> tuple[float, np.ndarray] | None:
        """(z, each type's dual weight, ≥ 0), or None when HiGHS finds no optimum."""
        h = self.h
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            # The simplex from the last basis can stop without a verdict after bounds changed
            # (HiGHS: "Unknown", seen once every type was fixed): then again from scratch.
            h.clearSolver()
            h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        solution = h.getSolution()
        duals = -np.array(solution.row_dual[self.first_row :])
        self.point = np.array(solution.col_value[: self.z])
        return h.getInfo().objective_function_value, np.maximum(duals, 0.0)


class _Master:
    """The master LP over the compositions found so far (HiGHS), kept between solves so that
    each one starts from the last basis: a row per type (Σ weight × chance ≥ z while the type
    is open, ≥ its level once fixed), Σ weight = 1; column 0 is z."""

    def __init__(self, sizes: tuple[int, ...], *, interior: bool = False) -> None:
        self.sizes = sizes
        self.compositions: list[Composition] = []
        self.known: set[Composition] = set()
        self.generated = 0  # in all, dropped ones too
        # Primal simplex goes on well from the last basis after a new column; after bounds
        # changed (a level fixed) dual simplex does; after many new columns at once, the
        # interior point method from scratch is faster than either (on the large pool's second
        # level, 16 s where dual simplex took 80 s).
        self.next_strategy = 4
        self.afresh = False
        # Every solve by the interior point method without crossover (`_through_relaxation`:
        # one master of a thousand compositions and more, where crossover took from 1.5 to 3.5
        # times as long as the method itself); the weights and duals are then central ones.
        self.interior = interior
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
        self.generated += 1
        counts = type_counts(composition, len(self.sizes))
        rows = [t for t, count in enumerate(counts) if count]
        values = [counts[t] / self.sizes[t] for t in rows] + [1.0]
        rows.append(len(self.sizes))
        self.h.addCol(0.0, 0.0, 1.0, len(rows), np.array(rows, dtype=np.int32), np.array(values))
        return True

    def prune(self, weights: np.ndarray) -> None:
        """Drops the compositions of no weight in the last solve (`weights`, in order): the
        ones left still hold every level, and the master stays small; a dropped one comes back
        if the pricing finds it again."""
        idle = [j for j, weight in enumerate(weights) if weight <= 1e-12]
        if not idle:
            return
        self.h.deleteCols(len(idle), np.array([j + 1 for j in idle], dtype=np.int32))
        for j in idle:
            self.known.discard(self.compositions[j])
        gone = set(idle)
        self.compositions = [c for j, c in enumerate(self.compositions) if j not in gone]

    def fix(self, t: int, level: float) -> None:
        """Type t keeps at least `level` from now on, and no longer counts for z."""
        self.next_strategy = 1
        self.h.changeCoeff(t, 0, 0.0)
        self.h.changeRowBounds(t, level - EPS, highspy.kHighsInf)

    def settle(self, fixed: dict[int, float]) -> None:
        """For the last solve, once every type is fixed: each type at its level less z, the
        smallest such z (the levels were met only within EPS while they were being found)."""
        for t, level in fixed.items():
            self.h.changeCoeff(t, 0, 1.0)
            self.h.changeRowBounds(t, level, highspy.kHighsInf)
        self.h.changeColCost(0, 1.0)

    def many_added(self) -> None:
        """Many compositions were added at once: the next solve starts afresh."""
        self.h.clearSolver()
        self.afresh = True

    def solve(self) -> tuple[float, np.ndarray, np.ndarray, float]:
        """Maximise z: (z, weights of the compositions, the duals of the type rows, the dual of
        Σ weight = 1)."""
        h = self.h
        h.setOptionValue("simplex_strategy", self.next_strategy)
        h.setOptionValue("solver", "ipm" if self.afresh or self.interior else "simplex")
        h.setOptionValue("run_crossover", "off" if self.interior else "on")
        self.next_strategy, self.afresh = 4, False
        h.run()
        h.setOptionValue("solver", "simplex")
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            # Primal simplex from the last basis can stop without a verdict after a bound
            # changed (HiGHS: "Unknown"): then dual simplex from scratch.
            h.setOptionValue("simplex_strategy", 1)
            h.clearSolver()
            h.run()
            h.setOptionValue("simplex_strategy", 4)
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise Infeasible("the master problem has no solution")
        solution = h.getSolution()
        values = np.array(solution.col_value)
        row_duals = np.array(solution.row_dual)
        types = len(self.sizes)
        return float(values[0]), values[1:], row_duals[:types], float(row_duals[types])


def leximin(
    problem: TypeProblem,
    *,
    max_rounds: int = 100_000,
    seconds: float | None = None,
    on_level: Callable[[int, int, float, int], None] | None = None,
    relaxation_first: bool | None = None,
) -> Distribution:
    """The leximin distribution over compositions (see the module's docstring).

    With `relaxation_first` (by default from DECOMPOSE_FROM types on), the relaxation's
    leximin first, where compositions attain it (`_through_relaxation`); else, and where they
    do not, level by level. After each level, `on_level` (if given) gets the types fixed so
    far, all types, the level's chance and the compositions generated so far. Raises
    Infeasible when no composition meets the quotas, and OutOfTime when `seconds` run out
    first.
    """
    started = time.perf_counter()
    deadline = None if seconds is None else started + seconds
    types = len(problem.sizes)
    pricing = _Pricing(problem)
    master = _Master(problem.sizes)
    fixed, impossible = _cover(problem, pricing, master)
    if relaxation_first is None:
        relaxation_first = types >= DECOMPOSE_FROM
    attained = _through_relaxation(pricing, fixed, deadline) if relaxation_first else None
    if attained is not None:
        found, settled, weights = attained
        if on_level is not None:
            for count, level in found:
                on_level(count, types, level, settled.generated)
        return _distribution(problem, settled, weights, impossible, len(found), relaxation=True)
    levels = 0
    rounds = 0
    bound = _Bound(pricing)
    for t, level in fixed.items():
        master.fix(t, level)
        bound.fix(t, level)
    while len(fixed) < types:
        open_types = [t for t in range(types) if t not in fixed]
        # The relaxation's bound ends the level as soon as the master reaches it; until then
        # the pricing looks only on the face where every leximin composition then lies. Should
        # it find nothing there below the bound, the bound is not reached: the face is lifted
        # and the level ends, as in the paper, when no composition helps.
        relaxation = bound.solve()
        if relaxation is not None:
            # Many compositions at once where the master is short of the bound: the ones whose
            # mixture is the relaxation's optimum, as far as the relaxation's faces are whole.
            z, weights, _duals, _sum = master.solve()
            if types >= DECOMPOSE_FROM and z < relaxation[0] - EPS:
                master.prune(weights)
                for composition in pricing.decompose(
                    bound.point, steps=2 * len(pricing.keys), deadline=deadline
                ):
                    master.add(composition)
                master.many_added()
            pricing.restrict(relaxation[1])
        while True:
            rounds += 1
            if rounds > max_rounds:
                raise RuntimeError("column generation did not converge")
            z, _weights, duals, sum_dual = master.solve()
            if deadline is not None and time.perf_counter() > deadline:
                raise OutOfTime(len(fixed), types, z, master.generated)
            if relaxation is not None and z >= relaxation[0] - EPS:
                duals = relaxation[1]
                break
            # A composition P lowers the objective when Σ_t chance_P[t] * dual[t] + sum_dual > 0
            # (HiGHS: reduced cost = cost - Aᵀ·dual, and a composition's cost is 0). The
            # pricing stops at the first composition that helps, or proves that none does;
            # every other composition it met on the way that would help joins the master too,
            # and so do the ones found with the weights of the types already seated lowered
            # (the paper's heuristic), while they help.
            added = _price(pricing, master, duals, sum_dual)
            if not added and pricing.restricted:
                pricing.unrestrict()
                relaxation = None
                continue
            if not added:
                break
        if pricing.restricted:
            pricing.unrestrict()
        levels += 1
        for t in _newly_fixed(open_types, z, duals):
            fixed[t] = z
            master.fix(t, z)
            bound.fix(t, z)
        if on_level is not None:
            on_level(len(fixed), types, z, master.generated)
    master.settle(fixed)
    _z, weights, _duals, _sum = master.solve()
    return _distribution(problem, master, weights, impossible, levels, relaxation=False)


def _cover(
    problem: TypeProblem, pricing: _Pricing, master: _Master
) -> tuple[dict[int, float], set[int]]:
    """The start: compositions into `master` so that every type that any composition seats is
    seated by one; returns the types whose chance is known already (a type that every
    composition seats in full, a lock, has 1; one that no composition can seat has 0) and the
    latter on their own. Raises Infeasible when there is no composition at all."""
    types = len(problem.sizes)
    first = pricing.best([0.0] * types)
    if not first:
        raise Infeasible("no composition meets every quota and rule")
    master.add(first[0])
    fixed = {t: 1.0 for t in range(types) if problem.is_required(t)}
    impossible: set[int] = set()
    # Compositions that seat as many types not yet covered as they can, then one try for each
    # type still left.
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
    return fixed, impossible


def _through_relaxation(
    pricing: _Pricing, fixed: dict[int, float], deadline: float | None
) -> tuple[list[tuple[int, float]], _Master, np.ndarray] | None:
    """The leximin of the linear relaxation, where a mixture of compositions attains it: then
    it is the compositions' leximin too, since every mixture of compositions is a point of
    the relaxation and none can be leximin-better than the relaxation's best.

    The relaxation's levels come from the same fixing as the compositions' (each a linear
    program, `_Bound`: about a second for all 22 levels of the large pool); the mixture from
    the decomposition of the point that meets every level (`_Pricing.decompose`) and a master
    that weighs its compositions so that each type gets its level less ATTAINED at most,
    with column generation on that master where it falls short. Returns (types fixed and
    chance, per level), the master and its weights; or None where no mixture attains the
    levels (the relaxation promises more than compositions give), HiGHS finds no optimum or
    the deadline passes."""
    bound = _Bound(pricing)
    relaxed = _relaxation_levels(bound, fixed)
    if relaxed is None or bound.solve() is None:
        return None
    levels, found = relaxed
    master = _Master(pricing.problem.sizes, interior=True)
    for composition in pricing.decompose(
        bound.point, steps=2 * len(pricing.keys), deadline=deadline
    ):
        master.add(composition)
    if not master.compositions:
        return None
    master.settle(levels)
    master.many_added()
    while True:
        shortfall, weights, duals, sum_dual = master.solve()
        if shortfall <= ATTAINED:
            return found, master, weights
        if deadline is not None and time.perf_counter() > deadline:
            return None
        if not _price(pricing, master, duals, sum_dual):
            return None


def _relaxation_levels(
    bound: _Bound, fixed: dict[int, float]
) -> tuple[dict[int, float], list[tuple[int, float]]] | None:
    """The relaxation's leximin: each type's level, and per level the types fixed by then
    and its chance; None where HiGHS finds no optimum. Side effect: `bound` holds every
    level, so its next solve gives a point that meets them all."""
    types = bound.types
    levels = dict(fixed)
    for t, level in fixed.items():
        bound.fix(t, level)
    found: list[tuple[int, float]] = []
    while len(levels) < types:
        solved = bound.solve()
        if solved is None:
            return None
        z, duals = solved
        for t in _newly_fixed([t for t in range(types) if t not in levels], z, duals):
            levels[t] = z
            bound.fix(t, z)
        found.append((len(levels), z))
    return levels, found


def relaxation_leximin(problem: TypeProblem) -> list[float]:
    """Each type's chance in the leximin of the compositions' linear relaxation: a bound
    that no lottery beats in leximin order, since every mixture of compositions is a point of
    the relaxation. For checking a lottery from outside: where its chances equal these, it is
    the leximin. Raises Infeasible where HiGHS finds no optimum."""
    fixed = {t: 1.0 for t in range(len(problem.sizes)) if problem.is_required(t)}
    relaxed = _relaxation_levels(_Bound(_Pricing(problem)), fixed)
    if relaxed is None:
        raise Infeasible("the linear relaxation has no solution")
    levels, _found = relaxed
    return [levels[t] for t in range(len(problem.sizes))]


def _newly_fixed(open_types: list[int], z: float, duals: np.ndarray) -> list[int]:
    """The types a level of chance z fixes: every open one when z is 1 (no chance is more),
    else the ones of positive dual weight (by complementary slackness no leximin solution
    gives them more), or the one of the largest where the duals are numerically flat."""
    if z >= 1.0 - EPS:
        return open_types
    newly = [t for t in open_types if duals[t] > FIX_EPS]
    return newly or [max(open_types, key=lambda t: duals[t])]


def _has_solution(model: highspy.Highs) -> bool:
    return model.getInfo().primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible


def _largest_step(x: np.ndarray, direction: np.ndarray, lower, upper) -> float:
    """The largest s ≥ 0 with lower ≤ x + s × direction ≤ upper (where x is past a bound by
    rounding, as far as it already is)."""
    rising, falling = direction > 1e-10, direction < -1e-10
    steps = [np.inf]
    if rising.any():
        room = np.maximum(upper[rising] - x[rising], 0.0)
        steps.append(float((room / direction[rising]).min()))
    if falling.any():
        room = np.minimum(lower[falling] - x[falling], 0.0)
        steps.append(float((room / direction[falling]).min()))
    return min(steps)


def _price(pricing: _Pricing, master: _Master, duals: np.ndarray, sum_dual: float) -> int:
    """Adds the compositions that would raise the master's z (see `leximin`): how many."""
    types, sizes = len(duals), pricing.problem.sizes
    enough = -sum_dual + 2 * EPS

    def helps(candidate: Composition) -> bool:
        counts = type_counts(candidate, types)
        gain = sum(duals[t] * counts[t] / sizes[t] for t in range(types) if counts[t])
        return gain + sum_dual > EPS and master.add(candidate)

    found = pricing.best(list(duals), enough=enough)
    added = sum(helps(candidate) for candidate in found)
    weights = np.array(duals, dtype=float)
    for _ in range(EXTRA if added else 0):
        for t in _seated(found[0], types):
            weights[t] *= 0.8
        found = pricing.best(list(weights), enough=enough)
        if not found or not helps(found[0]):
            break
        added += 1
    return added


def _seated(composition: Composition, types: int) -> set[int]:
    return {t for t, count in enumerate(type_counts(composition, types)) if count}


def _distribution(
    problem: TypeProblem,
    master: _Master,
    weights: np.ndarray,
    impossible: set[int],
    levels: int,
    *,
    relaxation: bool,
) -> Distribution:
    """The distribution of the settled master's `weights` (the ones above 1e-9, rescaled)."""
    keep = [j for j, w in enumerate(weights) if w > 1e-9]
    total = float(sum(weights[j] for j in keep))
    compositions = [master.compositions[j] for j in keep]
    probabilities = [float(weights[j]) / total for j in keep]
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
        generated=master.generated,
        relaxation=relaxation,
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
