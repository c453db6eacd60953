"""The public lottery from a leximin distribution: rounded to m equally likely compositions (so
the draw is "pick a number from 1 to m"), the draw from a seed anyone can repeat, and the
solver-free check of the table. Pure Python, no Django.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import highspy
import numpy as np

from handlespor.engine.leximin import (
    Composition,
    Distinct,
    Distribution,
    Quota,
    TypeProblem,
    type_counts,
    valid,
)
from handlespor.engine.models import Assignment, Instance
from handlespor.engine.targets import SCALE as SHARE_SCALE
from handlespor.engine.targets import allowed, ceil_div, track_targets

DEFAULT_M = 1000


@dataclass(frozen=True)
class Table:
    """m equally likely compositions, numbered 1..m in `rows` order; `chance` is each type's
    chance under the table, and `largest_change` the most any type's chance moved from the
    leximin distribution's."""

    rows: tuple[Composition, ...]
    chance: tuple[float, ...]
    largest_change: float
    change_bound: float = 0.0  # no rounding of the shares to floor or ceiling changes less

    @property
    def m(self) -> int:
        return len(self.rows)


def _largest_remainder(weights: list[float], m: int) -> list[int]:
    counts = [math.floor(w * m) for w in weights]
    order = sorted(range(len(weights)), key=lambda j: (-(weights[j] * m - counts[j]), j))
    for j in order[: m - sum(counts)]:
        counts[j] += 1
    return counts


def table_round(
    problem: TypeProblem, distribution: Distribution, *, m: int = DEFAULT_M, seconds: float = 2.0
) -> Table:
    """Round the distribution to m equally likely compositions, each composition's share moved
    to the floor or the ceiling of m times its weight, so that the largest change of any type's
    chance is as small as found in `seconds` (a mixed-integer program on HiGHS, which also
    proves a lower bound; the largest-remainder rounding when it finds nothing better)."""
    types = len(problem.sizes)
    weights = distribution.weights
    counts_of = [type_counts(c, types) for c in distribution.compositions]
    floors = [math.floor(w * m) for w in weights]
    fractional = [j for j, w in enumerate(weights) if w * m - floors[j] > 1e-12]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("time_limit", float(seconds))
    h.setOptionValue("mip_heuristic_run_feasibility_jump", False)
    h.addVar(0.0, highspy.kHighsInf)  # column 0: the largest change
    h.changeColCost(0, 1.0)
    up = {}
    for j in fractional:  # whether composition j's share is rounded up
        h.addVar(0.0, 1.0)
        up[j] = h.getNumCol() - 1
        h.changeColIntegrality(up[j], highspy.HighsVarType.kInteger)
    missing = m - sum(floors)
    cells = np.array([up[j] for j in fractional], dtype=np.int32)
    h.addRow(missing, missing, len(cells), cells, np.ones(len(cells)))
    for t in range(types):
        unit = 1 / (problem.sizes[t] * m)
        floor_change = sum(c[t] * f for c, f in zip(counts_of, floors, strict=True)) * unit
        floor_change -= distribution.chance[t]
        cols = [up[j] for j in fractional if counts_of[j][t]]
        values = [counts_of[j][t] * unit for j in fractional if counts_of[j][t]]
        index = np.array([0, *cols], dtype=np.int32)
        # floor_change + the shares rounded up lie within the largest change either way.
        h.addRow(-highspy.kHighsInf, -floor_change, len(index), index, np.array([-1.0, *values]))
        h.addRow(-floor_change, highspy.kHighsInf, len(index), index, np.array([1.0, *values]))
    h.run()
    counts = list(floors)
    bound = 0.0
    if h.getInfo().primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible:
        values = h.getSolution().col_value
        for j in fractional:
            counts[j] += round(values[up[j]])
        bound = max(0.0, h.getInfo().mip_dual_bound)
    else:
        counts = _largest_remainder(weights, m)
    order = sorted(range(len(counts)), key=lambda j: distribution.compositions[j])
    rows = tuple(distribution.compositions[j] for j in order for _ in range(counts[j]))
    chance = table_chance(problem, rows)
    change = max(
        (abs(a - b) for a, b in zip(chance, distribution.chance, strict=True)), default=0.0
    )
    return Table(
        rows=rows, chance=tuple(chance), largest_change=change, change_bound=min(bound, change)
    )


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


@dataclass(frozen=True)
class InstanceProblem:
    """A composition instance as a lottery's problem in types: `members[t]` the applicant ids
    of type t, `track_ids[r]` the id of track r, `left_out` the applicants no composition can
    hold, with the reason: "excluded" (a lock), "not_eligible" or "no_track" (no track that
    the rules and locks let them sit in)."""

    problem: TypeProblem
    members: tuple[tuple[str, ...], ...]
    track_ids: tuple[str, ...]
    left_out: dict[str, str]


def problem_from_instance(instance: Instance) -> InstanceProblem:
    """The lottery's problem of a composition instance: every track's seats filled (its
    maximum), every target taken as a hard quota (one that applies only where possible capped
    at what the track's pool can give), the organisation cap, the choices and the locks.
    Applicants alike in all of that (the targets' attributes, the tracks they may sit in, the
    organisation when there is a cap) form one type; a locked-in applicant is a type alone."""
    tracks = instance.tracks
    track_ids = tuple(t.id for t in tracks)
    locked, _excluded, _banned = instance.lock_sets
    cap = instance.rules.max_per_organisation
    attributes = sorted({target.attribute for target in instance.targets})
    keys: dict[tuple, list[str]] = {}
    left_out: dict[str, str] = {}
    for applicant in instance.applicants:
        places = tuple(r for r, t in enumerate(tracks) if allowed(instance, applicant, t.id))
        if not places:
            if applicant.id in instance.lock_sets[1]:
                left_out[applicant.id] = "excluded"
            elif instance.rules.eligible_only and not applicant.eligible:
                left_out[applicant.id] = "not_eligible"
            else:
                left_out[applicant.id] = "no_track"
            continue
        key = (
            places,
            applicant.id if applicant.id in locked else "",
            tuple(tuple(sorted(applicant.attributes.get(a, ()))) for a in attributes),
            applicant.organisation if cap is not None else "",
        )
        keys.setdefault(key, []).append(applicant.id)
    ordered = sorted(keys)
    members = tuple(tuple(keys[key]) for key in ordered)
    people = [[instance.applicant(a) for a in ids] for ids in members]
    quotas: list[Quota] = []
    distinct: list[Distinct] = []
    for r, track in enumerate(tracks):
        seats = track.max_seats
        for item in track_targets(instance, track.id):
            having = {
                v: frozenset(t for t, group in enumerate(people) if group[0].has(item.attribute, v))
                for v in item.values
            }
            counted = frozenset().union(*having.values()) if having else frozenset()
            if item.kind == "min_count":
                quotas.append(Quota(r, counted, item.amount, seats))
            elif item.kind == "max_count":
                quotas.append(Quota(r, counted, 0, item.amount))
            elif item.kind == "min_share":
                quotas.append(Quota(r, counted, ceil_div(item.amount * seats, SHARE_SCALE), seats))
            elif item.kind == "max_share":
                quotas.append(Quota(r, counted, 0, (item.amount * seats) // SHARE_SCALE))
            elif item.kind == "min_distinct":
                distinct.append(Distinct(r, tuple(having.values()), item.amount))
            else:  # max_share_each
                each = (item.amount * seats) // SHARE_SCALE
                quotas += [Quota(r, types, 0, each) for types in having.values()]
        if cap is not None:
            organisations: dict[str, set[int]] = {}
            for t, group in enumerate(people):
                if group[0].organisation:
                    organisations.setdefault(group[0].organisation, set()).add(t)
            quotas += [Quota(r, frozenset(types), 0, cap) for types in organisations.values()]
    problem = TypeProblem(
        sizes=tuple(len(ids) for ids in members),
        tracks=tuple(key[0] for key in ordered),
        seats=tuple(t.max_seats for t in tracks),
        quotas=tuple(quotas),
        required=tuple(bool(key[1]) for key in ordered),
        distinct=tuple(distinct),
    )
    return InstanceProblem(problem=problem, members=members, track_ids=track_ids, left_out=left_out)


def assignment_of(source: InstanceProblem, composition: Composition, seed: str) -> Assignment:
    """The assignment a drawn composition stands for: of each type, as many as the composition
    seats, taken in the seed's order of the type (`type_order`), so that within a type, too,
    everyone has the same chance and anyone with the seed can repeat the draw."""
    taken = [0] * len(source.members)
    orders = [type_order(ids, seed) for ids in source.members]
    seated: dict[str, list[str]] = {track: [] for track in source.track_ids}
    for (t, r), count in composition:
        ids = orders[t][taken[t] : taken[t] + count]
        taken[t] += count
        seated[source.track_ids[r]] += ids
    return {track: tuple(ids) for track, ids in seated.items()}


def type_order(ids: tuple[str, ...], seed: str) -> list[str]:
    """The members of a type in the seed's order: by the SHA-256 of "seed/id", as text."""
    return sorted(ids, key=lambda id_: (hashlib.sha256(f"{seed}/{id_}".encode()).hexdigest(), id_))
