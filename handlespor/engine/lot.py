"""The seeded lot: which of several equally good compositions is proposed.

Every applicant draws a lot number (1 is best) from the seed: the applicants' ids, sorted, are
shuffled by a generator seeded with it, so the numbers depend on the seed and the ids alone, not
on the order of the input. The solver finds an optimal composition; the lot then lets each applicant
not selected, best lot number first, take the seat of the selected applicant with the worst lot
number whose place they can take with every level of the objective unchanged (the same balance,
the same preference points and review score, every rule kept). It repeats until no such exchange
is left. The result keeps the solver's optimum on every level, and:

    no applicant not selected could take a selected applicant's place in a track, with the
    composition exactly as good, while holding a better lot number.

That rule is what the tests check by trying every exchange. With one solver worker (the default)
the solver's composition, and so the lot's, is the same on every run with the same seed.
"""

from __future__ import annotations

import random
from collections import Counter

from handlespor.engine.models import Applicant, Assignment, Instance
from handlespor.engine.targets import Group, allowed, track_targets
from handlespor.engine.validate import score_units


def lot_numbers(instance: Instance) -> dict[str, int]:
    """Each applicant's lot number, 1 (best) to n, drawn from the seed."""
    ids = sorted(a.id for a in instance.applicants)
    random.Random(instance.settings.seed).shuffle(ids)
    return {applicant: number for number, applicant in enumerate(ids, start=1)}


class Exchanges:
    """A composition that changes by exchanges: one applicant not selected takes the seat of a
    selected one in the same track, with every level of the objective unchanged."""

    def __init__(self, instance: Instance, assignment: Assignment) -> None:
        self.instance = instance
        self.locked = instance.lock_sets[0]
        self.members = {t.id: list(assignment.get(t.id, ())) for t in instance.tracks}
        self.items = {t.id: track_targets(instance, t.id) for t in instance.tracks}
        self.groups = {t.id: self._group(t.id) for t in instance.tracks}
        # What an exchange must keep equal besides the balance: preference points and score.
        self.worth = {
            (a.id, t.id): (instance.points(a, t.id), score_units(a.scores.get(t.id)))
            for a in instance.applicants
            for t in instance.tracks
            if allowed(instance, a, t.id)
        }
        self.tracks_of: dict[str, list[str]] = {}
        for a, t in self.worth:
            self.tracks_of.setdefault(a, []).append(t)

    def _group(self, track: str) -> Group:
        people = [self.instance.applicant(a) for a in self.members[track]]
        return Group(self.instance, track, self.items[track], people)

    def seated(self) -> set[str]:
        return {a for ids in self.members.values() for a in ids}

    def assignment(self) -> Assignment:
        return {t: tuple(ids) for t, ids in self.members.items()}

    def worst_lot_option(
        self,
        newcomer_id: str,
        lot: dict[str, int],
        above: int = 0,
        excluded: frozenset = frozenset(),
    ) -> tuple[str, Applicant] | None:
        """The (track, member) with the worst lot number above `above` whose seat the newcomer
        can take with the composition exactly as good; None when there is none."""
        newcomer = self.instance.applicant(newcomer_id)
        cap = self.instance.rules.max_per_organisation
        best = None
        for track in self.tracks_of.get(newcomer_id, ()):
            group = self.groups[track]
            organisations = Counter(m.organisation for m in group.members)
            for member in sorted(group.members, key=lambda m: lot[m.id], reverse=True):
                if lot[member.id] <= above or (
                    best is not None and lot[member.id] <= lot[best[1].id]
                ):
                    break
                if (
                    member.id in excluded
                    or self.locked.get(member.id) == track
                    or self.worth[member.id, track] != self.worth[newcomer_id, track]
                ):
                    continue
                if cap is not None and newcomer.organisation:
                    others = organisations[newcomer.organisation] - (
                        member.organisation == newcomer.organisation
                    )
                    if others >= cap:
                        continue
                if group.equally_good_after(member, newcomer):
                    best = (track, member)
                    break
        return best

    def exchange(self, track: str, leaving: str, newcomer: str) -> None:
        self.members[track][self.members[track].index(leaving)] = newcomer
        self.groups[track] = self._group(track)


def lot_draw(instance: Instance, assignment: Assignment) -> Assignment:
    """The composition after the lot's exchanges (see the module); every level of the objective
    is as it was. Track order and member order are kept; a newcomer takes the place of the one
    they replace."""
    lot = lot_numbers(instance)
    state = Exchanges(instance, assignment)
    seated = state.seated()
    waiting = sorted((a for a in state.tracks_of if a not in seated), key=lot.__getitem__)
    # A track's version grows with each exchange in it; an applicant is looked at again only
    # when a track open to them has changed since they were last looked at.
    version = dict.fromkeys(state.members, 0)
    looked: dict[str, tuple[int, ...]] = {}
    changed = True
    while changed:
        changed = False
        for index, newcomer in enumerate(waiting):
            now = tuple(version[t] for t in state.tracks_of[newcomer])
            if looked.get(newcomer) == now:
                continue
            looked[newcomer] = now
            option = state.worst_lot_option(newcomer, lot, above=lot[newcomer])
            if option is None:
                continue
            track, leaving = option
            state.exchange(track, leaving.id, newcomer)
            version[track] += 1
            waiting[index] = leaving.id
            changed = True
        waiting.sort(key=lot.__getitem__)
    return state.assignment()


def equally_good_alternatives(
    instance: Instance, best: Assignment, count: int, difference: int
) -> list[Assignment]:
    """Up to `count` compositions exactly as good as the best on every level, each made by
    `difference` exchanges with people no other alternative exchanges: they differ from the best
    and from each other in at least `difference` seats. Newcomers are tried in lot order."""
    lot = lot_numbers(instance)
    used: set[str] = set()
    seated = {a for members in best.values() for a in members}
    waiting = sorted((a for a in lot if a not in seated), key=lot.__getitem__)
    found = []
    for _ in range(count):
        state = Exchanges(instance, best)
        made = 0
        for newcomer in waiting:
            if made == difference:
                break
            if newcomer in used:
                continue
            option = state.worst_lot_option(newcomer, lot, excluded=frozenset(used))
            if option is None:
                continue
            track, leaving = option
            state.exchange(track, leaving.id, newcomer)
            used.update((newcomer, leaving.id))
            made += 1
        if made < difference:
            break
        found.append(state.assignment())
    return found
