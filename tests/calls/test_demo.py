import os
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from handlespor.calls.demo import demo_create, demo_deadline
from handlespor.calls.models import Application, Call
from handlespor.inbox.models import InboundMessage
from handlespor.partners.models import Organisation
from tests.factories import TrackFactory, at

pytestmark = pytest.mark.django_db


def test_demo_deadline_is_this_years_12_december_until_it_has_passed():
    assert demo_deadline(at("2026-11-25 10:00:00")) == at("2026-12-12 23:59:00")
    assert demo_deadline(at("2026-12-12 23:59:59")) == at("2026-12-12 23:59:00")
    assert demo_deadline(at("2026-12-13 00:00:00")) == at("2027-12-12 23:59:00")


def test_demo_create_sets_up_an_open_call_with_register_and_applications():
    call = demo_create(now=at("2026-11-25 10:00:00"))

    assert call.year == 2027
    assert call.is_open(at("2026-11-25 10:00:00")) is True
    assert [t.name for t in call.tracks.all()] == [
        "Trivsel i musiklivet",
        "Lige adgang i musiklivet",
        "Musiklivets infrastrukturer",
        "Grønnere musik",
    ]
    assert Organisation.objects.count() == 80
    assert Application.objects.count() == 150
    assert len(set(Application.objects.values_list("region", flat=True))) == 6
    assert Application.objects.filter(eligibility="needs_check").exists()
    assert demo_create(now=at("2026-11-25 10:00:00")) is None


def test_demo_command_prints_the_staff_login(capsys):
    call_command("demo")

    out = capsys.readouterr().out
    assert "password “handlespor-demo” for every user" in out
    # This year's open call, and last year's with its year under way.
    assert [c.is_open() for c in Call.objects.order_by("-year")] == [True, False]


def test_track_terms_pdf_is_served(client, call, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    track = call.tracks.first()
    track.terms_of_reference_pdf.save("k.pdf", ContentFile(b"%PDF-1.4 test"))

    response = client.get(reverse("calls:terms_pdf", args=[call.year, track.slug]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


def test_track_without_pdf_is_404(client, call):
    track = TrackFactory(call=call)

    response = client.get(reverse("calls:terms_pdf", args=[call.year, track.slug]))

    assert response.status_code == 404


def test_demo_command_creates_the_selection_roles(capsys):
    from django.contrib.auth.models import User

    call_command("demo")

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
    assert "udvaelgelse/" in capsys.readouterr().out


def test_demo_command_takes_in_the_example_emails(capsys):
    call_command("demo")
    call_command("demo")  # a second run stores no e-mail twice

    statuses = sorted(InboundMessage.objects.values_list("status", "reason"))
    assert statuses == [
        ("application", ""),
        ("application", ""),
        ("unsorted", "auto_reply"),
        ("unsorted", "no_track"),
    ]
    assert Application.objects.filter(channel="email", state="incomplete").count() == 2


def test_demo_command_prints_one_login_and_where_each_role_lands(capsys, settings):
    settings.SITE_URL = "http://127.0.0.1:8021"

    call_command("demo")

    out = capsys.readouterr().out
    year = Call.objects.order_by("-year").first().year
    assert f"Log in:      http://127.0.0.1:8021{reverse('login')}" in out
    assert "“sekretariat” and “styregruppe” land on http://127.0.0.1:8021/backoffice/" in out
    assert (
        f"“leder-trivsel” (one per track) lands on "
        f"http://127.0.0.1:8021/udvaelgelse/{year}/vurderinger/" in out
    )
    assert "/admin/login/" not in out
    assert f"Last year:   http://127.0.0.1:8021/handlespor/{year - 1}/" in out


def test_make_demo_serves_and_links_on_the_port_asked_for():
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}

    dry_run = subprocess.run(
        ["make", "-n", "demo", "PORT=8021"],
        cwd=Path(__file__).parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert "runserver 127.0.0.1:8021" in dry_run
    assert "SITE_URL=http://127.0.0.1:8021 " in dry_run
