"""What the composition board shows, read from the database and a proposal's stored result: the
tracks side by side, the tracks × targets matrix, each member's details, the waiting lists and
those not selected, redacted for each viewer. Nothing here writes; the views in `board.py` ask
the rules, then these functions."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from handlespor.calls.models import Application, Call
from handlespor.charts import Bar, target_bar
from handlespor.roles import may_see_sensitive
from handlespor.selection.lottery import LEFT_OUT_REASONS, NO_COMPOSITION, chances_by_applicant
from handlespor.selection.models import Activity, Decision, Lottery, Proposal, SelectionLock


def outcome_bar(outcome: dict, seats: int) -> Bar:
    """A proposed group's outcome on one target as a bar (see `charts.target_bar`)."""
    target = outcome["target"]
    return target_bar(
        label=outcome["label"],
        text=outcome["value"],
        measure=outcome.get("measure", 0),
        size=outcome.get("size", 0),
        amount=target["amount"],
        is_share="share" in target["kind"],
        seats=seats,
        met=outcome["met"],
    )


def targets_matrix(tracks: list[dict]) -> list[dict]:
    """One row per target (in the order the tracks list them), one cell per track: the
    track's outcome on that target, or None where the target does not apply to it."""
    labels: dict[str, None] = {}
    for track in tracks:
        labels.update(dict.fromkeys(o["label"] for o in track["representation"]))
    by_track = [{o["label"]: o for o in track["representation"]} for track in tracks]
    return [
        {"label": label, "cells": [outcomes.get(label) for outcomes in by_track]}
        for label in labels
    ]


def board_context(call: Call, shown: Proposal | None = None) -> dict:
    """The board's context, showing the given proposal or the newest finished one."""
    proposal = Proposal.objects.filter(call=call).first()
    latest_done = shown or Proposal.objects.filter(call=call, status=Proposal.Status.DONE).first()
    result = latest_done.result if latest_done else None
    applications = {}
    if result:
        ids = [int(m["applicant"]) for t in result["tracks"] for m in t["members"]]
        ids += [int(n["applicant"]) for n in result["not_selected"]]
        ids += [int(e["applicant"]) for t in result["tracks"] for e in t["waiting_list"]]
        applications = Application.objects.select_related("organisation").in_bulk(ids)
    call_tracks = list(call.tracks.order_by("position"))
    seats = {str(t.pk): t for t in call_tracks}
    tracks = []
    for track in result["tracks"] if result else []:
        seat_range = seats.get(track["track"])
        members = [
            {**m, "application": applications.get(int(m["applicant"]))} for m in track["members"]
        ]
        max_seats = seat_range.max_seats if seat_range else 12
        tracks.append(
            {
                **track,
                "members": members,
                "min_seats": seat_range.min_seats if seat_range else 0,
                "max_seats": max_seats,
                "bars": [outcome_bar(o, max_seats) for o in track["representation"]],
                "unmet": sum(1 for o in track["representation"] if not o["met"]),
            }
        )
    for track in tracks:
        track["size_ok"] = track["min_seats"] <= len(track["members"]) <= track["max_seats"]
    not_selected = [
        {**n, "application": applications.get(int(n["applicant"]))}
        for n in (result["not_selected"] if result else [])
    ]
    return {
        "call": call,
        "applications": applications,
        "proposal": proposal,
        "shown": latest_done,
        "result": result,
        "tracks": tracks,
        "matrix": targets_matrix(tracks),
        "not_selected": not_selected,
        "call_tracks": call_tracks,
        "locks": SelectionLock.objects.filter(call=call).select_related("application", "track"),
        "activities": Activity.objects.filter(call=call).select_related("actor")[:30],
        "proposals": Proposal.objects.filter(call=call, status=Proposal.Status.DONE)[:20],
        "comments": latest_done.comments.select_related("author") if latest_done else [],
        "participants": list(
            Decision.objects.filter(
                application__call=call,
                outcome=Decision.Outcome.SELECTED,
                released_at__isnull=False,
            )
            .select_related("application", "track")
            .order_by("track__position", "application__name")
        ),
    }


def board_for_leader(user: AbstractBaseUser, context: dict, led: set[str]) -> None:
    """Narrow the board to what a track leader may see: those not selected only where they
    chose a track the user leads, the seats of their own tracks only, no locks, and reasons
    and notes that name a sensitive attribute redacted for each application the user may not
    see it of (results without a redacted text show no reason at all)."""
    context["not_selected"] = [
        n
        for n in context["not_selected"]
        if n["application"]
        and {str(n["application"].first_choice_id), str(n["application"].second_choice_id)} & led
    ]
    context["locks"] = []
    context["participants"] = [d for d in context["participants"] if str(d.track_id) in led]

    def hide(application: Application | None) -> bool:
        return not may_see_sensitive(user, application)

    for track in context["tracks"]:
        for member in track["members"]:
            if hide(member["application"]):
                member["adds"] = member.get("adds_redacted", [])
        waiting = []
        for entry in track.get("waiting_list", []):
            if hide(context["applications"].get(int(entry["applicant"]))):
                entry = {**entry, "note": entry.get("note_redacted", "")}
            waiting.append(entry)
        track["waiting_list"] = waiting
    for entry in context["not_selected"]:
        if hide(entry["application"]):
            entry["reason"] = entry.get("reason_redacted", "")


def proposals_compare(*, a: Proposal, b: Proposal) -> list[dict]:
    """Per track, the two proposals side by side: each one's members by name, those the other
    proposal does not have in this track marked as moved, with where it has them instead
    (another track's name, or None: not selected); who is only in A and only in B; and each
    target's outcome in both."""

    def where(proposal: Proposal) -> dict[str, str]:
        return {m["applicant"]: t["name"] for t in proposal.result["tracks"] for m in t["members"]}

    def side(members: list[dict], other: set[str], elsewhere: dict[str, str]) -> list[dict]:
        return sorted(
            (
                {
                    "name": m["name"],
                    "moved": m["applicant"] not in other,
                    "there": elsewhere.get(m["applicant"]),
                }
                for m in members
            ),
            key=lambda m: m["name"],
        )

    where_a, where_b = where(a), where(b)
    tracks_b = {t["track"]: t for t in b.result["tracks"]}
    rows = []
    for track in a.result["tracks"]:
        other = tracks_b.get(track["track"], {"members": [], "representation": []})
        ids_a = {m["applicant"] for m in track["members"]}
        ids_b = {m["applicant"] for m in other["members"]}
        members_a = side(track["members"], ids_b, where_b)
        members_b = side(other["members"], ids_a, where_a)
        outcomes_b = {o["label"]: o for o in other["representation"]}
        rows.append(
            {
                "name": track["name"],
                "a": members_a,
                "b": members_b,
                "sides": [("A", members_a), ("B", members_b)],
                "only_a": [m["name"] for m in members_a if m["moved"]],
                "only_b": [m["name"] for m in members_b if m["moved"]],
                "targets": [
                    {"label": o["label"], "a": o, "b": outcomes_b.get(o["label"])}
                    for o in track["representation"]
                ],
            }
        )
    return rows


def lottery_context(call: Call, lottery: Lottery | None) -> dict:
    """The lottery's page: its status and, once computed, every applicant's chance overall and
    per track (lowest first), the lowest chance of those who have one, who is certain (a lock)
    or impossible and why, and each group's chance (the printable page's, without names)."""
    tracks = list(call.tracks.order_by("position", "name"))
    context = {"call": call, "lottery": lottery, "tracks": tracks, "rows": [], "groups": []}
    if lottery is None or not lottery.has_table:
        done = lottery is not None and lottery.status == Lottery.Status.DONE
        return context | {"infeasible": done}
    result = lottery.result
    chances = chances_by_applicant(result)
    applications = Application.objects.filter(call=call, pk__in=[int(a) for a in chances]).only(
        "name", "organisation_name", "organisation__name"
    )
    rows = []
    for application in applications.select_related("organisation"):
        chance = chances[str(application.pk)]
        reason = ""
        if chance.get("reason"):
            reason = LEFT_OUT_REASONS[chance["reason"]]
        elif chance["impossible"]:
            reason = NO_COMPOSITION
        rows.append(
            {
                "application": application,
                "percent": 100 * chance["chance"],
                "per_track": [100 * chance["per_track"].get(str(t.pk), 0.0) for t in tracks],
                "group": chance["group"],
                "certain": chance["certain"],
                "impossible": chance["impossible"],
                "reason": reason,
            }
        )
    rows.sort(key=lambda row: (row["percent"], row["application"].name, row["application"].pk))
    groups = []
    for number, item in enumerate(result["types"], start=1):
        shares = dict(zip(result["tracks"], item["per_track"], strict=True))
        groups.append(
            {
                "number": number,
                "size": len(item["members"]),
                "percent": 100 * item["chance"],
                "per_track": [100 * shares.get(str(t.pk), 0.0) for t in tracks],
                "certain": item["certain"],
                "impossible": item["impossible"],
            }
        )
    possible = [row["percent"] for row in rows if not row["impossible"]]
    return context | {
        "result": result,
        "rows": rows,
        "groups": groups,
        "lowest": min(possible) if possible else None,
        "certain": [row for row in rows if row["certain"]],
        "impossible": [row for row in rows if row["impossible"]],
        "left_out_count": len(result["left_out"]),
        "rounding_percent": 100 * result["largest_change"],
    }
