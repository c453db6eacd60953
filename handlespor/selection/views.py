"""Reviews: the list of applications to review and one application's review page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from handlespor.calls.models import Application, Call
from handlespor.roles import reviewable_tracks
from handlespor.selection import domain
from handlespor.selection.forms import ConflictForm, ReviewForm
from handlespor.selection.models import Review


def _get_call_for_user(request: HttpRequest, year: int) -> Call:
    """The call, when the user has a role in the selection at all (403 otherwise)."""
    call = get_object_or_404(Call, year=year)
    if not request.user.has_perm("selection.review", call):
        raise PermissionDenied
    return call


def _get_application_for_user(request: HttpRequest, call: Call, pk: int) -> Application:
    """The application, when the user may review it: 404 if it is not in the call, 403 if the
    user may not see it, it is from their own organisation or they declared a conflict."""
    application = get_object_or_404(
        Application.objects.select_related("organisation", "first_choice", "second_choice"),
        call=call,
        pk=pk,
        state=Application.State.SUBMITTED,
    )
    if not request.user.has_perm("selection.review_application", application):
        raise PermissionDenied
    return application


@login_required
@require_safe
def review_list(request: HttpRequest, year: int) -> HttpResponse:
    call = _get_call_for_user(request, year)
    own = Review.objects.filter(reviewer=request.user).select_related("track")
    applications = (
        domain.applications_for_reviewer(user=request.user, call=call)
        .select_related("organisation", "first_choice", "second_choice")
        .prefetch_related(Prefetch("reviews", queryset=own, to_attr="my_reviews"))
        .order_by("name")
    )
    return render(
        request, "selection/review_list.html", {"call": call, "applications": applications}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_detail(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    call = _get_call_for_user(request, year)
    application = _get_application_for_user(request, call, pk)
    tracks = reviewable_tracks(request.user, application)
    posted = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if posted else None
    form = ReviewForm(posted if action == "review" else None, tracks=tracks)
    conflict_form = ConflictForm(posted if action == "conflict" else None)
    if action == "review" and form.is_valid():
        domain.review_save(reviewer=request.user, application=application, **form.cleaned_data)
        messages.success(request, _("Din vurdering er gemt."))
        return redirect("selection:review", year=call.year, pk=application.pk)
    if action == "conflict" and conflict_form.is_valid():
        domain.conflict_declare(
            reviewer=request.user,
            application=application,
            reason=conflict_form.cleaned_data["reason"],
        )
        messages.success(request, _("Din inhabilitet er noteret; ansøgningen er skjult for dig."))
        return redirect("selection:reviews", year=call.year)
    reviews = application.reviews.select_related("reviewer", "track").order_by(
        "track", "created_at"
    )
    return render(
        request,
        "selection/review_detail.html",
        {
            "call": call,
            "application": application,
            "form": form,
            "conflict_form": conflict_form,
            "reviews": reviews,
        },
    )
