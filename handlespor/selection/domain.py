"""Workflows of the selection: reviews and conflicts of interest."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Avg, QuerySet

from handlespor.calls.models import Application, ApplicationEvent, Call, Track
from handlespor.roles import composes, led_track_ids, reviewable_tracks
from handlespor.selection.models import (
    Activity,
    Conflict,
    Proposal,
    ProposalComment,
    Review,
    Run,
    SelectionLock,
)


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


class AlreadyRunning(Exception):
    """A run of the same kind for the call is queued or running already."""


def activity_log(*, call: Call, actor: AbstractBaseUser | None, text: str) -> None:
    """Side effects: stores one line of the board's activity log."""
    Activity.objects.create(call=call, actor=actor, text=text[:300])


def run_queue(
    *, model: type[Run], call: Call, user: AbstractBaseUser, text: str, work, **fields
) -> Run:
    """Queue a background run of the call: `model` Proposal or Lottery (with `fields`), `work`
    its task.

    Side effects: stores a queued run, logs `text` (with "{pk}" the run's) and, after commit,
    enqueues the task. Raises AlreadyRunning while another run of the model for the call is
    active.
    """
    with transaction.atomic():
        active = model.objects.select_for_update().filter(
            call=call, status__in=[Run.Status.QUEUED, Run.Status.RUNNING]
        )
        if any(not run.is_stale() for run in active):
            raise AlreadyRunning
        run = model.objects.create(call=call, created_by=user, **fields)
        activity_log(call=call, actor=user, text=text.format(pk=run.pk))
        transaction.on_commit(lambda: work.enqueue(run.pk))
    return run


def proposal_start(*, call: Call, user: AbstractBaseUser, name: str = "") -> Proposal:
    """Queue a run of the engine for the call (see `run_queue`)."""
    from handlespor.selection.tasks import compose_proposal

    return run_queue(
        model=Proposal,
        call=call,
        user=user,
        text="Startede en sammensætning ({pk})",
        work=compose_proposal,
        name=name,
    )


def lock_set(
    *, call: Call, application: Application, kind: str, track: Track | None, user: AbstractBaseUser
) -> SelectionLock:
    """Lock a person into a track, exclude them, or keep them out of one track.

    Side effects: replaces the application's earlier placement lock (in a track or excluded)
    and logs the activity.
    """
    with transaction.atomic():
        if kind in {SelectionLock.Kind.IN_TRACK, SelectionLock.Kind.EXCLUDED}:
            SelectionLock.objects.filter(
                application=application,
                kind__in=[SelectionLock.Kind.IN_TRACK, SelectionLock.Kind.EXCLUDED],
            ).delete()
        lock, _created = SelectionLock.objects.get_or_create(
            call=call,
            application=application,
            kind=kind,
            track=track,
            defaults={"created_by": user},
        )
        activity_log(call=call, actor=user, text=f"{application.name}: {lock}")
    return lock


def lock_release(*, lock: SelectionLock, user: AbstractBaseUser) -> None:
    """Side effects: deletes the lock and logs the activity."""
    with transaction.atomic():
        activity_log(call=lock.call, actor=user, text=f"Frigav: {lock}")
        lock.delete()


def proposal_name(*, proposal: Proposal, name: str, user: AbstractBaseUser) -> None:
    """Side effects: names the proposal and logs the activity."""
    proposal.name = name
    proposal.save(update_fields=["name"])
    activity_log(call=proposal.call, actor=user, text=f"Navngav forslag {proposal.pk}: {name}")


def proposal_comment(*, proposal: Proposal, text: str, user: AbstractBaseUser) -> None:
    """Side effects: stores the comment and logs the activity."""
    ProposalComment.objects.create(proposal=proposal, author=user, text=text)
    activity_log(call=proposal.call, actor=user, text=f"Kommenterede forslag {proposal.pk}")
