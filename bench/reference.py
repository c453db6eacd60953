"""The simplest CP-SAT model of the same rules, written plainly for the benchmark to compare the
engine against: one Boolean per allowed (applicant, track), the hard rules as constraints, every
target as a weighted deficit, and one weighted objective whose weights make it exactly
lexicographic (min seats, then targets, then preferences, then scores, then filled seats). It has
no seeded lot, no explanations and no alternatives. It shares with the engine only the plain-Python
meaning of the rules (`allowed`, `track_targets`, `score_units`), not its model."""

from __future__ import annotations

from ortools.sat.python import cp_model

from handlespor.engine import Assignment, Instance
from handlespor.engine.targets import SCALE, allowed, track_targets
from handlespor.engine.validate import score_units

LEVELS = ("min_seats", "targets", "preferences", "scores", "fill")
LIMIT = 2**53


def reference_solve(instance: Instance) -> tuple[str, Assignment]:
    """The lexicographic optimum by one or more weighted solves; returns (status, assignment)."""
    m = cp_model.CpModel()
    tracks = instance.tracks
    x = {
        (a.id, t.id): m.new_bool_var("")
        for a in instance.applicants
        for t in tracks
        if allowed(instance, a, t.id)
    }
    members = {
        t.id: [(a, x[a.id, t.id]) for a in instance.applicants if (a.id, t.id) in x] for t in tracks
    }
    for a in instance.applicants:
        mine = [x[a.id, t.id] for t in tracks if (a.id, t.id) in x]
        if len(mine) > 1:
            m.add_at_most_one(mine)
    for a_id, t_id in instance.lock_sets[0].items():
        m.add(x[a_id, t_id] == 1) if (a_id, t_id) in x else m.add_bool_or([])
    cap = instance.rules.max_per_organisation
    levels: dict[str, list] = {level: [] for level in LEVELS}
    ranges: dict[str, int] = dict.fromkeys(LEVELS, 0)
    points = instance.settings.preference_points
    for t in tracks:
        seated = [v for _a, v in members[t.id]]
        size = sum(seated)
        m.add(size <= t.max_seats)
        if instance.rules.min_seats_hard:
            m.add(size >= t.min_seats)
        elif t.min_seats:
            short = m.new_int_var(0, t.min_seats, "")
            m.add(short >= t.min_seats - size)
            levels["min_seats"].append(short)
            ranges["min_seats"] += t.min_seats
        if cap is not None:
            by_org: dict[str, list] = {}
            for a, v in members[t.id]:
                if a.organisation:
                    by_org.setdefault(a.organisation, []).append(v)
            for group in by_org.values():
                if len(group) > cap:
                    m.add(sum(group) <= cap)
        for item in track_targets(instance, t.id):
            having = {
                value: [
                    v for a, v in members[t.id] if value in a.attributes.get(item.attribute, ())
                ]
                for value in item.values
            }
            anyone = [
                v
                for a, v in members[t.id]
                if set(item.values) & set(a.attributes.get(item.attribute, ()))
            ]
            bound = t.max_seats * max(1, len(item.values)) + item.amount * (
                item.kind in {"min_count", "min_distinct"}
            )
            short = m.new_int_var(0, bound, "")
            match item.kind:
                case "min_count":
                    m.add(sum(anyone) + short >= item.amount)
                case "max_count":
                    m.add(sum(anyone) - short <= item.amount)
                case "min_share":
                    m.add(SCALE * (sum(anyone) + short) >= item.amount * size)
                case "max_share":
                    m.add(SCALE * (sum(anyone) - short) <= item.amount * size)
                case "min_distinct":
                    present = [m.new_bool_var("") for _ in item.values]
                    for flag, value in zip(present, item.values, strict=True):
                        m.add(flag <= sum(having[value]))
                    m.add(sum(present) + short >= item.amount)
                case _:
                    parts = [m.new_int_var(0, t.max_seats, "") for _ in item.values]
                    for part, value in zip(parts, item.values, strict=True):
                        m.add(SCALE * (sum(having[value]) - part) <= item.amount * size)
                    m.add(short == sum(parts))
            if item.target.hard:
                m.add(short == 0)
            else:
                levels["targets"].append(item.target.weight * short)
                ranges["targets"] += item.target.weight * bound
        for a, v in members[t.id]:
            rank = a.rank(t.id)
            if rank is not None and rank < len(points):
                levels["preferences"].append(points[rank] * v)
            levels["scores"].append(score_units(a.scores.get(t.id)) * v)
            levels["fill"].append(v)
    seats = sum(t.max_seats for t in tracks)
    ranges["preferences"] = max(points, default=0) * seats
    ranges["scores"] = seats * max(
        (score_units(v) for a in instance.applicants for v in a.scores.values()), default=0
    )
    ranges["fill"] = seats
    # As few weighted solves as the 53-bit limit allows: each level's weight exceeds all that
    # the later levels of its solve can add.
    order = [level for level in instance.settings.order if levels[level]]
    solves, product = [[]], 1
    for level in order:
        if product * (ranges[level] + 1) >= LIMIT:
            solves.append([])
            product = 1
        solves[-1].append(level)
        product *= ranges[level] + 1
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = instance.settings.workers
    status = "optimal"
    for index, group in enumerate(solves):
        expression, weight = 0, 1
        for level in reversed(group):
            sign = 1 if level in {"min_seats", "targets"} else -1
            expression += sign * weight * sum(levels[level])
            weight *= ranges[level] + 1
        m.minimize(expression)
        solver.parameters.max_time_in_seconds = instance.settings.time_limit
        result = solver.solve(m)
        if result not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return "infeasible", {}
        if result != cp_model.OPTIMAL:
            status = "feasible"
        if index < len(solves) - 1:
            m.add(expression == round(solver.objective_value))
            m.clear_hints()
            for v in x.values():
                m.add_hint(v, solver.boolean_value(v))
    chosen = {
        t.id: tuple(a.id for a, v in members[t.id] if solver.boolean_value(v)) for t in tracks
    }
    return status, chosen
