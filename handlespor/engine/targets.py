"""What the targets and rules mean, in plain Python: the one definition that the CP-SAT model,
the validator, the explanations and the greedy baseline all share."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from handlespor.engine.models import Applicant, Instance, Target

SCALE = 1_000_000  # shares are compared in millionths of the group size
HARD = 1_000_000  # a broken hard target outweighs any soft one


def share_units(percent: float) -> int:
    return round(percent * SCALE / 100)


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


@dataclass(frozen=True)
class TrackTarget:
    """A target as it applies to one track: its values resolved and, where the target only
    applies where possible, its amount capped by what the track's pool can give."""

    target: Target
    track: str
    values: tuple[str, ...]
    amount: int  # persons or distinct values for counts; millionths for shares
    possible: bool

    @property
    def kind(self) -> str:
        return self.target.kind

    @property
    def attribute(self) -> str:
        return self.target.attribute


def allowed(instance: Instance, applicant: Applicant, track: str) -> bool:
    """Whether the rules and locks let this applicant sit in this track at all."""
    locked, excluded, banned = instance.lock_sets
    if applicant.id in excluded or (applicant.id, track) in banned:
        return False  # a lock that contradicts an exclusion makes the instance infeasible
    if applicant.id in locked:
        return locked[applicant.id] == track
    if instance.rules.eligible_only and not applicant.eligible:
        return False
    return not instance.rules.only_chosen_tracks or track in applicant.preferences


def pool(instance: Instance, track: str) -> list[Applicant]:
    return [a for a in instance.applicants if allowed(instance, a, track)]


def track_targets(instance: Instance, track: str) -> list[TrackTarget]:
    domain = instance.attribute_domain
    candidates = pool(instance, track)
    resolved = []
    for target in instance.targets:
        if not target.applies_to(track):
            continue
        values = target.values or domain.get(target.attribute, ())
        if target.kind in {"min_share", "max_share", "max_share_each"}:
            amount = share_units(target.amount)
        else:
            amount = round(target.amount)
        possible = True
        if target.kind in {"min_count", "min_distinct"}:
            counts = value_counts(candidates, target.attribute, values)
            available = sum(counts.values()) if target.kind == "min_count" else len(+counts)
            if available < amount:
                possible = False
                if target.only_where_possible:
                    amount = available
        resolved.append(
            TrackTarget(target=target, track=track, values=values, amount=amount, possible=possible)
        )
    return resolved


def value_counts(members: Iterable[Applicant], attribute: str, values: Iterable[str]) -> Counter:
    wanted = set(values)
    counter: Counter = Counter({v: 0 for v in wanted})
    for member in members:
        for value in member.attributes.get(attribute, ()):
            if value in wanted:
                counter[value] += 1
    return counter


@dataclass(frozen=True)
class Tally:
    """What a target needs to know of a group: its size, how many members have any of the
    target's values, and how many have each value."""

    n: int
    counted: int
    counts: dict[str, int]


def _has_any(item: TrackTarget, member: Applicant) -> bool:
    return any(member.has(item.attribute, v) for v in item.values)


def tally(item: TrackTarget, members: Iterable[Applicant]) -> Tally:
    members = list(members)
    return Tally(
        n=len(members),
        counted=sum(1 for m in members if _has_any(item, m)),
        counts=dict(value_counts(members, item.attribute, item.values)),
    )


def hits(item: TrackTarget, person: Applicant) -> tuple[str, ...]:
    """The person's values that the target counts (empty when it does not count them)."""
    wanted = item.values
    return tuple(v for v in person.attributes.get(item.attribute, ()) if v in wanted)


def changed(base: Tally, removed: tuple[str, ...] | None, added: tuple[str, ...] | None) -> Tally:
    """The tally after one member leaves and/or one joins (given by the values the target
    counts of each, None for nobody), without recounting the group."""
    n, counted, counts = base.n, base.counted, base.counts
    for values, step in ((removed, -1), (added, 1)):
        if values is None:
            continue
        n += step
        if values:
            counted += step
            if counts is base.counts:
                counts = dict(counts)
            for value in values:
                counts[value] += step
    return Tally(n=n, counted=counted, counts=counts)


def deficit_of(item: TrackTarget, group: Tally) -> int:
    """How many persons (or distinct values) short of the target the group is; 0 when met."""
    n, counted = group.n, group.counted
    match item.kind:
        case "min_count":
            return max(0, item.amount - counted)
        case "max_count":
            return max(0, counted - item.amount)
        case "min_share":
            return max(0, ceil_div(item.amount * n, SCALE) - counted)
        case "max_share":
            return max(0, counted - (item.amount * n) // SCALE)
        case "min_distinct":
            return max(0, item.amount - sum(1 for c in group.counts.values() if c > 0))
        case _:
            allowed_each = (item.amount * n) // SCALE
            return sum(max(0, c - allowed_each) for c in group.counts.values())


def deficit(item: TrackTarget, members: list[Applicant]) -> int:
    return deficit_of(item, tally(item, members))


def shown_value(item: TrackTarget, members: list[Applicant]) -> str:
    """The group's value for the target, as the representation table shows it."""
    n = len(members)
    counts = value_counts(members, item.attribute, item.values)
    counted = sum(1 for m in members if any(m.has(item.attribute, v) for v in item.values))
    if item.kind in {"min_count", "max_count"}:
        return str(counted)
    if item.kind in {"min_share", "max_share"}:
        return f"{counted}/{n} ({round(100 * counted / n) if n else 0} %)"
    if item.kind == "min_distinct":
        return str(sum(1 for v in item.values if counts[v] > 0))
    top = max(counts.values(), default=0)
    return f"{top}/{n} ({round(100 * top / n) if n else 0} %)"


def measure_of(item: TrackTarget, members: list[Applicant]) -> int:
    """The number a target is about: members with the values, distinct values present, or
    the most common value's count."""
    group = tally(item, members)
    if item.kind == "min_distinct":
        return sum(1 for c in group.counts.values() if c > 0)
    if item.kind == "max_share_each":
        return max(group.counts.values(), default=0)
    return group.counted


@dataclass
class Group:
    """One track's members and targets, for weighing one change at a time."""

    instance: Instance
    track: str
    items: list[TrackTarget]
    members: list[Applicant]

    soft: int = field(init=False)

    def __post_init__(self) -> None:
        # Explanations ask about the same (leaver, newcomer) pairs many times over.
        self._hits: dict[tuple[int, str], tuple[str, ...]] = {}
        self._after: dict[tuple[str | None, str | None], list[int]] = {}
        self.tallies = [tally(item, self.members) for item in self.items]
        self.base = [deficit_of(item, t) for item, t in zip(self.items, self.tallies, strict=True)]
        self.base_penalty = self._penalty(self.base)
        self.soft = sum(
            item.target.weight * d
            for item, d in zip(self.items, self.base, strict=True)
            if not item.target.hard
        )

    def _penalty(self, deficits: list[int]) -> int:
        return sum(
            (HARD if item.target.hard else item.target.weight) * d
            for item, d in zip(self.items, deficits, strict=True)
        )

    def _hits_of(self, index: int, person: Applicant | None) -> tuple[str, ...] | None:
        if person is None:
            return None
        key = (index, person.id)
        found = self._hits.get(key)
        if found is None:
            found = self._hits[key] = hits(self.items[index], person)
        return found

    def deficits_after(self, removed: Applicant | None, added: Applicant | None) -> list[int]:
        key = (removed and removed.id, added and added.id)
        found = self._after.get(key)
        if found is None:
            found = self._after[key] = []
            swap = removed is not None and added is not None
            for index, (item, t) in enumerate(zip(self.items, self.tallies, strict=True)):
                out, into = self._hits_of(index, removed), self._hits_of(index, added)
                if swap and out == into:  # the same size and the same counts
                    found.append(self.base[index])
                else:
                    found.append(deficit_of(item, changed(t, out, into)))
        return found

    def penalty_after(self, removed: Applicant | None, added: Applicant | None) -> int:
        """How much worse (positive) or better the targets get with this one change."""
        return self._penalty(self.deficits_after(removed, added)) - self.base_penalty

    def worsened_after(
        self, removed: Applicant | None, added: Applicant | None
    ) -> list[TrackTarget]:
        """The targets this one change would make worse."""
        after = self.deficits_after(removed, added)
        return [
            item
            for item, before, now in zip(self.items, self.base, after, strict=True)
            if now > before
        ]

    def equally_good_after(self, removed: Applicant, added: Applicant) -> bool:
        """Whether one member leaving and another joining keeps every hard target met and the
        weighted sum of the soft targets' deficits exactly as it is."""
        soft = 0
        for item, now in zip(self.items, self.deficits_after(removed, added), strict=True):
            if item.target.hard:
                if now:
                    return False
            else:
                soft += item.target.weight * now
        return soft == self.soft
