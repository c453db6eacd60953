"""The engine's typed input (an instance) and output (a composition). No Django here."""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

TargetKind = Literal[
    "min_count", "max_count", "min_share", "max_share", "min_distinct", "max_share_each"
]
Level = Literal["min_seats", "targets", "preferences", "scores", "fill"]
DEFAULT_ORDER: tuple[Level, ...] = ("min_seats", "targets", "preferences", "scores", "fill")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Applicant(Frozen):
    id: str
    name: str = ""
    organisation: str = ""
    attributes: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    eligible: bool = True
    preferences: tuple[str, ...] = ()  # track ids, first choice first
    scores: dict[str, float] = Field(default_factory=dict)  # review score per track id

    @field_validator("attributes", mode="before")
    @classmethod
    def _values_as_tuples(cls, value: dict) -> dict:
        return {key: (v,) if isinstance(v, str) else tuple(v) for key, v in (value or {}).items()}

    def has(self, attribute: str, value: str) -> bool:
        return value in self.attributes.get(attribute, ())

    def rank(self, track: str) -> int | None:
        """0 for the first choice, 1 for the second …; None when not chosen."""
        return self.preferences.index(track) if track in self.preferences else None


class Track(Frozen):
    id: str
    name: str = ""
    min_seats: int = Field(default=8, ge=0)
    max_seats: int = Field(default=12, ge=1)

    @model_validator(mode="after")
    def _min_not_above_max(self) -> Track:
        if self.min_seats > self.max_seats:
            raise ValueError(f"track {self.id}: min_seats above max_seats")
        return self

    @property
    def label(self) -> str:
        return self.name or self.id


class Target(Frozen):
    """A representation target, per track or (track None) for every track.

    Shares are percentages of the group's size. "min_distinct" asks for at least `amount`
    distinct values among `values` (all values when empty); "max_share_each" caps the share of
    every value among `values` (all values when empty).
    """

    attribute: str
    kind: TargetKind
    amount: float = Field(ge=0)
    values: tuple[str, ...] = ()
    track: str | None = None
    hard: bool = False
    weight: int = Field(default=1, ge=0)
    only_where_possible: bool = False

    @model_validator(mode="after")
    def _shares_are_percent(self) -> Target:
        if "share" in self.kind and self.amount > 100:
            raise ValueError("a share is a percentage from 0 to 100")
        if self.kind in {"min_count", "max_count", "min_share", "max_share"} and not self.values:
            raise ValueError(f"a {self.kind} target names the values it counts")
        return self

    def applies_to(self, track: str) -> bool:
        return self.track is None or self.track == track

    def describe(self) -> str:
        subject = ", ".join(self.values) if self.values else self.attribute
        # Danish decimal comma, at most one decimal: a third (33.334) reads 33,3.
        number = f"{round(self.amount, 1):g}".replace(".", ",")
        return {
            "min_count": f"{subject} ≥ {number}",
            "max_count": f"{subject} ≤ {number}",
            "min_share": f"{subject} ≥ {number} %",
            "max_share": f"{subject} ≤ {number} %",
            "min_distinct": f"{self.attribute}: ≥ {number} forskellige",
            "max_share_each": f"{self.attribute}: ingen over {number} %",
        }[self.kind]


class Lock(Frozen):
    applicant: str
    kind: Literal["in_track", "excluded", "not_in_track"]
    track: str | None = None

    @model_validator(mode="after")
    def _track_when_needed(self) -> Lock:
        if self.kind != "excluded" and not self.track:
            raise ValueError(f"a {self.kind} lock names a track")
        return self


class Rules(Frozen):
    max_per_organisation: int | None = Field(default=1, ge=1)
    only_chosen_tracks: bool = True
    eligible_only: bool = True
    min_seats_hard: bool = False


class Settings(Frozen):
    order: tuple[Level, ...] = DEFAULT_ORDER
    preference_points: tuple[int, ...] = (2, 1)  # first choice, second choice, …
    time_limit: float = Field(default=60.0, gt=0)
    seed: int = 0
    # One solver worker makes the search, and so the lot, reproducible: the same seed gives the
    # same composition on every run. More workers may be faster on hard instances, but two runs
    # may then propose different (equally good) compositions.
    workers: int = Field(default=1, ge=1)
    # Model a track whose pool is small by its possible groups (proves scarce pools far faster);
    # off, every track is modelled plainly. Both give the same optimum.
    small_pools_as_groups: bool = True
    waiting_list_length: int = Field(default=5, ge=0)
    alternatives: int = Field(default=0, ge=0)
    alternative_min_difference: int = Field(default=2, ge=1)
    alternative_tolerance: float = Field(default=10.0, ge=0)  # percent of the best objective
    explain: bool = True
    language: Literal["da", "en"] = "da"
    # Attributes whose values and targets the redacted explanations leave unnamed.
    sensitive: tuple[str, ...] = ()

    @field_validator("order")
    @classmethod
    def _order_is_a_permutation(cls, order: tuple[Level, ...]) -> tuple[Level, ...]:
        if sorted(order) != sorted(DEFAULT_ORDER):
            raise ValueError(f"order must name each of {', '.join(DEFAULT_ORDER)} once")
        return order


class Instance(Frozen):
    applicants: tuple[Applicant, ...]
    tracks: tuple[Track, ...]
    targets: tuple[Target, ...] = ()
    rules: Rules = Rules()
    locks: tuple[Lock, ...] = ()
    settings: Settings = Settings()

    @model_validator(mode="after")
    def _references_exist(self) -> Instance:
        track_ids = [t.id for t in self.tracks]
        applicant_ids = [a.id for a in self.applicants]
        if len(set(track_ids)) != len(track_ids):
            raise ValueError("track ids must be unique")
        if len(set(applicant_ids)) != len(applicant_ids):
            raise ValueError("applicant ids must be unique")
        known = set(track_ids)
        for applicant in self.applicants:
            unknown = [t for t in applicant.preferences if t not in known]
            if unknown:
                raise ValueError(f"applicant {applicant.id} prefers unknown track {unknown[0]}")
        for target in self.targets:
            if target.track is not None and target.track not in known:
                raise ValueError(f"target {target.describe()} names unknown track {target.track}")
        people = set(applicant_ids)
        for lock in self.locks:
            if lock.applicant not in people:
                raise ValueError(f"lock names unknown applicant {lock.applicant}")
            if lock.track is not None and lock.track not in known:
                raise ValueError(f"lock names unknown track {lock.track}")
        return self

    @cached_property
    def applicant_index(self) -> dict[str, Applicant]:
        return {a.id: a for a in self.applicants}

    @cached_property
    def track_index(self) -> dict[str, Track]:
        return {t.id: t for t in self.tracks}

    @cached_property
    def attribute_domain(self) -> dict[str, tuple[str, ...]]:
        """Every value each attribute takes among the applicants, in first-seen order."""
        domain: dict[str, dict[str, None]] = {}
        for applicant in self.applicants:
            for attribute, values in applicant.attributes.items():
                seen = domain.setdefault(attribute, {})
                for value in values:
                    seen.setdefault(value, None)
        return {attribute: tuple(values) for attribute, values in domain.items()}

    @cached_property
    def lock_sets(self) -> tuple[dict[str, str], frozenset[str], frozenset[tuple[str, str]]]:
        """(applicant -> track they are locked into, excluded applicants, (applicant, track)
        bans)."""
        locked = {
            lock.applicant: lock.track or "" for lock in self.locks if lock.kind == "in_track"
        }
        excluded = frozenset(lock.applicant for lock in self.locks if lock.kind == "excluded")
        banned = frozenset(
            (lock.applicant, lock.track or "") for lock in self.locks if lock.kind == "not_in_track"
        )
        return locked, excluded, banned

    def applicant(self, applicant_id: str) -> Applicant:
        return self.applicant_index[applicant_id]

    def points(self, applicant: Applicant, track_id: str) -> int:
        """The preference points the applicant brings to the track: by the rank of their
        choice, 0 when they did not choose it or chose it below the ranks that give points."""
        rank = applicant.rank(track_id)
        points = self.settings.preference_points
        return points[rank] if rank is not None and rank < len(points) else 0

    def track(self, track_id: str) -> Track:
        return self.track_index[track_id]


Assignment = dict[str, tuple[str, ...]]  # track id -> applicant ids


class TargetOutcome(Frozen):
    target: Target
    label: str
    value: str
    met: bool
    deficit: int
    possible: bool = True
    measure: int = 0  # the count the target looks at (members, distinct values, the top value)
    size: int = 0  # the group's size


class Member(Frozen):
    applicant: str
    name: str
    rank: int | None
    score: float | None
    adds: tuple[str, ...] = ()
    # The same without what reveals a sensitive attribute (Settings.sensitive).
    adds_redacted: tuple[str, ...] = ()


class WaitingEntry(Frozen):
    applicant: str
    name: str
    position: int
    note: str
    note_redacted: str = ""


class TrackResult(Frozen):
    track: str
    name: str
    members: tuple[Member, ...]
    representation: tuple[TargetOutcome, ...]
    waiting_list: tuple[WaitingEntry, ...] = ()

    @property
    def size(self) -> int:
        return len(self.members)


class NotSelected(Frozen):
    applicant: str
    name: str
    reason: str
    reason_redacted: str = ""


class Alternative(Frozen):
    assignment: Assignment
    objective: dict[str, int]
    differs_from_best: int


class Composition(Frozen):
    status: Literal["optimal", "feasible", "infeasible"]
    gap: float | None = None
    solve_seconds: float
    objective: dict[str, int] = Field(default_factory=dict)
    assignment: Assignment = Field(default_factory=dict)
    tracks: tuple[TrackResult, ...] = ()
    not_selected: tuple[NotSelected, ...] = ()
    alternatives: tuple[Alternative, ...] = ()
    diagnosis: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
