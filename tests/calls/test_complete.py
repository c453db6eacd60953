"""The completion link: an application received by e-mail becomes a normal one."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from handlespor.calls.models import Application
from handlespor.inbox import domain as intake
from handlespor.inbox.models import InboundMessage

# Transactional: the reply with the link goes out only after the intake has committed.
pytestmark = pytest.mark.django_db(transaction=True)
CORPUS = Path(__file__).parent.parent / "inbox" / "mail_corpus"


@pytest.fixture
def link(call, organisation):
    raw = (CORPUS / "15_two_tracks_unranked.eml").read_bytes()
    intake.inbound_store(raw=raw, source=InboundMessage.Source.UPLOAD)
    intake.inbound_process_pending()
    match = re.search(r"https?://[^/\s]+(/ansoegning/[^/\s]+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


@pytest.fixture
def completion(organisation):
    return {
        "name": "Maja Krogh",
        "job_title": "Korleder",
        "organisation": str(organisation.pk),
        "organisation_name": "",
        "motivation": "Jeg er interesseret i både trivsel og grøn musik.",
        "contribution": "Erfaring med frivillige kor.",
        "actor_type": "Orkester/ensemble/kor",
        "role": "Ledelse",
        "music_fields": ["Kor/amatør"],
        "postcode": "5000",
        "region": "",
        "gender": "Kvinde",
        "seniority": "6–10 år",
        "confirms_attendance": "on",
        "confirms_own_costs": "on",
        "confirms_reporting": "on",
        "confirms_mandate": "on",
        "consent": "on",
    }


def test_completion_reply_is_danish_and_names_the_tracks(link):
    reply = mail.outbox[-1]

    assert reply.to == ["maja@koret.dk"]
    assert reply.subject == "Sv: Ansøgning"
    assert "1. prioritet: Trivsel i musiklivet\n2. prioritet: Grønnere musik\n" in reply.body
    assert reply.extra_headers["Auto-Submitted"] == "auto-replied"
    assert reply.extra_headers["In-Reply-To"] == "<15-maja@koret.dk>"


def test_completion_link_shows_what_is_missing(client, link):
    response = client.get(link)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Den mangler nogle oplysninger" in html
    assert f'href="{link}udfyld/"' in html
    assert f'href="{link}ret/"' not in html


def test_completion_form_is_prefilled_from_the_email(client, link, call):
    response = client.get(link + "udfyld/")

    form = response.context["form"]
    assert response.status_code == 200
    assert "email" not in form.fields
    assert "consent" in form.fields
    assert form.initial["motivation"] == (
        "Jeg er interesseret i både trivsel og grøn musik og kan bidrage til begge."
    )
    assert form.initial["first_choice"].slug == "trivsel"
    assert form.initial["second_choice"].slug == "groennere-musik"


def test_completion_with_missing_fields_stores_nothing(client, link, call, completion):
    tracks = {t.slug: t for t in call.tracks.all()}
    data = {
        **completion,
        "first_choice": str(tracks["trivsel"].pk),
        "consent": "",
        "seniority": "",
    }

    response = client.post(link + "udfyld/", data)

    application = Application.objects.get(channel="email")
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"consent", "seniority"}
    assert application.state == Application.State.INCOMPLETE
    assert application.consent_at is None
    assert application.contribution == ""


def test_completion_makes_a_complete_application(client, link, call, completion):
    tracks = {t.slug: t for t in call.tracks.all()}
    data = {
        **completion,
        "first_choice": str(tracks["groennere-musik"].pk),
        "second_choice": str(tracks["trivsel"].pk),
    }
    sent = len(mail.outbox)

    response = client.post(link + "udfyld/", data)

    application = Application.objects.get(channel="email")
    assert response.status_code == 302
    assert response["Location"] == link
    assert application.state == Application.State.SUBMITTED
    assert application.consent_at is not None
    assert application.region == "Syddanmark"
    assert application.eligibility == Application.Eligibility.ELIGIBLE
    assert [t.slug for t in application.preferences] == ["groennere-musik", "trivsel"]
    assert list(application.events.values_list("kind", flat=True)) == [
        "received_email",
        "completed",
    ]
    assert len(mail.outbox) == sent + 1
    assert mail.outbox[-1].subject == (
        "Kvittering: din ansøgning til Open call: handlespor 2027 er komplet"
    )
    followed = client.get(link)
    assert "Ret ansøgningen" in followed.content.decode()
    assert client.get(link + "udfyld/")["Location"] == link


def test_completion_is_closed_after_the_completion_days(client, link, call, completion):
    call.deadline = timezone.now() - timedelta(days=8)
    call.opens_at = call.deadline - timedelta(days=30)
    call.save()

    response = client.post(link + "udfyld/", completion)

    assert response.status_code == 403
    assert Application.objects.get(channel="email").state == Application.State.INCOMPLETE


def test_completion_still_open_just_after_the_deadline(client, link, call):
    call.deadline = timezone.now() - timedelta(days=2)
    call.opens_at = call.deadline - timedelta(days=30)
    call.save()

    response = client.get(link + "udfyld/")

    assert response.status_code == 200
    assert "Gem og gør ansøgningen komplet" in response.content.decode()


def test_edit_link_of_an_incomplete_application_leads_to_completion(client, link):
    response = client.get(link + "ret/")

    assert response.status_code == 302
    assert response["Location"] == reverse("calls:complete", args=[link.split("/")[2]])


def test_completion_holds_the_email_text_to_the_web_form_limit(client, link, call, completion):
    tracks = {t.slug: t for t in call.tracks.all()}
    data = {**completion, "first_choice": str(tracks["trivsel"].pk), "motivation": "x" * 3001}

    response = client.post(link + "udfyld/", data)

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"motivation"}
    assert Application.objects.get(channel="email").state == Application.State.INCOMPLETE
