"""The back office beyond the admin: the dashboard of a call and its exports."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from handlespor.calls.exports import (
    applications_csv,
    applications_for_export,
    applications_xlsx,
)
from handlespor.calls.models import Application, Call
from handlespor.calls.statistics import call_statistics, reporting_of_applicants
from handlespor.downloads import table_download
from handlespor.roles import require


@require("backoffice.view_dashboard")
@require_safe
def dashboard_current(request: HttpRequest) -> HttpResponse:
    call = Call.objects.order_by("-year").first()
    if call is None:
        return redirect("admin:calls_call_add")
    return redirect("backoffice:dashboard", year=call.year)


@require("backoffice.view_dashboard")
@require_safe
def dashboard(request: HttpRequest, year: int) -> HttpResponse:
    call = get_object_or_404(Call, year=year)
    queue = (
        Application.objects.filter(
            call=call,
            state=Application.State.SUBMITTED,
            eligibility=Application.Eligibility.NEEDS_CHECK,
        )
        .select_related("organisation")
        .order_by("submitted_at")
    )
    stats = call_statistics(call)
    if not stats.tracks:
        raise Http404
    reporting = reporting_of_applicants(call)
    wanted = request.GET.get("spor")
    selected = next((t for t in stats.tracks if t.track.slug == wanted), stats.tracks[0])
    if request.headers.get("HX-Request"):
        return render(request, "calls/dashboard.html#track-stats", {"selected": selected})
    return render(
        request,
        "calls/dashboard.html",
        {
            "call": call,
            "calls": Call.objects.order_by("-year"),
            "stats": stats,
            "selected": selected,
            "queue": queue,
            "reporting": reporting,
        },
    )


@require("backoffice.export_applications")
@require_safe
def export(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    call = get_object_or_404(Call, year=year)
    applications = applications_for_export(Application.objects.filter(call=call))
    return table_download(
        fmt=fmt,
        name=f"ansoegninger-{year}",
        writers={
            "csv": lambda: applications_csv(applications),
            "xlsx": lambda: applications_xlsx(applications),
        },
    )
