"""The fair lottery of a call: every applicant's chance, the public table and the draw.

The chances are leximin over every composition that meets each target as a hard quota, each
track full, the organisation rule, the choices and the locks (`handlespor.engine.leximin`):
the smallest chance is as large as the rules allow, then the next smallest, and so on. They
are rounded to a table of m equally likely compositions; a seed that staff enter picks the
number, so anyone with the table and the seed can repeat the draw.

May import: the engine, the calls and the selection's models, domain and instance.
"""

from __future__ import annotations

import csv
import hashlib
import io
import time

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, override

from handlespor.calls.models import Call
from handlespor.engine import Explainer, Instance
from handlespor.engine.leximin import Infeasible, leximin
from handlespor.engine.lottery import (
    DEFAULT_M,
    InstanceProblem,
    assignment_of,
    lottery_number,
    problem_from_instance,
    table_problems,
    table_round,
)
from handlespor.engine.models import Composition, NotSelected
from handlespor.selection.domain import activity_log, run_queue
from handlespor.selection.instance import instance_for_call
from handlespor.selection.models import Lottery, Proposal


class LotteryNotDrawable(Exception):
    """The lottery cannot be drawn: not computed, drawn already, or the call changed since."""


def lottery_start(*, call: Call, user: AbstractBaseUser) -> Lottery:
    """Queue the computation of every applicant's chance (see `domain.run_queue`)."""
    from handlespor.selection.tasks import compute_lottery

    return run_queue(
        model=Lottery,
        call=call,
        user=user,
        text="Startede lodtrækning {pk}: chancerne",
        work=compute_lottery,
    )


def fingerprint(source: InstanceProblem) -> str:
    """The SHA-256 of the lottery's problem: who may sit where, the quotas, the types and the
    locks. A draw needs the call unchanged since its chances were computed."""
    problem = source.problem
    text = repr(
        (
            problem.sizes,
            problem.tracks,
            problem.seats,
            sorted((q.track, sorted(q.types), q.low, q.high) for q in problem.quotas),
            problem.required,
            sorted(
                (d.track, sorted(sorted(g) for g in d.groups), d.at_least) for d in problem.distinct
            ),
            source.members,
            source.track_ids,
            sorted(source.left_out.items()),
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()


def lottery_result(instance: Instance, *, m: int = DEFAULT_M) -> dict:
    """The lottery's result as stored on the Lottery (JSON): each type (the applicants alike in
    everything the rules look at) with its members and its chance overall and per track, who
    is left out and why, the table of m compositions in ranges of numbers, its SHA-256 and the
    largest change the rounding made; or, when no composition meets the targets, `infeasible`.
    """
    started = time.perf_counter()
    source = problem_from_instance(instance)
    problem = source.problem
    base = {
        "m": m,
        "tracks": list(source.track_ids),
        "left_out": source.left_out,
        "fingerprint": fingerprint(source),
    }
    if not problem.sizes:
        return base | {"infeasible": True}
    try:
        distribution = leximin(problem)
    except Infeasible:
        return base | {"infeasible": True}
    table = table_round(problem, distribution, m=m)
    if found := table_problems(problem, table.rows):
        raise RuntimeError(f"the lottery's table failed its check: {found[:3]}")
    ranges = []
    seated = [[0] * len(problem.seats) for _ in source.members]
    for number, row in enumerate(table.rows, start=1):
        cells = [[t, r, count] for (t, r), count in row]
        if ranges and ranges[-1]["cells"] == cells:
            ranges[-1]["to"] = number
        else:
            ranges.append({"from": number, "to": number, "cells": cells})
        for t, r, count in cells:
            seated[t][r] += count
    types = [
        {
            "members": list(members),
            "chance": table.chance[t],
            "per_track": [count / (len(members) * m) for count in seated[t]],
            "certain": problem.is_required(t),
            "impossible": t in distribution.impossible,
        }
        for t, members in enumerate(source.members)
    ]
    result = base | {
        "infeasible": False,
        "types": types,
        "table": ranges,
        "largest_change": table.largest_change,
        "change_bound": table.change_bound,
        "support": len(distribution.compositions),
        "seconds": round(time.perf_counter() - started, 2),
    }
    result["table_sha256"] = hashlib.sha256(table_csv(result).encode()).hexdigest()
    return result


def table_csv(result: dict, track_names: dict[str, str] | None = None) -> str:
    """The published table: one line per range of numbers, track and group, with how many of
    the group that composition seats in the track (groups numbered from 1, as on the printable
    page)."""
    names = track_names or {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["fra", "til", "handlespor", "gruppe", "antal"])
    for item in result["table"]:
        for t, r, count in item["cells"]:
            track = result["tracks"][r]
            writer.writerow([item["from"], item["to"], names.get(track, track), t + 1, count])
    return out.getvalue()


def chances_by_applicant(result: dict) -> dict[str, dict]:
    """Each applicant's chance (0..1), per track (by track id), group number (from 1) and
    whether certain (a lock) or impossible, from a lottery's result."""
    found = {}
    for number, item in enumerate(result.get("types", []), start=1):
        per_track = dict(zip(result["tracks"], item["per_track"], strict=True))
        for applicant in item["members"]:
            found[applicant] = {
                "chance": item["chance"],
                "per_track": per_track,
                "group": number,
                "certain": item["certain"],
                "impossible": item["impossible"],
            }
    for applicant, reason in result.get("left_out", {}).items():
        found[applicant] = {
            "chance": 0.0,
            "per_track": dict.fromkeys(result["tracks"], 0.0),
            "group": None,
            "certain": False,
            "impossible": True,
            "reason": reason,
        }
    return found


def lottery_draw(*, lottery: Lottery, seed: str, user: AbstractBaseUser) -> Proposal:
    """Draw the lottery with the seed: the number is `lottery_number(seed, m)`, its row of the
    table the composition, and within each group the seed's order (`type_order`) who of the
    group takes the seats. The waiting lists keep the targets when someone leaves, ties broken
    by the seed. Returns the proposal, ready to be approved like any other.

    Side effects: stores the proposal (done), records seed, number, who and when on the
    lottery, and logs seed, number and the table's SHA-256 in the activity log. Raises
    LotteryNotDrawable when the lottery is not computed, drawn already, or the call's
    applications, targets or locks changed since.
    """
    call = lottery.call
    instance = instance_for_call(call=call)
    with transaction.atomic():
        locked = Lottery.objects.select_for_update().get(pk=lottery.pk)
        if not locked.has_table:
            raise LotteryNotDrawable(gettext("Chancerne er ikke beregnet."))
        result = locked.result
        if locked.is_drawn:
            raise LotteryNotDrawable(gettext("Der er allerede trukket lod."))
        source = problem_from_instance(instance)
        if fingerprint(source) != result["fingerprint"]:
            raise LotteryNotDrawable(
                gettext(
                    "Ansøgningerne, målene eller låsene er ændret, siden chancerne blev "
                    "beregnet. Beregn dem igen, før der trækkes lod."
                )
            )
        number = lottery_number(seed, result["m"])
        row = next(item for item in result["table"] if item["from"] <= number <= item["to"])
        composition = tuple(((t, r), count) for t, r, count in row["cells"])
        assignment = assignment_of(source, composition, seed)
        proposal = Proposal.objects.create(
            call=call,
            name=gettext("Lodtrækning: nummer %(number)s af %(m)s")
            % {"number": number, "m": result["m"]},
            status=Proposal.Status.DONE,
            created_by=user,
            heartbeat_at=timezone.now(),
            finished_at=timezone.now(),
            result=_composition(instance, assignment, seed, result).model_dump(mode="json"),
        )
        locked.seed, locked.number, locked.proposal = seed, number, proposal
        locked.drawn_at, locked.drawn_by = timezone.now(), user
        locked.save(update_fields=["seed", "number", "proposal", "drawn_at", "drawn_by"])
        activity_log(
            call=call,
            actor=user,
            text=(
                f"Trak lod ({locked.pk}): frø «{seed}», nummer {number} af {result['m']}, "
                f"tabellens SHA-256 {result['table_sha256']}; forslag {proposal.pk}"
            ),
        )
    return proposal


def _composition(instance: Instance, assignment: dict, seed: str, result: dict) -> Composition:
    """The drawn composition as the board shows a proposal: each track's members and
    representation, waiting lists that keep the targets (ties by the seed, no review scores),
    and for everyone else their chance."""
    digest = hashlib.sha256(seed.encode()).digest()
    drawn = instance.model_copy(
        update={
            "applicants": tuple(a.model_copy(update={"scores": {}}) for a in instance.applicants),
            "settings": instance.settings.model_copy(
                update={"seed": int.from_bytes(digest[:8], "big")}
            ),
        }
    )
    explainer = Explainer(drawn, assignment)
    chances = chances_by_applicant(result)
    seated = {a for members in assignment.values() for a in members}
    not_selected = []
    for applicant in drawn.applicants:
        if applicant.id in seated:
            continue
        chance = chances.get(applicant.id, {})
        if chance.get("reason"):
            with override("da"):  # the board's reasons are Danish, like the engine's
                reason = str(LEFT_OUT_REASONS[chance["reason"]])
        else:
            percent = f"{100 * chance.get('chance', 0.0):.1f}".replace(".", ",")
            reason = f"Ikke udtrukket ved lodtrækningen (chance {percent} %)"
        not_selected.append(NotSelected(applicant=applicant.id, name=applicant.name, reason=reason))
    return Composition(
        status="feasible",
        solve_seconds=result.get("seconds", 0.0),
        assignment=assignment,
        tracks=explainer.tracks(),
        not_selected=tuple(not_selected),
    )


# Why an applicant has no chance at all.
LEFT_OUT_REASONS = {
    "excluded": gettext_lazy("Udelukket af en lås"),
    "not_eligible": gettext_lazy("Ikke berettiget"),
    "no_track": gettext_lazy("Kan ikke sidde i nogen af sine handlespor (låse eller valg)"),
}
NO_COMPOSITION = gettext_lazy("Ingen sammensætning, der opfylder målene, har plads til ansøgeren")
