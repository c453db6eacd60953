"""Why an instance has no valid composition, in plain words, naming the smallest conflicting
set of hard rules that the checks can find.

First come direct checks that explain the usual conflicts with their numbers; when none
applies, CP-SAT is asked which hard rules it needs to prove infeasibility, and that set is
shrunk until every rule in it is needed."""

from __future__ import annotations

from collections import Counter, defaultdict

from ortools.sat.python import cp_model

from handlespor.engine.cpsat import Model
from handlespor.engine.models import Applicant, Instance, Track
from handlespor.engine.targets import pool, track_targets, value_counts


def _locked_into(instance: Instance) -> dict[str, list[str]]:
    locked: dict[str, list[str]] = defaultdict(list)
    for lock in instance.locks:
        if lock.kind == "in_track":
            locked[lock.applicant].append(lock.track or "")
    return locked


def _lock_conflicts(instance: Instance) -> list[str]:
    found = []
    locked_into = _locked_into(instance)
    for applicant, tracks in locked_into.items():
        if len(set(tracks)) > 1:
            names = " og ".join(instance.track(t).label for t in dict.fromkeys(tracks))
            who = instance.applicant(applicant).name or applicant
            found.append(f"{who} er låst til både {names}, men kan kun sidde i ét handlespor.")
    for lock in instance.locks:
        tracks = locked_into.get(lock.applicant, [])
        who = instance.applicant(lock.applicant).name or lock.applicant
        if tracks and lock.kind == "excluded":
            found.append(f"{who} er både låst til {instance.track(tracks[0]).label} og udelukket.")
        if lock.kind == "not_in_track" and lock.track in tracks:
            where = instance.track(lock.track or "").label
            found.append(f"{who} er både låst til og udelukket fra {where}.")
    return found


def _seat_conflicts(instance: Instance, track: Track, locked: list[Applicant]) -> list[str]:
    found = []
    if len(locked) > track.max_seats:
        found.append(
            f"{track.label} har højst {track.max_seats} pladser, men {len(locked)} er låst til det."
        )
    cap = instance.rules.max_per_organisation
    organisations = Counter(a.organisation for a in locked if a.organisation)
    found += [
        f"{track.label} må højst have {cap} fra {organisation}, men {count} derfra er låst til det."
        for organisation, count in organisations.items()
        if cap is not None and count > cap
    ]
    if instance.rules.min_seats_hard:
        candidates = pool(instance, track.id)
        available = sum(1 for a in candidates if not a.organisation)
        by_organisation = Counter(a.organisation for a in candidates if a.organisation)
        available += sum(min(cap or n, n) for n in by_organisation.values())
        if available < track.min_seats:
            found.append(
                f"{track.label} skal have mindst {track.min_seats} deltagere, men kun "
                f"{available} berettigede ansøgere har valgt det."
            )
    return found


def _target_conflicts(instance: Instance, track: Track, locked: list[Applicant]) -> list[str]:
    found = []
    candidates = pool(instance, track.id)
    for item in track_targets(instance, track.id):
        if not item.target.hard:
            continue
        goal = f"{track.label} skal opfylde målet {item.target.describe()}"
        if item.kind in {"min_count", "min_distinct"} and not item.possible:
            counts = value_counts(candidates, item.attribute, item.values)
            available = sum(counts.values()) if item.kind == "min_count" else len(+counts)
            found.append(f"{goal}, men kun {available} blandt ansøgerne til det har det.")
        if item.kind == "max_count":
            counted = sum(1 for a in locked if any(a.has(item.attribute, v) for v in item.values))
            if counted > item.amount:
                found.append(f"{goal}, men {counted} låste deltagere har det.")
    return found


def _total_conflicts(instance: Instance) -> list[str]:
    if not instance.rules.min_seats_hard:
        return []
    needed = sum(t.min_seats for t in instance.tracks)
    people = {a.id for t in instance.tracks for a in pool(instance, t.id)}
    if needed <= len(people):
        return []
    return [
        f"Handlesporene skal tilsammen have mindst {needed} deltagere, men der er kun "
        f"{len(people)} berettigede ansøgere, og hver kan kun sidde i ét handlespor."
    ]


def _direct(instance: Instance) -> list[str]:
    found = _lock_conflicts(instance)
    locked_into = _locked_into(instance)
    for track in instance.tracks:
        locked = [instance.applicant(a) for a, ts in locked_into.items() if ts[0] == track.id]
        found += _seat_conflicts(instance, track, locked)
        found += _target_conflicts(instance, track, locked)
    return found or _total_conflicts(instance)


def _core(instance: Instance, seconds: float) -> list[str]:
    built = Model(instance, diagnosing=True).build()
    literals = {g.literal.index: g for g in built.groups if g.literal is not None}
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1  # assumptions cores need a single worker
    built.model.add_assumptions([g.literal for g in built.groups])
    if solver.solve(built.model) != cp_model.INFEASIBLE:
        return []
    core = [literals[i] for i in solver.sufficient_assumptions_for_infeasibility()]
    # Shrink: drop every rule that is not needed for the conflict.
    needed = list(core)
    for group in core:
        trial = [g for g in needed if g is not group]
        built.model.clear_assumptions()
        built.model.add_assumptions([g.literal for g in trial])
        solver.parameters.max_time_in_seconds = max(0.2, seconds / (len(core) + 1))
        if solver.solve(built.model) == cp_model.INFEASIBLE:
            needed = trial
    return ["Disse regler kan ikke opfyldes samtidig: " + "; ".join(g.text for g in needed) + "."]


def diagnose(instance: Instance, seconds: float = 10.0) -> tuple[str, ...]:
    """Plain-language reasons the hard rules of the instance conflict."""
    return tuple(
        _direct(instance)
        or _core(instance, seconds)
        or ["Ingen gyldig sammensætning fundet inden for tidsgrænsen."]
    )
