"""Solving the model level by level: each level of the objective is optimised in turn and then
held at its optimum while the next is optimised (a lexicographic objective, solved exactly)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from handlespor.engine.cpsat import Model
from handlespor.engine.lot import equally_good_alternatives, lot_draw
from handlespor.engine.models import Assignment, Instance
from handlespor.engine.validate import MINIMISED, objective

Progress = Callable[[str, float], None]


@dataclass
class Solved:
    status: str  # optimal, feasible or infeasible
    assignment: Assignment = field(default_factory=dict)
    objective: dict[str, int] = field(default_factory=dict)
    gap: float | None = None
    seconds: float = 0.0


def _solver(instance: Instance, seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.05)
    solver.parameters.num_workers = instance.settings.workers
    solver.parameters.random_seed = instance.settings.seed
    return solver


STAGE_LIMIT = 2**53  # combined weights stay well inside CP-SAT's 64-bit objective


BALANCE = {"min_seats", "targets"}


def stages(built: Model, order: list[str]) -> list[list[str]]:
    """Consecutive levels grouped so that one weighted objective per group is exactly
    lexicographic: each level's weight exceeds everything the later levels can add. The balance
    levels and the choice levels go in separate groups (measured faster than one group or five).
    The seeded lot is not a level: it picks among the optimal compositions afterwards."""
    groups: list[list[str]] = []
    product = STAGE_LIMIT
    previous_balance = None
    for level in order:
        span = built.level_range[level] + 1
        balance = level in BALANCE
        if product * span >= STAGE_LIMIT or balance != previous_balance:
            groups.append([])
            product = 1
        groups[-1].append(level)
        product *= span
        previous_balance = balance
    return groups


def _stage_objective(built: Model, levels: list[str]) -> cp_model.LinearExpr:
    """The levels of a stage as one expression to minimise."""
    expression, weight = 0, 1
    for level in reversed(levels):
        sign = 1 if level in MINIMISED else -1
        expression = expression + sign * weight * built.levels[level]
        weight *= built.level_range[level] + 1
    return expression


def _one_stage(built: Model, order: list[str]) -> bool:
    """Whether every level fits one exactly lexicographic weighted objective."""
    product = 1
    for level in order:
        product *= built.level_range[level] + 1
    return product < STAGE_LIMIT


# The deterministic time (the solver's own measure of work, the same on every run) that one
# weighted solve of all levels may take before the levels are solved in stages instead. Pools
# with many equally good compositions are proven within it (1,000 applicants over 4 tracks took
# about 0.08); pools whose targets conflict are not, and are faster in stages.
ONE_STAGE_WORK = 0.25


def solve(instance: Instance, progress: Progress | None = None) -> tuple[Model, Solved]:
    """The lexicographic optimum of the instance, with the seeded lot's pick among equally good
    compositions, or an infeasible result."""
    started = time.perf_counter()
    built = Model(instance).build()
    order = list(instance.settings.order)
    groups = stages(built, order)
    status, gap, assignment = "optimal", None, None
    if len(groups) > 1 and _one_stage(built, order):
        # First one solve of every level, for a little work; when it proves the optimum, that
        # is the result, else its best composition is the next stages' starting point.
        built.model.minimize(_stage_objective(built, order))
        solver = _solver(instance, instance.settings.time_limit / len(groups))
        solver.parameters.max_deterministic_time = ONE_STAGE_WORK
        result = solver.solve(built.model)
        if progress:
            progress("+".join(order), time.perf_counter() - started)
        if result in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
            return built, Solved("infeasible", seconds=time.perf_counter() - started)
        if result in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            assignment = built.assignment(solver)
        if result == cp_model.OPTIMAL:
            groups = []
    for index, levels in enumerate(groups):
        expression = _stage_objective(built, levels)
        built.model.minimize(expression)
        if assignment is not None:
            built.hint(assignment)
        remaining = instance.settings.time_limit - (time.perf_counter() - started)
        solver = _solver(instance, remaining / (len(groups) - index))
        result = solver.solve(built.model)
        if progress:
            progress("+".join(levels), time.perf_counter() - started)
        if result in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID) or (
            result == cp_model.UNKNOWN and assignment is None
        ):
            return built, Solved("infeasible", seconds=time.perf_counter() - started)
        if result == cp_model.UNKNOWN:
            status = "feasible"
            break
        assignment = built.assignment(solver)
        value = round(solver.objective_value)
        if result != cp_model.OPTIMAL:
            status = "feasible"
            bound = solver.best_objective_bound
            gap = gap if gap is not None else abs(value - bound) / max(1.0, abs(value))
        if index < len(groups) - 1:
            # Hold this stage at what was found while the next is optimised.
            built.model.add(
                expression == value if result == cp_model.OPTIMAL else expression <= value
            )
    assert assignment is not None
    assignment = lot_draw(instance, assignment)
    return built, Solved(
        status,
        assignment=assignment,
        objective=objective(instance, assignment),
        gap=gap,
        seconds=time.perf_counter() - started,
    )


def alternatives(
    instance: Instance, built: Model, best: Solved, seconds: float
) -> list[tuple[Assignment, dict[str, int]]]:
    """Up to k compositions that differ from the best and from each other in at least m seats.
    First those exactly as good as the best, found by exchanges (no solver needed where ties
    abound); then, for the rest, the solver's, with the balance (min seats, targets) and the
    preferences and scores within the tolerance of the best."""
    settings = instance.settings
    equal = equally_good_alternatives(
        instance, best.assignment, settings.alternatives, settings.alternative_min_difference
    )
    found = [(assignment, best.objective) for assignment in equal]
    if len(found) == settings.alternatives:
        return found
    tolerance = settings.alternative_tolerance / 100
    model = built.model
    model.clear_hints()
    for level in ("min_seats", "targets"):
        if built.level_terms[level]:
            ceiling = best.objective[level] + int(best.objective[level] * tolerance)
            model.add(built.levels[level] <= ceiling)
    for level in ("preferences", "scores"):
        if built.level_terms[level]:
            floor = best.objective[level] - int(best.objective[level] * tolerance)
            model.add(built.levels[level] >= floor)
    # Prefer, among the alternatives, those closest to the best by preferences, then scores.
    weight = sum(t.max_seats for t in instance.tracks) * 100 * 5 + 1
    model.maximize(weight * built.levels["preferences"] + built.levels["scores"])
    started = time.perf_counter()
    for latest in [best.assignment, *equal]:
        _differ(built, latest, settings.alternative_min_difference)
    for _ in range(settings.alternatives - len(found)):
        remaining = seconds - (time.perf_counter() - started)
        if remaining <= 0:
            break
        solver = _solver(instance, remaining)
        result = solver.solve(model)
        if result not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        assignment = built.assignment(solver)
        found.append((assignment, objective(instance, assignment)))
        _differ(built, assignment, settings.alternative_min_difference)
    return found


def _differ(built: Model, assignment: Assignment, seats_at_least: int) -> None:
    """Every later solution differs from this composition in at least so many seats."""
    seats = [built.x[a, t] for t, members in assignment.items() for a in members]
    built.model.add(sum(seats) <= len(seats) - seats_at_least)
