"""compose(): from an instance to a composition, explained."""

from __future__ import annotations

import time

from handlespor.engine.diagnose import diagnose
from handlespor.engine.explain import Explainer
from handlespor.engine.models import Alternative, Composition, Instance
from handlespor.engine.solve import Progress, alternatives, solve
from handlespor.engine.targets import pool


def _warnings(instance: Instance, composition_sizes: dict[str, int]) -> tuple[str, ...]:
    warnings = []
    for track in instance.tracks:
        size = composition_sizes.get(track.id, 0)
        if size < track.min_seats:
            available = len(pool(instance, track.id))
            warnings.append(
                f"{track.label} har kun {size} af mindst {track.min_seats} deltagere: "
                f"{available} berettigede ansøgere kan sidde i handlesporet."
            )
    return tuple(warnings)


def compose(instance: Instance, progress: Progress | None = None) -> Composition:
    """Propose the members of every track at once; explain the result or, when the hard rules
    conflict, say why."""
    started = time.perf_counter()
    built, solved = solve(instance, progress)
    if solved.status == "infeasible":
        return Composition(
            status="infeasible",
            solve_seconds=solved.seconds,
            diagnosis=diagnose(instance, seconds=max(1.0, instance.settings.time_limit / 6)),
        )
    found = []
    if instance.settings.alternatives:
        remaining = max(1.0, instance.settings.time_limit - (time.perf_counter() - started))
        best_seats = {(a, t) for t, members in solved.assignment.items() for a in members}
        for assignment, values in alternatives(instance, built, solved, remaining):
            seats = {(a, t) for t, members in assignment.items() for a in members}
            found.append(
                Alternative(
                    assignment=assignment,
                    objective=values,
                    differs_from_best=len(best_seats - seats),
                )
            )
    tracks, not_selected = (), ()
    if instance.settings.explain:
        explainer = Explainer(instance, solved.assignment)
        tracks, not_selected = explainer.tracks(), explainer.not_selected()
    return Composition(
        status=solved.status,
        gap=solved.gap,
        solve_seconds=solved.seconds,
        objective=solved.objective,
        assignment=solved.assignment,
        tracks=tracks,
        not_selected=not_selected,
        alternatives=tuple(found),
        warnings=_warnings(instance, {t: len(m) for t, m in solved.assignment.items()}),
    )
