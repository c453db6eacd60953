"""Workflows of the selection: reviews and conflicts of interest."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Avg, QuerySet

from handlespor.calls.models import Application, ApplicationEvent, Call, Track
from handlespor.selection.models import Conflict, Review
from handlespor.selection.permissions import composes, led_track_ids, reviewable_tracks


def applications_for_reviewer(*, user: AbstractBaseUser, call: Call) -> QuerySet[Application]:
    """The submitted applications of the call this user may see, minus those from their own
    organisation and those they declared a conflict with."""
    applications = Application.objects.filter(call=call, state=Application.State.SUBMITTED)
    if not composes(user):
        led = led_track_ids(user)
        applications = applications.filter(first_choice__in=led) | applications.filter(
            second_choice__in=led
        )
    person = getattr(user, "person", None)
    if person is not None and person.organisation_id is not None:
        applications = applications.exclude(organisation_id=person.organisation_id)
    return applications.exclude(conflicts__reviewer=user).distinct()


def review_save(
    *, reviewer: AbstractBaseUser, application: Application, track: Track, score: int, comment: str
) -> Review:
    """Create or update the reviewer's review of the application for the track.

    Side effects: stores the Review and logs a "reviewed" event with the reviewer. Raises
    PermissionDenied when the reviewer may not review this application for this track (own
    organisation, a declared conflict, or not their track).
    """
    if track not in reviewable_tracks(reviewer, application):
        raise PermissionDenied
    with transaction.atomic():
        review, _created = Review.objects.update_or_create(
            application=application,
            track=track,
            reviewer=reviewer,
            defaults={"score": score, "comment": comment},
        )
        ApplicationEvent.objects.create(
            application=application,
            kind=ApplicationEvent.Kind.REVIEWED,
            actor=reviewer,
            detail={"track": track.slug},
        )
    return review


def conflict_declare(*, reviewer: AbstractBaseUser, application: Application, reason: str) -> None:
    """Declare a conflict of interest.

    Side effects: stores the Conflict (once) and deletes the reviewer's reviews of the
    application, which they should not have given.
    """
    with transaction.atomic():
        Conflict.objects.get_or_create(
            reviewer=reviewer, application=application, defaults={"reason": reason}
        )
        Review.objects.filter(reviewer=reviewer, application=application).delete()


def review_averages(*, call: Call) -> dict[tuple[int, int], float]:
    """The average review score per (application, track): what the engine takes as the
    review score."""
    rows = (
        Review.objects.filter(application__call=call)
        .values("application_id", "track_id")
        .annotate(average=Avg("score"))
    )
    return {(r["application_id"], r["track_id"]): float(r["average"]) for r in rows}
