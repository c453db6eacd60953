import os
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from handlespor.calls.demo import demo_create, demo_deadline
from handlespor.calls.models import Application
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
