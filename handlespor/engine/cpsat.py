"""The CP-SAT model: one Boolean per (applicant, track) the rules allow, the hard rules as
constraints, each target as a deficit variable, and the objective's levels as expressions.

A track whose pool is small (as when there are many tracks and few applicants) is also modelled
by its possible groups: one Boolean per group of its pool that keeps the seats, the organisation
rule, the locks and the hard targets, exactly one chosen, each group's deficits and shortfall
computed beforehand. The solver's bound is then far tighter: 60 applicants over 20 tracks are
proven optimal within seconds, where the plain model leaves a gap of a fifth after a minute."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from math import comb

from ortools.sat.python import cp_model

from handlespor.engine.models import DEFAULT_ORDER, Applicant, Assignment, Instance
from handlespor.engine.targets import SCALE, TrackTarget, allowed, deficit, track_targets
from handlespor.engine.validate import score_units

# Tracks are modelled by their groups while a track's pool gives at most this many subsets of
# up to its seats (a pool of 11), smallest pools first, and all such tracks together at most
# GROUPS_IN_ALL. Measured on 60 and 200 applicants over 20 tracks: larger limits were slower.
GROUPS_PER_TRACK = 2048
GROUPS_IN_ALL = 10_000


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
    enumerable: set[str] = field(default_factory=set)
    group_terms: dict[str, list[tuple[cp_model.IntVar, int]]] = field(
        default_factory=lambda: {level: [] for level in DEFAULT_ORDER}
    )
    group_range: dict[str, int] = field(default_factory=lambda: {"targets": 0})
    # Per enumerated track: its possible groups (as applicant tuples) and their Booleans.
    enumerated: dict[str, list[tuple[tuple[Applicant, ...], cp_model.IntVar]]] = field(
        default_factory=dict
    )

    def build(self) -> Model:
        self._variables()
        self._one_track_per_person()
        self._locks()
        self._seats()
        self._organisations()
        self._targets()
        self._small_pools()
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
        by_groups = self.instance.settings.small_pools_as_groups and not self.diagnosing
        self.enumerable = self._enumerable_tracks() if by_groups else set()
        for track in self.instance.tracks:
            # An integer per track keeps the share constraints short: one term, not hundreds.
            size = self.model.new_int_var(0, len(self.by_track[track.id]), f"size[{track.id}]")
            if track.id not in self.enumerable:  # else the chosen group gives the size
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
            if track.id in self.enumerable:
                continue  # its groups keep the seats
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
            if organisation and track not in self.enumerable:  # its groups keep the rule
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
            if track.id in self.enumerable:
                continue  # each possible group's deficits are computed in _small_pools
            for item in track_targets(self.instance, track.id):
                deficit = self._deficit(item, track.max_seats)
                self.deficits.append((item, deficit))
                if item.target.hard:
                    literal = self._group(
                        ("target", track.id, item.target),
                        f"{track.label}: målet {item.target.describe()} skal opfyldes",
                    )
                    self._add(self.model.add(deficit == 0), literal)

    def _enumerable_tracks(self) -> set[str]:
        chosen, total = set(), 0
        for track in sorted(self.instance.tracks, key=lambda t: len(self.by_track[t.id])):
            pool = len(self.by_track[track.id])
            subsets = sum(comb(pool, k) for k in range(min(pool, track.max_seats) + 1))
            if subsets > GROUPS_PER_TRACK or total + subsets > GROUPS_IN_ALL:
                break
            chosen.add(track.id)
            total += subsets
        # Half the tracks enumerated and half not was slower than either on 200 applicants over
        # 20 tracks: enumerate only when (nearly) every track's pool is small.
        return chosen if 4 * len(chosen) >= 3 * len(self.instance.tracks) else set()

    def _possible_groups(self, track_id: str) -> list[tuple[Applicant, ...]]:
        """Every group of the track's pool that keeps its seats, the organisation rule, the
        locks into it and its hard targets."""
        instance, track = self.instance, self.instance.track(track_id)
        locked, _excluded, _banned = instance.lock_sets
        pool = [a for a, _v in self.by_track[track_id]]
        must = [a for a in pool if locked.get(a.id) == track_id]
        free = [a for a in pool if locked.get(a.id) != track_id]
        cap = instance.rules.max_per_organisation
        hard = [item for item in track_targets(instance, track_id) if item.target.hard]
        smallest = track.min_seats if instance.rules.min_seats_hard else 0
        groups = []
        for k in range(max(0, smallest - len(must)), track.max_seats - len(must) + 1):
            for chosen in combinations(free, k):
                group = (*must, *chosen)
                if cap is not None:
                    organisations = Counter(a.organisation for a in group if a.organisation)
                    if organisations and max(organisations.values()) > cap:
                        continue
                if any(deficit(item, list(group)) for item in hard):
                    continue
                groups.append(group)
        return groups

    def _small_pools(self) -> None:
        """The enumerated tracks: exactly one possible group each, the members and size the
        chosen group implies, and its shortfall and weighted deficits as terms of the levels
        (in the objective directly, which keeps the solver's bound tight)."""
        soft_seats = not self.instance.rules.min_seats_hard
        for track_id in sorted(self.enumerable):
            track = self.instance.track(track_id)
            soft = [i for i in track_targets(self.instance, track_id) if not i.target.hard]
            groups = self._possible_groups(track_id)
            chosen = [self.model.new_bool_var("group") for _ in groups]
            self.model.add_exactly_one(chosen)
            self.enumerated[track_id] = list(zip(groups, chosen, strict=True))
            containing = defaultdict(list)
            for group, y in zip(groups, chosen, strict=True):
                for applicant in group:
                    containing[applicant.id].append(y)
            for applicant, variable in self.by_track[track_id]:
                self.model.add(variable == _sum(containing[applicant.id]))
            self.model.add(
                self.size[track_id]
                == _weighted([(y, len(g)) for g, y in zip(groups, chosen, strict=True) if g])
            )
            costs = [
                sum(item.target.weight * deficit(item, list(g)) for item in soft) for g in groups
            ]
            self.group_terms["targets"] += [(y, c) for y, c in zip(chosen, costs, strict=True) if c]
            self.group_range["targets"] += max(costs, default=0)
            self._choice_terms(track_id, groups, chosen)
            if soft_seats:
                self.group_terms["min_seats"] += [
                    (y, track.min_seats - len(g))
                    for g, y in zip(groups, chosen, strict=True)
                    if len(g) < track.min_seats
                ]

    def _choice_terms(
        self, track_id: str, groups: list[tuple[Applicant, ...]], chosen: list[cp_model.IntVar]
    ) -> None:
        """Each group's preference points, review score units and size, as terms of the levels
        in place of its members' seats."""
        for group, y in zip(groups, chosen, strict=True):
            for level, value in (
                ("preferences", sum(self.instance.points(a, track_id) for a in group)),
                ("scores", sum(score_units(a.scores.get(track_id)) for a in group)),
                ("fill", len(group)),
            ):
                if value:
                    self.group_terms[level].append((y, value))

    def _deficit(self, item: TrackTarget, seats: int) -> cp_model.IntVar:
        m, n = self.model, self.size[item.track]
        bound = _deficit_bound(item, seats)
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
            if track.id in self.enumerated:
                continue
            if not instance.rules.min_seats_hard and track.min_seats > 0:
                shortfall = self.model.new_int_var(0, track.min_seats, "shortfall")
                self.model.add(shortfall + self.size[track.id] >= track.min_seats)
                shortfalls.append((shortfall, 1))
        shortfalls += self.group_terms["min_seats"]
        self.levels["min_seats"] = _weighted(shortfalls)
        soft = [(d, item.target.weight) for item, d in self.deficits if not item.target.hard]
        soft += self.group_terms["targets"]
        self.levels["targets"] = _weighted(soft)
        points = instance.settings.preference_points
        preference_terms = list(self.group_terms["preferences"])
        score_terms = list(self.group_terms["scores"])
        fill_terms = list(self.group_terms["fill"])
        for (a, t), variable in self.x.items():
            if t in self.enumerated:
                continue
            applicant = instance.applicant(a)
            if value := instance.points(applicant, t):
                preference_terms.append((variable, value))
            if units := score_units(applicant.scores.get(t)):
                score_terms.append((variable, units))
            fill_terms.append((variable, 1))
        self.levels["preferences"] = _weighted(preference_terms)
        self.levels["scores"] = _weighted(score_terms)
        self.levels["fill"] = _weighted(fill_terms)
        seats = self.size_bound()
        self.level_range = {
            "min_seats": sum(t.min_seats for t in instance.tracks) if shortfalls else 0,
            "targets": self.group_range["targets"]
            + sum(
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
        }
        self.level_terms = {
            "min_seats": len(shortfalls),
            "targets": len(soft),
            "preferences": len(preference_terms),
            "scores": len(score_terms),
            "fill": len(self.x),
        }

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


def _deficit_bound(item: TrackTarget, seats: int) -> int:
    """The largest deficit a target can have in a group of at most `seats`."""
    upper = max(seats, item.amount if item.kind in {"min_count", "min_distinct"} else 0)
    return upper * max(1, len(item.values)) if item.kind == "max_share_each" else upper


def _sum(variables) -> cp_model.LinearExpr:
    return cp_model.LinearExpr.sum(list(variables))


def _weighted(terms: list[tuple[cp_model.IntVar, int]]) -> cp_model.LinearExpr:
    if not terms:
        return cp_model.LinearExpr.constant(0)
    variables, weights = zip(*terms, strict=True)
    return cp_model.LinearExpr.weighted_sum(list(variables), list(weights))
