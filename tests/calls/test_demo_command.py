"""The `demo` command, run once for the whole module (twice in a row, as `make demo` may be):
each test reads what that run printed and stored. The run is rolled back at the end."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from handlespor.calls.models import Application, Call
from handlespor.inbox.models import InboundMessage

SITE = "http://127.0.0.1:8021"


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """What the first run printed; the second run stores nothing twice."""
    with django_db_blocker.unblock(), override_settings(SITE_URL=SITE), transaction.atomic():
        first, second = StringIO(), StringIO()
        call_command("demo", stdout=first)
        call_command("demo", stdout=second)
        yield first.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def out(demo_output, db):
    return demo_output


def test_demo_command_prints_the_staff_login(out):
    assert "password “handlespor-demo” for every user" in out
    # This year's open call, and last year's with its year under way.
    assert [c.is_open() for c in Call.objects.order_by("-year")] == [True, False]


def test_demo_command_creates_the_selection_roles(out):
    leaders = (
        User.objects.filter(led_tracks__isnull=False).values_list("username", flat=True).distinct()
    )
    assert sorted(leaders) == [
        "leder-groennere-musik",
        "leder-infrastrukturer",
        "leder-lige-adgang",
        "leder-trivsel",
    ]
    assert User.objects.get(username="styregruppe").groups.get().name == "Styregruppe"
    assert "udvaelgelse/" in out


def test_demo_command_takes_in_the_example_emails(out):
    statuses = sorted(InboundMessage.objects.values_list("status", "reason"))
    assert statuses == [
        ("application", ""),
        ("application", ""),
        ("unsorted", "auto_reply"),
        ("unsorted", "no_track"),
    ]
    assert Application.objects.filter(channel="email", state="incomplete").count() == 2


def test_demo_command_prints_one_login_and_where_each_role_lands(out):
    year = Call.objects.order_by("-year").first().year
    assert f"Log in:      {SITE}{reverse('login')}" in out
    assert f"“sekretariat” and “styregruppe” land on {SITE}/backoffice/" in out
    assert f"“leder-trivsel” (one per track) lands on {SITE}/udvaelgelse/{year}/vurderinger/" in out
    assert "/admin/login/" not in out
    assert f"Last year:   {SITE}/handlespor/{year - 1}/" in out


def test_demo_command_seeds_the_reporting_and_the_eligibility_follows_it(out):
    from handlespor.partners.models import Organisation
    from handlespor.reporting.models import Round

    call = Call.objects.order_by("-year").first()
    closed, open_round = Round.objects.order_by("year")
    applications = list(
        call.applications.filter(state="submitted", organisation__isnull=False).select_related(
            "organisation"
        )
    )
    reason = f"Organisationen har ikke indsendt rapporteringen for {closed.year}."

    assert (closed.is_closed(), open_round.is_open()) == (True, True)
    assert call.required_reporting_year == closed.year
    assert closed.reports.filter(status="submitted").count() > 0.8 * Organisation.objects.count()
    assert open_round.reports.filter(status="submitted").exists()
    assert open_round.reports.filter(status="draft").exists()
    for application in applications:
        organisation = application.organisation
        contributes = organisation.contributes_since(closed.year)
        assert (reason in application.eligibility_reasons) is not contributes
        assert (application.eligibility == "eligible") is (contributes and organisation.is_active)
    assert any(reason in a.eligibility_reasons for a in applications)
