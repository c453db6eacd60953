"""Words for the committee: the representation of each group against its targets, what each
member adds, why each applicant not selected is not, waiting lists and replacements.

Explanations weigh one change at a time (add, remove or swap one person) against the same
target definitions the solver uses, so they say what the solver saw."""

from __future__ import annotations

from dataclasses import dataclass

from handlespor.engine.lot import lot_numbers
from handlespor.engine.models import (
    Applicant,
    Assignment,
    Instance,
    Member,
    NotSelected,
    TargetOutcome,
    TrackResult,
    WaitingEntry,
)
from handlespor.engine.targets import (
    HARD,
    Group,
    TrackTarget,
    allowed,
    deficit,
    measure_of,
    shown_value,
    track_targets,
)

TEXTS = {
    "da": {
        "rank": "{n}. prioritet",
        "score": "vurdering {score:g}",
        "adds": "bidrager til: {targets}",
        "only": "eneste med {value}",
        "excluded": "udelukket af udvalget",
        "not_eligible": "ikke bekræftet som partner",
        "no_track": "har ikke valgt et handlespor, der er åbent for {name}",
        "organisation": "{organisation} har allerede {count} deltager(e) i handlesporet",
        "full": "handlesporet er fuldt ({size} af {seats})",
        "would_worsen": "at tage {name} med ville forværre {targets}",
        "swap_worsens": "at tage {name} ind i stedet for en anden ville forværre {targets}",
        "higher_rank": "de valgte har handlesporet som højere prioritet",
        "higher_score": "de valgte har en højere vurdering",
        "lottery": "lige så godt et match som de valgte; afgjort ved lodtrækning",
        "no_gain": "at tage {name} med ville ikke forbedre sammensætningen",
        "locked_full": "alle pladser er låst",
        "keeps": "bevarer balancen",
        "may_worsen": "kan forværre {targets}",
        "track": "{rank} {track}: {reason}",
        "sensitive_target": "et mål for en følsom oplysning",
    },
    "en": {
        "rank": "choice {n}",
        "score": "review {score:g}",
        "adds": "adds to: {targets}",
        "only": "the only one with {value}",
        "excluded": "excluded by the committee",
        "not_eligible": "not confirmed as a partner",
        "no_track": "chose no track open to {name}",
        "organisation": "{organisation} already has {count} member(s) in the track",
        "full": "the track is full ({size} of {seats})",
        "would_worsen": "including {name} would worsen {targets}",
        "swap_worsens": "taking {name} instead of someone else would worsen {targets}",
        "higher_rank": "those selected ranked the track higher",
        "higher_score": "those selected have a higher review score",
        "lottery": "as good a match as those selected; decided by lot",
        "no_gain": "including {name} would not improve the group",
        "locked_full": "every seat is locked",
        "keeps": "keeps the balance",
        "may_worsen": "may worsen {targets}",
        "track": "{rank} {track}: {reason}",
        "sensitive_target": "a target on sensitive data",
    },
}


@dataclass(frozen=True)
class Words:
    """A phrase in full, and redacted for readers who may not see the sensitive attributes
    (targets on them are named only as such, their values not at all)."""

    full: str
    redacted: str

    @classmethod
    def same(cls, text: str) -> Words:
        return cls(text, text)

    def __add__(self, other: Words) -> Words:
        return Words(self.full + other.full, self.redacted + other.redacted)


class Explainer:
    def __init__(self, instance: Instance, assignment: Assignment) -> None:
        self.instance = instance
        self.assignment = assignment
        self.text = TEXTS[instance.settings.language]
        self.locked, self.excluded, _banned = instance.lock_sets
        self.selected = {a for members in assignment.values() for a in members}
        self.groups = {
            t.id: Group(
                instance,
                t.id,
                track_targets(instance, t.id),
                [instance.applicant(a) for a in assignment.get(t.id, ())],
            )
            for t in instance.tracks
        }
        self.lot = lot_numbers(instance)
        self._pools: dict[str, list[Applicant]] = {}
        self.sensitive = set(instance.settings.sensitive)

    def _targets(self, items: list[TrackTarget]) -> Words:
        """Target descriptions, and the same with sensitive ones named only as such."""
        full = list(dict.fromkeys(item.target.describe() for item in items))
        redacted = list(
            dict.fromkeys(
                self.text["sensitive_target"]
                if item.attribute in self.sensitive
                else item.target.describe()
                for item in items
            )
        )
        return Words(", ".join(full), ", ".join(redacted))

    def _say(self, key: str, targets: Words | None = None, **values: object) -> Words:
        if targets is None:
            return Words.same(self.text[key].format(**values))
        return Words(
            self.text[key].format(targets=targets.full, **values),
            self.text[key].format(targets=targets.redacted, **values),
        )

    def _rank_text(self, applicant: Applicant, track: str) -> str | None:
        rank = applicant.rank(track)
        return None if rank is None else self.text["rank"].format(n=rank + 1)

    # The groups

    def tracks(self) -> tuple[TrackResult, ...]:
        results = []
        for track in self.instance.tracks:
            group = self.groups[track.id]
            representation = tuple(
                TargetOutcome(
                    target=item.target,
                    label=item.target.describe(),
                    value=shown_value(item, group.members),
                    met=deficit(item, group.members) == 0,
                    deficit=deficit(item, group.members),
                    possible=item.possible,
                    measure=measure_of(item, group.members),
                    size=len(group.members),
                )
                for item in group.items
            )
            members = tuple(self._member(group, m) for m in group.members)
            results.append(
                TrackResult(
                    track=track.id,
                    name=track.label,
                    members=members,
                    representation=representation,
                    waiting_list=self.waiting_list(track.id),
                )
            )
        return tuple(results)

    def _member(self, group: Group, member: Applicant) -> Member:
        adds: list[Words] = []
        if rank := self._rank_text(member, group.track):
            adds.append(Words.same(rank))
        others = [m for m in group.members if m.id != member.id]
        if worse := group.worsened_after(member, None):
            adds.append(self._say("adds", self._targets(worse)))
        for attribute in sorted({item.attribute for item in group.items}):
            for value in member.attributes.get(attribute, ()):
                if not any(o.has(attribute, value) for o in others):
                    only = self.text["only"].format(value=value)
                    adds.append(Words(only, "" if attribute in self.sensitive else only))
        score = member.scores.get(group.track)
        return Member(
            applicant=member.id,
            name=member.name,
            rank=member.rank(group.track),
            score=score,
            adds=tuple(w.full for w in adds),
            adds_redacted=tuple(w.redacted for w in adds if w.redacted),
        )

    # Those not selected

    def not_selected(self) -> tuple[NotSelected, ...]:
        result = []
        for applicant in self.instance.applicants:
            if applicant.id in self.selected:
                continue
            words = self.reason(applicant)
            result.append(
                NotSelected(
                    applicant=applicant.id,
                    name=applicant.name,
                    reason=words.full,
                    reason_redacted=words.redacted,
                )
            )
        return tuple(result)

    def reason(self, applicant: Applicant) -> Words:
        """Why the applicant is not in, in full and redacted."""
        if applicant.id in self.excluded:
            return self._say("excluded")
        if self.instance.rules.eligible_only and not applicant.eligible:
            return self._say("not_eligible")
        tracks = [t for t in applicant.preferences if allowed(self.instance, applicant, t)]
        if not tracks:
            return self._say("no_track", name=applicant.name or applicant.id)
        parts = []
        for t in tracks:
            reason = self._track_reason(applicant, t)
            rank, label = self._rank_text(applicant, t), self.instance.track(t).label
            parts.append(
                Words(
                    self.text["track"].format(rank=rank, track=label, reason=reason.full),
                    self.text["track"].format(rank=rank, track=label, reason=reason.redacted),
                )
            )
        return Words("; ".join(p.full for p in parts), "; ".join(p.redacted for p in parts))

    def _track_reason(self, applicant: Applicant, track: str) -> Words:
        group = self.groups[track]
        name = applicant.name or applicant.id
        cap = self.instance.rules.max_per_organisation
        same = sum(
            1
            for m in group.members
            if applicant.organisation and m.organisation == applicant.organisation
        )
        if cap is not None and same >= cap:
            return self._say("organisation", organisation=applicant.organisation, count=same)
        seats = self.instance.track(track).max_seats
        if len(group.members) < seats:
            worse = group.worsened_after(None, applicant)
            if worse:
                return self._say("would_worsen", self._targets(worse), name=name)
            return self._say("no_gain", name=name)
        full = Words.same(self.text["full"].format(size=len(group.members), seats=seats) + "; ")
        swap = self._best_swap(group, applicant)
        if swap is None:
            return full + self._say("locked_full")
        removed = swap
        worse = group.worsened_after(removed, applicant)
        if group.penalty_after(removed, applicant) > 0 and worse:
            return full + self._say("swap_worsens", self._targets(worse), name=name)
        if self.instance.points(removed, track) > self.instance.points(applicant, track):
            return full + self._say("higher_rank")
        if removed.scores.get(track, 0) > applicant.scores.get(track, 0):
            return full + self._say("higher_score")
        return full + self._say("lottery")

    def _best_swap(self, group: Group, applicant: Applicant) -> Applicant | None:
        """The member whose seat the applicant could take at the least cost to the targets."""
        best = None
        for member in group.members:
            if self.locked.get(member.id) == group.track:
                continue
            key = (
                group.penalty_after(member, applicant),
                -self.instance.points(member, group.track),
                -member.scores.get(group.track, 0),
            )
            if best is None or key < best[0]:
                best = (key, member)
        return None if best is None else best[1]

    # Waiting lists and replacements

    def _candidates(self, track: str) -> list[Applicant]:
        if track not in self._pools:
            self._pools[track] = [
                a
                for a in self.instance.applicants
                if a.id not in self.selected and allowed(self.instance, a, track)
            ]
        return self._pools[track]

    def _fits_organisation(self, members: list[Applicant], candidate: Applicant) -> bool:
        cap = self.instance.rules.max_per_organisation
        if cap is None or not candidate.organisation:
            return True
        return sum(1 for m in members if m.organisation == candidate.organisation) < cap

    def waiting_list(self, track: str) -> tuple[WaitingEntry, ...]:
        """Who takes a seat if a member leaves: the candidates that keep the balance best on
        average over whoever leaves, then by preference, review score and lot."""
        length = self.instance.settings.waiting_list_length
        if not length:
            return ()
        group = self.groups[track]
        leavers = [m for m in group.members if self.locked.get(m.id) != track] or [None]
        ranked = []
        afters = [
            [m for m in group.members if leaver is None or m.id != leaver.id] for leaver in leavers
        ]
        for candidate in self._candidates(track):
            penalties = []
            for leaver, after in zip(leavers, afters, strict=True):
                if not self._fits_organisation(after, candidate):
                    penalties.append(HARD)
                else:
                    penalties.append(group.penalty_after(leaver, candidate))
            key = (
                sum(penalties) / len(penalties),
                -self.instance.points(candidate, track),
                -candidate.scores.get(track, 0),
                self.lot[candidate.id],
            )
            ranked.append((key, candidate))
        ranked.sort(key=lambda entry: entry[0])
        entries = []
        for position, (key, candidate) in enumerate(ranked[:length], start=1):
            note = [Words.same(self._rank_text(candidate, track) or "")]
            if key[0] <= 0:
                note.append(self._say("keeps"))
            else:
                worse = {
                    item.target.describe(): item
                    for leaver in leavers
                    for item in group.worsened_after(leaver, candidate)
                }
                items = [worse[description] for description in sorted(worse)]
                note.append(self._say("may_worsen", self._targets(items)))
            entries.append(
                WaitingEntry(
                    applicant=candidate.id,
                    name=candidate.name,
                    position=position,
                    note="; ".join(n.full for n in note if n.full),
                    note_redacted="; ".join(n.redacted for n in note if n.redacted),
                )
            )
        return tuple(entries)

    def replacement(self, track: str, leaving: str, among: set[str] | None = None) -> str | None:
        """The best applicant (of `among`, when given, e.g. the waiting list) to take the seat
        that `leaving` gives up in `track`."""
        group = self.groups[track]
        remaining = [m for m in group.members if m.id != leaving]
        best = None
        for candidate in self._candidates(track):
            if among is not None and candidate.id not in among:
                continue
            if candidate.id == leaving or not self._fits_organisation(remaining, candidate):
                continue
            key = (
                group.penalty_after(group_member(group, leaving), candidate),
                -self.instance.points(candidate, track),
                -candidate.scores.get(track, 0),
                self.lot[candidate.id],
            )
            if best is None or key < best[0]:
                best = (key, candidate.id)
        return None if best is None else best[1]


def group_member(group: Group, applicant_id: str) -> Applicant | None:
    return next((m for m in group.members if m.id == applicant_id), None)
