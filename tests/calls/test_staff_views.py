import csv
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from handlespor.calls.domain import DEFAULT_TARGETS
from handlespor.calls.models import Application, ApplicationEvent, Target
from handlespor.roles import STEERING_GROUP
from tests.factories import ApplicationFactory, StaffFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    client.get(reverse("accounts:home"))  # the login's one-time checks (two-factor)
    return client


def _applications(call, count):
    tracks = list(call.tracks.all())
    for index in range(count):
        ApplicationFactory(
            call=call,
            first_choice=tracks[index % 4],
            second_choice=tracks[(index + 1) % 4],
            gender="Kvinde" if index % 3 else "Mand",
            eligibility="needs_check" if index % 5 == 0 else "eligible",
            eligibility_reasons=["Mangler rapportering."] if index % 5 == 0 else [],
        )


def test_dashboard_requires_staff(client, call):
    response = client.get(reverse("backoffice:dashboard", args=[call.year]))

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_dashboard_shows_counts_distributions_targets_and_queue(staff_client, call):
    _applications(call, 10)
    TargetFactory(call=call, attribute="gender", kind=Target.Kind.MIN_SHARE, values=["Mand"])

    response = staff_client.get(reverse("backoffice:dashboard", args=[call.year]))

    stats = response.context["stats"]
    assert response.status_code == 200
    assert stats.submitted == 10
    assert stats.needs_check == 2
    assert [(t.first_choice, t.second_choice, t.pool) for t in stats.tracks] == [
        (3, 2, 5),
        (3, 3, 6),
        (2, 3, 5),
        (2, 2, 4),
    ]
    gender = next(d for d in stats.tracks[0].distributions if d.attribute == "gender")
    assert [(b.label, b.text, b.marker_xs) for b in gender.bars][:2] == [
        ("Kvinde", "3 · 60 %", []),
        ("Mand", "2 · 40 %", [96]),  # the target of 40 % on a 240-pixel bar
    ]
    assert [(c.pool_value, c.met) for c in gender.checks] == [("40 %", True)]
    assert len(response.context["queue"]) == 2
    assert "Mangler rapportering." in response.content.decode()


def test_dashboard_query_count_does_not_grow_with_applications(
    staff_client, call, django_assert_max_num_queries
):
    _applications(call, 40)
    for _ in DEFAULT_TARGETS:
        TargetFactory(call=call)

    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("backoffice:dashboard", args=[call.year]))

    assert response.status_code == 200


def test_export_csv_has_one_row_per_application(staff_client, call):
    _applications(call, 3)
    first = Application.objects.order_by("submitted_at", "pk").first()
    Application.objects.filter(pk=first.pk).update(motivation="=SUM(A1)")

    response = staff_client.get(reverse("backoffice:export", args=[call.year, "csv"]))

    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert response["Content-Disposition"] == 'attachment; filename="ansoegninger-2027.csv"'
    assert rows[0][:3] == ["Navn", "E-mail", "Titel"]
    assert len(rows) == 4
    assert rows[1][14] == "'=SUM(A1)"


def test_export_xlsx_has_one_row_per_application(staff_client, call):
    _applications(call, 3)

    response = staff_client.get(reverse("backoffice:export", args=[call.year, "xlsx"]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Ansøgninger"
    assert sheet.max_row == 4
    assert sheet["F2"].value == "Trivsel i musiklivet"


def test_export_unknown_format_is_404(staff_client, call):
    response = staff_client.get(reverse("backoffice:export", args=[call.year, "pdf"]))

    assert response.status_code == 404


def _count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def test_admin_application_list_with_filters(staff_client, call):
    _applications(call, 30)
    track = call.tracks.first()

    response = staff_client.get(
        reverse("admin:calls_application_changelist"), {"track": track.pk, "gender": "Kvinde"}
    )

    expected = Application.objects.filter(
        Q(first_choice=track) | Q(second_choice=track), gender="Kvinde"
    ).count()
    assert expected > 0
    assert response.context["cl"].result_count == expected


def test_admin_application_list_query_count_does_not_grow(staff_client, call):
    url = reverse("admin:calls_application_changelist")
    _applications(call, 5)
    few = _count_queries(staff_client, url)

    _applications(call, 40)
    many = _count_queries(staff_client, url)

    assert many == few


def test_dashboard_query_count_does_not_grow(staff_client, call):
    url = reverse("backoffice:dashboard", args=[call.year])
    _applications(call, 5)
    few = _count_queries(staff_client, url)

    _applications(call, 40)
    many = _count_queries(staff_client, url)

    assert many == few


def test_admin_application_view_is_logged_with_the_viewer(staff_client, call):
    application = ApplicationFactory(call=call, first_choice=call.tracks.first())

    staff_client.get(reverse("admin:calls_application_change", args=[application.pk]))

    event = ApplicationEvent.objects.get()
    assert event.kind == "viewed"
    assert event.actor is not None


def test_admin_action_marks_eligibility_and_logs_who(staff_client, call):
    _applications(call, 5)
    needs_check = Application.objects.filter(eligibility="needs_check")

    staff_client.post(
        reverse("admin:calls_application_changelist"),
        {
            "action": "mark_eligible",
            "_selected_action": [str(a.pk) for a in needs_check],
        },
    )

    assert Application.objects.filter(eligibility="needs_check").count() == 0
    assert ApplicationEvent.objects.filter(kind="eligibility").count() == 1


def test_dashboard_shows_the_chosen_track_and_serves_it_as_an_htmx_fragment(staff_client, call):
    _applications(call, 8)
    url = reverse("backoffice:dashboard", args=[call.year])

    page = staff_client.get(url, {"spor": "groennere-musik"})
    fragment = staff_client.get(url, {"spor": "groennere-musik"}, HTTP_HX_REQUEST="true")

    assert page.context["selected"].track.name == "Grønnere musik"
    assert fragment.content.decode().lstrip().startswith('<section class="track-stats"')
    assert "<html" not in fragment.content.decode()


def test_steering_group_member_opens_the_dashboard_and_the_export(client, call):
    member = StaffFactory(is_staff=False, is_superuser=False)
    member.groups.add(Group.objects.get_or_create(name=STEERING_GROUP)[0])
    client.force_login(member)
    _applications(call, 3)

    dashboard = client.get(reverse("backoffice:dashboard", args=[call.year]))
    export = client.get(reverse("backoffice:export", args=[call.year, "csv"]))
    inbox = client.get(reverse("inbox:list"))

    assert (dashboard.status_code, export.status_code, inbox.status_code) == (200, 200, 403)


def test_dashboard_links_the_steering_group_only_to_what_it_may_open(client, call):
    member = StaffFactory(is_staff=False, is_superuser=False)
    member.groups.add(Group.objects.get_or_create(name=STEERING_GROUP)[0])
    client.force_login(member)
    _applications(call, 3)
    Application.objects.update(eligibility=Application.Eligibility.NEEDS_CHECK)

    html = client.get(reverse("backoffice:dashboard", args=[call.year])).content.decode()

    assert "/admin/" not in html
    assert reverse("inbox:list") not in html
    assert reverse("selection:board", args=[call.year]) in html


@pytest.mark.parametrize("page", ["backoffice:dashboard", "selection:board"])
def test_every_in_page_link_lands_on_its_target(staff_client, call, page):
    _applications(call, 8)
    url = reverse(page, args=[call.year])
    html = staff_client.get(url).content.decode()
    missing = []

    for href in sorted(set(re.findall(r'href="([^"]*#[^"]+)"', html))):
        path, fragment = href.split("#", 1)
        target = html if not path else staff_client.get(url + path).content.decode()
        if f'id="{fragment}"' not in target:
            missing.append(href)

    assert missing == []


def test_dashboard_shows_who_the_reporting_lets_through_and_who_it_holds_back(staff_client, call):
    from tests.factories import OrganisationFactory, PersonFactory

    for number, reported in enumerate([[2025], [2026], [2024], []]):
        organisation = OrganisationFactory(name=f"Org {number}", reported=reported)
        ApplicationFactory(
            call=call,
            first_choice=call.tracks.first(),
            person=PersonFactory(name=f"Ansøger {number}", organisation=organisation),
        )
    ApplicationFactory(call=call, first_choice=call.tracks.first(), organisation=None)

    response = staff_client.get(reverse("backoffice:dashboard", args=[call.year]))

    reporting = response.context["reporting"]
    page = response.content.decode()
    assert (reporting.year, reporting.through_reporting, reporting.unregistered) == (2025, 2, 1)
    assert [a.name for a in reporting.held_back] == ["Ansøger 2", "Ansøger 3"]
    assert (
        "2 ansøgninger kommer fra organisationer, der har indsendt rapporteringen for 2025 "
        "(eller en senere)." in page
    )
    assert "2 ansøgninger holdes tilbage af rapporteringen" in page
