"""The public lottery from a leximin distribution: rounded to m equally likely compositions (so
the draw is "pick a number from 1 to m"), the draw from a seed anyone can repeat, and the
solver-free check of the table. Pure Python, no Django.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from ortools.sat.python import cp_model

from handlespor.engine.leximin import Composition, Distribution, TypeProblem, type_counts, valid

DEFAULT_M = 1000
SCALE = 1000  # the rounding's integer units: 1 / (SCALE * m) of a probability


@dataclass(frozen=True)
class Table:
    """m equally likely compositions, numbered 1..m in `rows` order; `chance` is each type's
    chance under the table, and `largest_change` the most any type's chance moved from the
    leximin distribution's."""

    rows: tuple[Composition, ...]
    chance: tuple[float, ...]
    largest_change: float

    @property
    def m(self) -> int:
        return len(self.rows)


def _largest_remainder(weights: list[float], m: int) -> list[int]:
    counts = [math.floor(w * m) for w in weights]
    order = sorted(range(len(weights)), key=lambda j: (-(weights[j] * m - counts[j]), j))
    for j in order[: m - sum(counts)]:
        counts[j] += 1
    return counts


def table_round(problem: TypeProblem, distribution: Distribution, *, m: int = DEFAULT_M) -> Table:
    """Round the distribution to m equally likely compositions, each composition's share moved
    to the floor or ceiling of m times its weight, so that the largest change of any type's
    chance is as small as possible (CP-SAT; the largest-remainder rounding is its start)."""
    types = len(problem.sizes)
    weights = distribution.weights
    counts_of = [type_counts(c, types) for c in distribution.compositions]
    model = cp_model.CpModel()
    shares = [
        model.new_int_var(math.floor(w * m), math.ceil(w * m), f"c{j}")
        for j, w in enumerate(weights)
    ]
    model.add(sum(shares) == m)
    worst = model.new_int_var(0, SCALE * m, "worst")
    for t in range(types):
        seated = [
            SCALE * counts[t] * share for counts, share in zip(counts_of, shares, strict=True)
        ]
        target = round(SCALE * m * problem.sizes[t] * distribution.chance[t])
        model.add(sum(seated) - target <= worst * problem.sizes[t])
        model.add(target - sum(seated) <= worst * problem.sizes[t])
    model.minimize(worst)
    for share, start in zip(shares, _largest_remainder(weights, m), strict=True):
        model.add_hint(share, start)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = 20.0
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        counts = [solver.value(share) for share in shares]
    else:
        counts = _largest_remainder(weights, m)
    order = sorted(range(len(counts)), key=lambda j: distribution.compositions[j])
    rows = tuple(distribution.compositions[j] for j in order for _ in range(counts[j]))
    chance = table_chance(problem, rows)
    change = max(
        (abs(a - b) for a, b in zip(chance, distribution.chance, strict=True)), default=0.0
    )
    return Table(rows=rows, chance=tuple(chance), largest_change=change)


def table_chance(problem: TypeProblem, rows: tuple[Composition, ...]) -> list[float]:
    """Each type's chance when one of the rows is drawn, each as likely."""
    types = len(problem.sizes)
    seated = [0] * types
    for row in rows:
        for t, count in enumerate(type_counts(row, types)):
            seated[t] += count
    return [seated[t] / (problem.sizes[t] * len(rows)) for t in range(types)]


def lottery_number(seed: str, m: int) -> int:
    """The number drawn, 1..m: the SHA-256 of the seed's UTF-8 bytes as a big-endian integer,
    modulo m, plus one. Anyone can repeat it, e.g. with Python's hashlib."""
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    return int.from_bytes(digest, "big") % m + 1


def table_problems(problem: TypeProblem, rows: tuple[Composition, ...]) -> list[str]:
    """What is wrong with a table, without a solver: each row must meet every quota and rule,
    and the chances, weighted by the types' sizes, must add up to the seats."""
    found = [f"row {number}" for number, row in enumerate(rows, start=1) if not valid(problem, row)]
    chance = table_chance(problem, rows) if rows else []
    seated = sum(c * s for c, s in zip(chance, problem.sizes, strict=False))
    if rows and abs(seated - sum(problem.seats)) > 1e-9:
        found.append(f"the chances add up to {seated}, not {sum(problem.seats)} seats")
    return found
