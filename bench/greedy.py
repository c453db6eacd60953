"""The simple baseline a secretariat could run by hand: go through the applicants in order of
preference (all first choices, then all second choices; within each, by review score), give
each a seat in that track unless it is full or their organisation already sits there."""

from __future__ import annotations

from collections import Counter

from handlespor.engine import Assignment, Instance
from handlespor.engine.targets import allowed


def greedy(instance: Instance) -> Assignment:
    seats: dict[str, list[str]] = {t.id: [] for t in instance.tracks}
    organisations: dict[str, Counter] = {t.id: Counter() for t in instance.tracks}
    placed: set[str] = set()
    cap = instance.rules.max_per_organisation
    rounds = max((len(a.preferences) for a in instance.applicants), default=0)
    for rank in range(rounds):
        wanting = [a for a in instance.applicants if len(a.preferences) > rank]
        wanting.sort(key=lambda a: -a.scores.get(a.preferences[rank], 0))
        for applicant in wanting:
            track = applicant.preferences[rank]
            if applicant.id in placed or not allowed(instance, applicant, track):
                continue
            if len(seats[track]) >= instance.track(track).max_seats:
                continue
            if (
                cap is not None
                and applicant.organisation
                and organisations[track][applicant.organisation] >= cap
            ):
                continue
            seats[track].append(applicant.id)
            organisations[track][applicant.organisation] += 1
            placed.add(applicant.id)
    return {t: tuple(m) for t, m in seats.items()}
