"""Sharing the travel: which venue each of a track's in-person meetings should use, so that the
largest total travel any member has over the year is as small as possible, then the total.

Members come from all of Denmark and pay their own costs; meeting in one city every time puts
the burden on the same people. Travel is estimated from postcodes: each postcode is placed at
its main town (`data/dk_postcodes.csv`), and a trip is the straight-line distance times a road
factor, there and back. Solved exactly with CP-SAT in two stages (the worst member's year,
then the sum); pure Python, no Django.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ortools.sat.python import cp_model

ROAD_FACTOR = 1.3  # road km per straight-line km, about right for Danish roads and ferries
EARTH_KM = 6371.0
POSTCODES = Path(__file__).parent / "data" / "dk_postcodes.csv"


class UnknownPostcodeError(ValueError):
    """A postcode that is not a Danish postcode (four digits, 1000–9999)."""


@dataclass(frozen=True)
class Town:
    name: str
    lat: float
    lon: float


@cache
def _ranges() -> tuple[tuple[int, int, Town], ...]:
    with POSTCODES.open(encoding="utf-8") as file:
        rows = csv.DictReader(line for line in file if not line.startswith("#"))
        return tuple(
            (int(r["from"]), int(r["to"]), Town(r["town"], float(r["lat"]), float(r["lon"])))
            for r in rows
        )


def town_of(postcode: str) -> Town:
    """The main town a postcode is placed at."""
    if not (len(postcode) == 4 and postcode.isdigit()):
        raise UnknownPostcodeError(f"Ikke et dansk postnummer: {postcode!r}")
    number = int(postcode)
    for low, high, town in _ranges():
        if low <= number <= high:
            return town
    raise UnknownPostcodeError(f"Ikke et dansk postnummer: {postcode!r}")


def trip_km(a: Town, b: Town) -> int:
    """A round trip between two towns by road, estimated: 2 × straight line × road factor."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    straight = 2 * EARTH_KM * math.asin(math.sqrt(h))
    return round(2 * straight * ROAD_FACTOR)


@dataclass(frozen=True)
class TravelProblem:
    """`trips[member][venue]`: a member's round trip to a venue in km; each of `meetings` gets
    one venue among `venues` (a meeting in `fixed` keeps the venue given there)."""

    trips: dict[str, dict[str, int]]
    venues: tuple[str, ...]
    meetings: tuple[str, ...]
    fixed: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_postcodes(
        cls,
        *,
        members: dict[str, str],
        venues: dict[str, str],
        meetings: tuple[str, ...],
        fixed: dict[str, str] | None = None,
    ) -> TravelProblem:
        """From each member's and each venue's postcode."""
        towns = {v: town_of(code) for v, code in venues.items()}
        trips = {
            m: {v: trip_km(town_of(code), towns[v]) for v in venues} for m, code in members.items()
        }
        return cls(trips=trips, venues=tuple(venues), meetings=meetings, fixed=fixed or {})

    def yearly(self, venue_of: dict[str, str]) -> dict[str, int]:
        """Each member's total travel over the year for this choice of venues."""
        return {
            member: sum(trips[venue_of[meeting]] for meeting in self.meetings)
            for member, trips in self.trips.items()
        }


@dataclass(frozen=True)
class TravelPlan:
    venue_of: dict[str, str]  # meeting → venue
    yearly: dict[str, int]  # member → km over the year
    worst: int
    total: int
    optimal: bool


def venues_propose(problem: TravelProblem, *, time_limit: float = 10.0) -> TravelPlan:
    """The venue of each meeting that makes the worst member's yearly travel smallest, and
    among those the total smallest. Deterministic: one worker, and ties broken towards the
    earlier venue in `venues` for the earlier meeting."""
    if not problem.venues:
        raise ValueError("Vælg mindst ét mødested.")
    outside = {v for v in problem.fixed.values() if v not in problem.venues}
    if outside:
        raise ValueError(f"Fastlagte mødesteder er ikke blandt kandidaterne: {sorted(outside)}")
    model = cp_model.CpModel()
    pick = {
        (m, v): model.new_bool_var(f"{m}@{v}") for m in problem.meetings for v in problem.venues
    }
    for m in problem.meetings:
        model.add_exactly_one(pick[m, v] for v in problem.venues)
        if m in problem.fixed:
            model.add(pick[m, problem.fixed[m]] == 1)
    bound = sum(max(t.values(), default=0) for t in problem.trips.values()) * len(problem.meetings)
    yearly = {}
    for member, trips in problem.trips.items():
        yearly[member] = model.new_int_var(0, bound, f"year:{member}")
        model.add(
            yearly[member]
            == sum(trips[v] * pick[m, v] for m in problem.meetings for v in problem.venues)
        )
    worst = model.new_int_var(0, bound, "worst")
    model.add_max_equality(worst, list(yearly.values()) or [0])
    total = sum(yearly.values())

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = time_limit
    optimal = True
    stages = [worst, total]
    # The last stage breaks ties deterministically: the earliest venues, meeting by meeting.
    order = len(problem.venues)
    tie = sum(
        i * order ** (len(problem.meetings) - 1 - k) * pick[m, v]
        for k, m in enumerate(problem.meetings)
        for i, v in enumerate(problem.venues)
    )
    stages.append(tie)
    for stage in stages:
        model.minimize(stage)
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise RuntimeError(f"CP-SAT fandt ingen løsning ({solver.status_name(status)}).")
        optimal = optimal and status == cp_model.OPTIMAL
        value = solver.value(stage)
        model.add(stage == value)
        model.clear_hints()
        for var in pick.values():
            model.add_hint(var, solver.boolean_value(var))
    venue_of = {
        m: next(v for v in problem.venues if solver.boolean_value(pick[m, v]))
        for m in problem.meetings
    }
    per_member = problem.yearly(venue_of)
    return TravelPlan(
        venue_of=venue_of,
        yearly=per_member,
        worst=max(per_member.values(), default=0),
        total=sum(per_member.values()),
        optimal=optimal,
    )


def venues_brute_force(problem: TravelProblem) -> tuple[int, int]:
    """(worst, total) of the best choice found by trying every one: the check for small cases."""
    from itertools import product

    best = None
    options = [
        [problem.fixed[m]] if m in problem.fixed else list(problem.venues) for m in problem.meetings
    ]
    for choice in product(*options):
        yearly = problem.yearly(dict(zip(problem.meetings, choice, strict=True)))
        key = (max(yearly.values(), default=0), sum(yearly.values()))
        best = key if best is None or key < best else best
    return best
