"""From the call in the database to an engine instance, and back to names."""

from __future__ import annotations

from handlespor.attributes import ATTRIBUTES
from handlespor.calls.models import Application, Call
from handlespor.engine import Applicant, Instance, Lock, Rules, Settings, Target, Track
from handlespor.roles import sensitive_labels
from handlespor.selection.domain import review_averages
from handlespor.selection.models import SelectionLock

# Attributes go to the engine under their Danish label, so the engine's words read Danish.
LABELS = {key: label for key, (label, _values, _multi) in ATTRIBUTES.items()}


def _attributes(application: Application) -> dict[str, tuple[str, ...]]:
    values = {}
    for key, label in LABELS.items():
        value = getattr(application, key)
        values[label] = tuple(value) if isinstance(value, list) else ((value,) if value else ())
    return values


def instance_for_call(*, call: Call, time_limit: float = 60.0) -> Instance:
    """The engine's instance: submitted applications (eligible when their partner status is
    confirmed), tracks, targets, the organisation rule, locks and the average review scores."""
    applications = list(
        Application.objects.filter(call=call, state=Application.State.SUBMITTED).order_by("pk")
    )
    averages = review_averages(call=call)
    tracks = list(call.tracks.order_by("position", "name"))
    applicants = tuple(
        Applicant(
            id=str(a.pk),
            name=a.name,
            organisation=str(a.organisation_id) if a.organisation_id else a.organisation_name,
            attributes=_attributes(a),
            eligible=a.eligibility == Application.Eligibility.ELIGIBLE,
            preferences=tuple(str(t) for t in (a.first_choice_id, a.second_choice_id) if t),
            scores={str(t.pk): averages[a.pk, t.pk] for t in tracks if (a.pk, t.pk) in averages},
        )
        for a in applications
    )
    submitted = {a.id for a in applicants}
    locks = tuple(
        Lock(
            applicant=str(lock.application_id),
            kind=lock.kind,
            track=str(lock.track_id) if lock.track_id else None,
        )
        for lock in SelectionLock.objects.filter(call=call)
        if str(lock.application_id) in submitted
    )
    return Instance(
        applicants=applicants,
        tracks=tuple(
            Track(id=str(t.pk), name=t.name, min_seats=t.min_seats, max_seats=t.max_seats)
            for t in tracks
        ),
        targets=tuple(
            Target(
                attribute=LABELS[t.attribute],
                kind=t.kind,
                values=tuple(t.values),
                amount=float(t.amount),
                track=str(t.track_id) if t.track_id else None,
                hard=t.hard,
                weight=t.weight,
                only_where_possible=t.only_where_possible,
            )
            for t in call.targets.all()
        ),
        rules=Rules(max_per_organisation=call.max_per_organisation_per_track),
        locks=locks,
        settings=Settings(seed=call.year, time_limit=time_limit, sensitive=sensitive_labels()),
    )
