"""Who may see and do what, as small composable rules in one place.

Roles: the secretariat and the steering group (Django groups) see every track and may compose;
a track leader (`Track.leaders`) sees the applications that chose their track. Nobody reviews
an application from their own organisation or one they declared a conflict with.
"""

from __future__ import annotations

import rules
from django.contrib.auth.models import AbstractBaseUser

from handlespor.calls.models import Application, Track
from handlespor.selection.models import SECRETARIAT, STEERING_GROUP, Conflict


def _in_group(user: AbstractBaseUser, name: str) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cache = getattr(user, "_group_names", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._group_names = cache
    return name in cache


def led_track_ids(user: AbstractBaseUser) -> set[int]:
    if not user.is_authenticated:
        return set()
    cache = getattr(user, "_led_track_ids", None)
    if cache is None:
        cache = set(user.led_tracks.values_list("pk", flat=True))
        user._led_track_ids = cache
    return cache


@rules.predicate
def is_secretariat(user: AbstractBaseUser) -> bool:
    return _in_group(user, SECRETARIAT)


@rules.predicate
def is_steering_group(user: AbstractBaseUser) -> bool:
    return _in_group(user, STEERING_GROUP)


@rules.predicate
def leads_a_track_of(user: AbstractBaseUser, application: Application) -> bool:
    return bool({application.first_choice_id, application.second_choice_id} & led_track_ids(user))


@rules.predicate
def is_from_own_organisation(user: AbstractBaseUser, application: Application) -> bool:
    person = getattr(user, "person", None) if user.is_authenticated else None
    organisation = person.organisation_id if person else None
    return organisation is not None and organisation == application.organisation_id


@rules.predicate
def declared_a_conflict(user: AbstractBaseUser, application: Application) -> bool:
    return Conflict.objects.filter(reviewer=user, application=application).exists()


composes = is_secretariat | is_steering_group
sees_application = composes | leads_a_track_of
reviews_application = sees_application & ~is_from_own_organisation & ~declared_a_conflict

rules.add_perm("selection.compose", composes)
rules.add_perm("selection.view_application", sees_application)
rules.add_perm("selection.review_application", reviews_application)
rules.add_perm("selection.see_sensitive", sees_application)


def reviewable_tracks(user: AbstractBaseUser, application: Application) -> list[Track]:
    """The tracks of the application this user may score: all it chose for the composing
    roles, only their own for a track leader."""
    if not user.has_perm("selection.review_application", application):
        return []
    chosen = application.preferences
    if composes(user):
        return chosen
    return [track for track in chosen if track.pk in led_track_ids(user)]
