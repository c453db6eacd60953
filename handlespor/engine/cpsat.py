"""The CP-SAT model: one Boolean per (applicant, track) the rules allow, the hard rules as
constraints, each target as a deficit variable, and the objective's levels as expressions."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from handlespor.engine.models import Applicant, Assignment, Instance
from handlespor.engine.targets import SCALE, TrackTarget, allowed, track_targets
from handlespor.engine.validate import score_units

TIEBREAK_RANGE = 1000


@dataclass
class HardGroup:
    """A named set of hard constraints, switchable by one literal when diagnosing."""

    key: tuple
    text: str
    literal: cp_model.IntVar | None = None


@dataclass
class Model:
    instance: Instance
    diagnosing: bool = False
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)
    size: dict[str, cp_model.LinearExpr] = field(default_factory=dict)
    levels: dict[str, cp_model.LinearExpr] = field(default_factory=dict)
    level_terms: dict[str, int] = field(default_factory=dict)
    level_range: dict[str, int] = field(default_factory=dict)
    deficit_bounds: list[int] = field(default_factory=list)
    groups: list[HardGroup] = field(default_factory=list)
    deficits: list[tuple[TrackTarget, cp_model.IntVar]] = field(default_factory=list)
    by_track: dict[str, list[tuple[Applicant, cp_model.IntVar]]] = field(default_factory=dict)
    counts: dict[tuple[str, str, tuple[str, ...]], cp_model.IntVar] = field(default_factory=dict)

    def build(self) -> Model:
        self._variables()
        self._one_track_per_person()
        self._locks()
        self._seats()
        self._organisations()
        self._targets()
        self._objective_levels()
        return self

    def _group(self, key: tuple, text: str) -> cp_model.IntVar | None:
        """A literal for a diagnosable group of constraints, or None when solving plainly."""
        if not self.diagnosing:
            return None
        literal = self.model.new_bool_var(f"group{len(self.groups)}")
        self.groups.append(HardGroup(key=key, text=text, literal=literal))
        return literal

    def _add(self, constraint: cp_model.Constraint, literal: cp_model.IntVar | None) -> None:
        if literal is not None:
            constraint.only_enforce_if(literal)

    def _variables(self) -> None:
        for applicant in self.instance.applicants:
            for track in self.instance.tracks:
                if allowed(self.instance, applicant, track.id):
                    self.x[applicant.id, track.id] = self.model.new_bool_var(
                        f"x[{applicant.id},{track.id}]"
                    )
        self.by_track = {track.id: [] for track in self.instance.tracks}
        for (a, t), variable in self.x.items():
            self.by_track[t].append((self.instance.applicant(a), variable))
        for track in self.instance.tracks:
            # An integer per track keeps the share constraints short: one term, not hundreds.
            size = self.model.new_int_var(0, len(self.by_track[track.id]), f"size[{track.id}]")
            self.model.add(size == _sum(v for _a, v in self.by_track[track.id]))
            self.size[track.id] = size

    def _by_applicant(self) -> dict[str, list[cp_model.IntVar]]:
        grouped: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for (applicant, _track), variable in self.x.items():
            grouped[applicant].append(variable)
        return grouped

    def _one_track_per_person(self) -> None:
        for applicant, variables in self._by_applicant().items():
            if len(variables) > 1:
                name = self.instance.applicant(applicant).name or applicant
                literal = self._group(
                    ("person", applicant), f"{name} kan kun sidde i ét handlespor"
                )
                self._add(self.model.add_at_most_one(variables), literal)

    def _locks(self) -> None:
        for lock in self.instance.locks:
            if lock.kind != "in_track":
                continue
            name = self.instance.applicant(lock.applicant).name or lock.applicant
            track = self.instance.track(lock.track or "").label
            literal = self._group(
                ("lock", lock.applicant, lock.track), f"{name} er låst til {track}"
            )
            variable = self.x.get((lock.applicant, lock.track or ""))
            if variable is None:
                self._add(self.model.add_bool_or([]), literal)
            else:
                self._add(self.model.add(variable == 1), literal)

    def _seats(self) -> None:
        for track in self.instance.tracks:
            literal = self._group(
                ("max_seats", track.id), f"{track.label} har højst {track.max_seats} pladser"
            )
            self._add(self.model.add(self.size[track.id] <= track.max_seats), literal)
            if self.instance.rules.min_seats_hard:
                literal = self._group(
                    ("min_seats", track.id),
                    f"{track.label} skal have mindst {track.min_seats} deltagere",
                )
                self._add(self.model.add(self.size[track.id] >= track.min_seats), literal)

    def _organisations(self) -> None:
        cap = self.instance.rules.max_per_organisation
        if cap is None:
            return
        members: dict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
        for (applicant, track), variable in self.x.items():
            organisation = self.instance.applicant(applicant).organisation
            if organisation:
                members[organisation, track].append(variable)
        for (organisation, track), variables in members.items():
            if len(variables) > cap:
                literal = self._group(
                    ("organisation", organisation, track),
                    f"højst {cap} fra {organisation} i {self.instance.track(track).label}",
                )
                self._add(self.model.add(sum(variables) <= cap), literal)

    def _count(self, track: str, attribute: str, values: tuple[str, ...]) -> cp_model.IntVar:
        """How many members of the track have one of the values: one integer per distinct
        count, shared by every target that needs it."""
        key = (track, attribute, tuple(sorted(values)))
        if key not in self.counts:
            wanted = set(values)
            members = [
                v
                for applicant, v in self.by_track[track]
                if wanted.intersection(applicant.attributes.get(attribute, ()))
            ]
            count = self.model.new_int_var(0, len(members), "count")
            self.model.add(count == _sum(members))
            self.counts[key] = count
        return self.counts[key]

    def _targets(self) -> None:
        for track in self.instance.tracks:
            for item in track_targets(self.instance, track.id):
                deficit = self._deficit(item, track.max_seats)
                self.deficits.append((item, deficit))
                if item.target.hard:
                    literal = self._group(
                        ("target", track.id, item.target),
                        f"{track.label}: målet {item.target.describe()} skal opfyldes",
                    )
                    self._add(self.model.add(deficit == 0), literal)

    def _deficit(self, item: TrackTarget, seats: int) -> cp_model.IntVar:
        m, n = self.model, self.size[item.track]
        upper = max(seats, item.amount if item.kind in {"min_count", "min_distinct"} else 0)
        bound = upper * max(1, len(item.values)) if item.kind == "max_share_each" else upper
        self.deficit_bounds.append(bound)
        deficit = m.new_int_var(0, bound, "deficit")
        match item.kind:
            case "min_count":
                m.add(self._count(item.track, item.attribute, item.values) + deficit >= item.amount)
            case "max_count":
                m.add(self._count(item.track, item.attribute, item.values) - deficit <= item.amount)
            case "min_share":
                count = self._count(item.track, item.attribute, item.values)
                m.add(SCALE * (count + deficit) >= item.amount * n)
            case "max_share":
                count = self._count(item.track, item.attribute, item.values)
                m.add(SCALE * (count - deficit) <= item.amount * n)
            case "min_distinct":
                present = []
                for value in item.values:
                    flag = m.new_bool_var("present")
                    m.add(flag <= self._count(item.track, item.attribute, (value,)))
                    present.append(flag)
                m.add(_sum(present) + deficit >= item.amount)
            case _:
                parts = []
                for value in item.values:
                    part = m.new_int_var(0, seats, "excess")
                    count = self._count(item.track, item.attribute, (value,))
                    m.add(SCALE * (count - part) <= item.amount * n)
                    parts.append(part)
                m.add(deficit == _sum(parts))
        return deficit

    def _objective_levels(self) -> None:
        instance = self.instance
        shortfalls = []
        for track in instance.tracks:
            if not instance.rules.min_seats_hard and track.min_seats > 0:
                shortfall = self.model.new_int_var(0, track.min_seats, "shortfall")
                self.model.add(shortfall + self.size[track.id] >= track.min_seats)
                shortfalls.append(shortfall)
        self.levels["min_seats"] = _sum(shortfalls)
        soft = [(d, item.target.weight) for item, d in self.deficits if not item.target.hard]
        self.levels["targets"] = _weighted(soft)
        points = instance.settings.preference_points
        preference_terms, score_terms = [], []
        for (a, t), variable in self.x.items():
            applicant = instance.applicant(a)
            rank = applicant.rank(t)
            if rank is not None and rank < len(points) and points[rank]:
                preference_terms.append((variable, points[rank]))
            if units := score_units(applicant.scores.get(t)):
                score_terms.append((variable, units))
        self.levels["preferences"] = _weighted(preference_terms)
        self.levels["scores"] = _weighted(score_terms)
        self.levels["fill"] = _sum(self.x.values())
        seats = self.size_bound()
        self.level_range = {
            "min_seats": sum(t.min_seats for t in instance.tracks) if shortfalls else 0,
            "targets": sum(
                item.target.weight * bound
                for (item, _d), bound in zip(self.deficits, self.deficit_bounds, strict=True)
                if not item.target.hard
            ),
            "preferences": max(points, default=0) * seats,
            "scores": max(
                (score_units(v) for a in instance.applicants for v in a.scores.values()), default=0
            )
            * seats,
            "fill": seats,
            "tiebreak": TIEBREAK_RANGE * seats,
        }
        self.level_terms = {
            "min_seats": len(shortfalls),
            "targets": len(soft),
            "preferences": len(preference_terms),
            "scores": len(score_terms),
            "fill": len(self.x),
        }
        rng = random.Random(instance.settings.seed)
        self.levels["tiebreak"] = _weighted(
            [(v, rng.randint(1, TIEBREAK_RANGE)) for _key, v in sorted(self.x.items())]
        )

    def size_bound(self) -> int:
        return sum(t.max_seats for t in self.instance.tracks)

    def assignment(self, solver: cp_model.CpSolver) -> Assignment:
        chosen: dict[str, list[str]] = {t.id: [] for t in self.instance.tracks}
        for (a, t), variable in self.x.items():
            if solver.boolean_value(variable):
                chosen[t].append(a)
        return {t: tuple(members) for t, members in chosen.items()}

    def hint(self, assignment: Assignment) -> None:
        self.model.clear_hints()
        selected = {(a, t) for t, members in assignment.items() for a in members}
        for key, variable in self.x.items():
            self.model.add_hint(variable, key in selected)


def _sum(variables) -> cp_model.LinearExpr:
    return cp_model.LinearExpr.sum(list(variables))


def _weighted(terms: list[tuple[cp_model.IntVar, int]]) -> cp_model.LinearExpr:
    if not terms:
        return cp_model.LinearExpr.constant(0)
    variables, weights = zip(*terms, strict=True)
    return cp_model.LinearExpr.weighted_sum(list(variables), list(weights))
