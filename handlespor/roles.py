"""Roles and every permission rule of handlespor, in one place.

The roles:
- the secretariat (Django group "Sekretariat"; a superuser counts as secretariat): everything,
  the admin and the inbox included;
- the steering group ("Styregruppe"): the dashboard, the exports, the board and the decisions,
  every track;
- a track leader (`Track.leaders`): reviews the applications that chose their track and reads
  the board, with sensitive attributes only of applications that chose their track;
- a user without a role: nothing but their own login;
- an applicant: no login, only their private link (checked by the token, not here).

Views, exports, downloads, htmx fragments and the admin ask these rules through
`user.has_perm(...)` (django-rules) or the helpers below; nothing checks a group by hand.

May import: the models of every app. Imported by: every app's domain and views.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

import rules
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from handlespor.attributes import ATTRIBUTES, SENSITIVE_ATTRIBUTES
from handlespor.calls.models import Application, Call, Track
from handlespor.selection.models import Conflict

View = Callable[..., HttpResponse]

SECRETARIAT = "Sekretariat"
STEERING_GROUP = "Styregruppe"


def _in_group(user: AbstractBaseUser, name: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cache = getattr(user, "_group_names", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._group_names = cache
    return name in cache


def led_track_ids(user: AbstractBaseUser) -> set[int]:
    """The tracks this user leads, of every call."""
    if not user.is_authenticated or not user.is_active:
        return set()
    cache = getattr(user, "_led_track_ids", None)
    if cache is None:
        cache = set(user.led_tracks.values_list("pk", flat=True))
        user._led_track_ids = cache
    return cache


def led_tracks_of(user: AbstractBaseUser, call: Call) -> set[int]:
    """The tracks of this call that the user leads (asked once per call and request)."""
    led = led_track_ids(user)
    if not led:
        return set()
    cache = getattr(user, "_led_tracks_by_call", None)
    if cache is None:
        cache = user._led_tracks_by_call = {}
    if call.pk not in cache:
        cache[call.pk] = set(call.tracks.filter(pk__in=led).values_list("pk", flat=True))
    return cache[call.pk]


@rules.predicate
def is_secretariat(user: AbstractBaseUser) -> bool:
    return _in_group(user, SECRETARIAT)


@rules.predicate
def is_steering_group(user: AbstractBaseUser) -> bool:
    return _in_group(user, STEERING_GROUP)


@rules.predicate
def leads_a_track(user: AbstractBaseUser, call: Call | None = None) -> bool:
    """Leads a track (of the call, when one is given)."""
    if call is None:
        return bool(led_track_ids(user))
    return bool(led_tracks_of(user, call))


@rules.predicate
def leads_track(user: AbstractBaseUser, track: Track) -> bool:
    return track is not None and track.pk in led_track_ids(user)


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

# The back office.
rules.add_perm("backoffice.use_admin", is_secretariat)
rules.add_perm("backoffice.use_inbox", is_secretariat)
rules.add_perm("backoffice.view_dashboard", composes)
rules.add_perm("backoffice.export_applications", composes)
rules.add_perm("backoffice.confirm_erasure", is_secretariat)
# The selection.
rules.add_perm("selection.view_board", composes | leads_a_track)
rules.add_perm("selection.comment", composes | leads_a_track)
rules.add_perm("selection.review", composes | leads_a_track)
rules.add_perm("selection.compose", composes)
rules.add_perm("selection.view_application", sees_application)
rules.add_perm("selection.review_application", reviews_application)
# Gender, and every attribute of SENSITIVE_ATTRIBUTES, of one application.
rules.add_perm("selection.see_sensitive", sees_application)
# The tracks' year: a track's meetings, polls and members, for its leaders and the secretariat.
rules.add_perm("trackyear.manage_track", is_secretariat | leads_track)
rules.add_perm("trackyear.view_overview", is_secretariat)
# The yearly reporting: the status and chasing, each organisation's answers and the import are
# the secretariat's; the aggregate results (small groups hidden) also the steering group's.
rules.add_perm("reporting.view_status", is_secretariat)
rules.add_perm("reporting.remind", is_secretariat)
rules.add_perm("reporting.export_rows", is_secretariat)
rules.add_perm("reporting.import", is_secretariat)
rules.add_perm("reporting.view_results", composes)


def register_admin_rules(models: Iterable[type] | None = None) -> None:
    """The admin asks model permissions; every model's view/add/change/delete is the
    secretariat's, so the admin follows the same rule as every other page. The app labels too:
    the admin's index lists an app only to whom it grants the app."""
    for model in models if models is not None else apps.get_models():
        meta = model._meta
        if not rules.perm_exists(meta.app_label):
            rules.add_perm(meta.app_label, is_secretariat)
        for action in meta.default_permissions:
            name = f"{meta.app_label}.{action}_{meta.model_name}"
            if not rules.perm_exists(name):
                rules.add_perm(name, is_secretariat)


def may_see_sensitive(user: AbstractBaseUser, application: Application | None) -> bool:
    return application is not None and user.has_perm("selection.see_sensitive", application)


def sensitive_labels() -> tuple[str, ...]:
    """The sensitive attributes under the labels the engine knows them by."""
    return tuple(ATTRIBUTES[key][0] for key in SENSITIVE_ATTRIBUTES)


def require(permission: str) -> Callable[[View], View]:
    """A view only for users with this permission: the login page for anonymous visitors,
    403 for a user without it."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_permission = permission
        return login_required(wrapper)

    return decorator


def reviewable_tracks(user: AbstractBaseUser, application: Application) -> list[Track]:
    """The tracks of the application this user may score: all it chose for the composing
    roles, only their own for a track leader."""
    if not user.has_perm("selection.review_application", application):
        return []
    chosen = application.preferences
    if composes(user):
        return chosen
    return [track for track in chosen if track.pk in led_track_ids(user)]


def role_names(user: AbstractBaseUser) -> list[str]:
    """The user's roles in words, for the "logged in as" line."""
    names = []
    if is_secretariat(user):
        names.append(SECRETARIAT)
    elif is_steering_group(user):
        names.append(STEERING_GROUP)
    if led_track_ids(user):
        names.append("Handlesporsleder")
    return names


def landing_url(user: AbstractBaseUser) -> str:
    """Where each role lands after login: the secretariat and the steering group on the
    dashboard, a track leader on the reviews of the newest call they lead, anyone else on the
    page that says they have no role yet."""
    if composes(user):
        return reverse("backoffice:home")
    led = led_track_ids(user)
    if led:
        call = Call.objects.filter(tracks__pk__in=led).order_by("-year").first()
        if call is not None:
            return reverse("selection:reviews", args=[call.year])
    return reverse("accounts:home")
