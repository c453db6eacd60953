import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from handlespor.calls.demo import demo_create, demo_deadline
from handlespor.calls.models import Application, Call, InboundMessage
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
    assert "user “sekretariat”, password “handlespor-demo”" in out
    assert Call.objects.count() == 1


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

    leaders = User.objects.filter(led_tracks__isnull=False).values_list("username", flat=True)
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
