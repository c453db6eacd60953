"""Read-only figures for the back-office dashboard: the applicant pool of each track against the
representation targets. Nothing here writes."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext

from handlespor.attributes import ATTRIBUTES
from handlespor.calls.models import Application, Call, Target, Track
from handlespor.charts import Bar, share_bar
from handlespor.reporting.models import Report


@dataclass
class TargetCheck:
    target: Target
    pool_value: str
    met: bool
    marker: float | None = None  # where a share target sits on the bars (0..1)


@dataclass
class Distribution:
    attribute: str
    label: str
    bars: list[Bar]
    checks: list[TargetCheck] = field(default_factory=list)


@dataclass
class TrackStatistics:
    track: Track
    first_choice: int
    second_choice: int
    pool: int
    distributions: list[Distribution]


@dataclass
class CallStatistics:
    submitted: int
    withdrawn: int
    needs_check: int
    tracks: list[TrackStatistics]
    incomplete: int = 0  # received by e-mail, not yet completed by the applicant


def _values(row: dict, attribute: str) -> list[str]:
    value = row[attribute]
    if isinstance(value, list):
        return value
    return [value] if value else []


def _check(target: Target, counter: Counter, pool: int) -> TargetCheck:
    amount = float(target.amount)
    counted = sum(counter[v] for v in target.values) if target.values else pool
    share = counted / pool if pool else 0.0
    tolerance = 1e-6
    match target.kind:
        case Target.Kind.MIN_SHARE:
            met, shown = share * 100 + tolerance >= amount, f"{share * 100:.0f} %"
        case Target.Kind.MAX_SHARE:
            met, shown = share * 100 <= amount + tolerance, f"{share * 100:.0f} %"
        case Target.Kind.MIN_COUNT:
            met, shown = counted >= amount, str(counted)
        case Target.Kind.MAX_COUNT:
            met, shown = counted <= amount, str(counted)
        case Target.Kind.MIN_DISTINCT:
            relevant = target.values or list(counter)
            distinct = sum(1 for v in relevant if counter[v] > 0)
            met, shown = distinct >= amount, str(distinct)
        case _:
            largest = max(counter.values(), default=0) / pool if pool else 0.0
            met, shown = largest * 100 <= amount + tolerance, f"{largest * 100:.0f} %"
    marker = amount / 100 if target.kind in {Target.Kind.MIN_SHARE, Target.Kind.MAX_SHARE} else None
    return TargetCheck(target=target, pool_value=shown, met=met, marker=marker)


def _distribution(
    call: Call, attribute: str, rows: list[dict], targets: list[Target]
) -> Distribution:
    counter: Counter = Counter()
    for row in rows:
        counter.update(_values(row, attribute))
    pool = len(rows)
    known = call.options(attribute)
    values = known + sorted(v for v in counter if v not in known)
    checks = [_check(t, counter, pool) for t in targets if t.attribute == attribute]
    bars = [
        share_bar(
            label=gettext(v),
            count=counter[v],
            total=pool,
            markers=tuple(
                c.marker for c in checks if c.marker is not None and v in c.target.values
            ),
        )
        for v in values
    ]
    return Distribution(
        attribute=attribute, label=ATTRIBUTES[attribute][0], bars=bars, checks=checks
    )


def call_statistics(call: Call) -> CallStatistics:
    """Counts per track and the attribute spreads of each track's pool: the submitted
    applications naming the track as first or second choice."""
    tracks = list(call.tracks.all())
    targets = list(call.targets.all())
    rows = list(
        Application.objects.filter(call=call).values(
            "state", "eligibility", "first_choice_id", "second_choice_id", *ATTRIBUTES
        )
    )
    submitted = [r for r in rows if r["state"] == Application.State.SUBMITTED]
    per_track = []
    for track in tracks:
        pool = [r for r in submitted if track.pk in (r["first_choice_id"], r["second_choice_id"])]
        track_targets = [t for t in targets if t.track_id in (None, track.pk)]
        per_track.append(
            TrackStatistics(
                track=track,
                first_choice=sum(1 for r in submitted if r["first_choice_id"] == track.pk),
                second_choice=sum(1 for r in submitted if r["second_choice_id"] == track.pk),
                pool=len(pool),
                distributions=[
                    _distribution(call, attribute, pool, track_targets) for attribute in ATTRIBUTES
                ],
            )
        )
    return CallStatistics(
        submitted=len(submitted),
        withdrawn=sum(1 for r in rows if r["state"] == Application.State.WITHDRAWN),
        incomplete=sum(1 for r in rows if r["state"] == Application.State.INCOMPLETE),
        needs_check=sum(
            1 for r in submitted if r["eligibility"] == Application.Eligibility.NEEDS_CHECK
        ),
        tracks=per_track,
    )


@dataclass
class ReportingOfApplicants:
    """How the reporting requirement bears on a call's submitted applications."""

    year: int
    through_reporting: int  # from an organisation that contributes to the reporting
    held_back: list[Application]  # from a registered organisation that does not
    unregistered: int  # not linked to an organisation of the register


def reporting_of_applicants(call: Call) -> ReportingOfApplicants:
    """Which submitted applications the reporting lets through, and which it holds back."""
    submitted_reports = Report.objects.filter(status=Report.Status.SUBMITTED).select_related(
        "round"
    )
    applications = (
        Application.objects.filter(call=call, state=Application.State.SUBMITTED)
        .select_related("organisation")
        .prefetch_related(
            "organisation__reports",
            Prefetch("organisation__round_reports", queryset=submitted_reports),
        )
        .order_by("name")
    )
    through, held_back, unregistered = 0, [], 0
    for application in applications:
        organisation = application.organisation
        if organisation is None:
            unregistered += 1
        elif organisation.contributes_since(call.required_reporting_year):
            through += 1
        else:
            held_back.append(application)
    return ReportingOfApplicants(
        year=call.required_reporting_year,
        through_reporting=through,
        held_back=held_back,
        unregistered=unregistered,
    )
