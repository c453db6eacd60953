"""A solver-free check of a composition against the hard rules, and the objective in plain
Python. Every composition the engine returns must pass `violations`; the brute-force tests
compare `objective_key` against the solver's."""

from __future__ import annotations

from collections import Counter

from handlespor.engine.models import Assignment, Instance
from handlespor.engine.targets import allowed, deficit, track_targets

MINIMISED = {"min_seats", "targets"}


def violations(instance: Instance, assignment: Assignment) -> list[str]:
    """Every hard rule the assignment breaks, in words; empty when it is valid."""
    problems: list[str] = []
    seen: Counter = Counter()
    for track_id, members in assignment.items():
        if track_id not in instance.track_index:
            problems.append(f"unknown track {track_id}")
            continue
        track = instance.track(track_id)
        unknown = [m for m in members if m not in instance.applicant_index]
        problems += [f"unknown applicant {m} in {track.label}" for m in unknown]
        people = [instance.applicant(m) for m in members if m in instance.applicant_index]
        seen.update(a.id for a in people)
        if len(members) > track.max_seats:
            problems.append(f"{track.label} has {len(members)} members, above {track.max_seats}")
        if instance.rules.min_seats_hard and len(members) < track.min_seats:
            problems.append(f"{track.label} has {len(members)} members, below {track.min_seats}")
        problems += [
            f"{a.id} may not sit in {track.label}"
            for a in people
            if not allowed(instance, a, track_id)
        ]
        cap = instance.rules.max_per_organisation
        organisations = Counter(a.organisation for a in people if a.organisation)
        problems += [
            f"{track.label} has {count} members from {org}, above {cap}"
            for org, count in organisations.items()
            if cap is not None and count > cap
        ]
        problems += [
            f"{track.label} misses the hard target {item.target.describe()}"
            for item in track_targets(instance, track_id)
            if item.target.hard and deficit(item, people) > 0
        ]
    problems += [f"{a} sits in {n} tracks" for a, n in seen.items() if n > 1]
    locked, _excluded, _banned = instance.lock_sets
    problems += [
        f"{a} is locked into {t} but is not there"
        for a, t in locked.items()
        if a not in assignment.get(t, ())
    ]
    return problems


def objective(instance: Instance, assignment: Assignment) -> dict[str, int]:
    """The value of each level of the objective."""
    values = {"min_seats": 0, "targets": 0, "preferences": 0, "scores": 0, "fill": 0}
    for track in instance.tracks:
        people = [instance.applicant(m) for m in assignment.get(track.id, ())]
        values["min_seats"] += max(0, track.min_seats - len(people))
        values["fill"] += len(people)
        for item in track_targets(instance, track.id):
            if not item.target.hard:
                values["targets"] += item.target.weight * deficit(item, people)
        for person in people:
            values["preferences"] += instance.points(person, track.id)
            values["scores"] += score_units(person.scores.get(track.id))
    return values


def score_units(score: float | None) -> int:
    return round(score * 100) if score is not None else 0


def objective_key(instance: Instance, values: dict[str, int]) -> tuple[int, ...]:
    """The objective as a tuple that sorts best first, in the configured order."""
    return tuple(
        values[level] if level in MINIMISED else -values[level] for level in instance.settings.order
    )
