"""The back office's inbox pages."""

from collections import Counter
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from handlespor.calls.models import Application
from handlespor.inbox import domain as intake
from handlespor.inbox.models import InboundMessage
from tests.factories import ApplicationFactory, StaffFactory

CORPUS = Path(__file__).parent / "mail_corpus"
pytestmark = pytest.mark.django_db


def _take_in(*names: str) -> None:
    for name in names:
        raw = (CORPUS / name).read_bytes()
        intake.inbound_store(raw=raw, source=InboundMessage.Source.UPLOAD, source_detail=name)
    intake.inbound_process_pending()


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    client.get(reverse("accounts:home"))  # the login's one-time checks (two-factor)
    return client


def test_inbox_is_for_staff_only(client, call):
    response = client.get(reverse("inbox:list"))

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_inbox_lists_the_unsorted_by_default(staff_client, call):
    _take_in("17_no_track.eml", "03_base64_utf8.eml", "12_auto_reply.eml")

    response = staff_client.get(reverse("inbox:list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert [m.subject for m in response.context["page"].object_list] == [
        "Automatisk svar: Open call: handlespor 2027",
        "Spørgsmål om fristen",
    ]
    assert "usorteret: nævner intet handlespor" in html.lower()
    assert "Usorteret (2)" in html


def test_inbox_query_count_does_not_grow_with_messages(
    staff_client, call, django_assert_num_queries
):
    _take_in("17_no_track.eml")
    with django_assert_num_queries(5):
        staff_client.get(reverse("inbox:list") + "?vis=alle")
    _take_in("03_base64_utf8.eml", "12_auto_reply.eml", "20_no_body_no_track.eml")

    with django_assert_num_queries(5):
        response = staff_client.get(reverse("inbox:list") + "?vis=alle")

    assert len(response.context["page"].object_list) == 4


def test_inbox_message_page_escapes_what_the_sender_wrote(staff_client, call):
    _take_in("32_html_script.eml")
    message = InboundMessage.objects.get()

    response = staff_client.get(reverse("inbox:message", args=[message.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;b&gt;Ikke fed&lt;/b&gt;" in html
    assert "<b>Ikke fed</b>" not in html
    assert "alert(" not in html.split("Hele teksten")[0]
    assert "onerror" not in html


def test_inbox_attachment_is_downloaded_never_shown_inline(staff_client, call):
    _take_in("07_pdf_attachment.eml")
    attachment = InboundMessage.objects.get().attachments.get()

    response = staff_client.get(reverse("inbox:attachment", args=[attachment.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''ans%C3%B8gning.pdf"
    assert response.content.startswith(b"%PDF-1.4")


def test_inbox_raw_message_download_is_the_message_as_received(staff_client, call):
    _take_in("01_plain_utf8.eml")
    message = InboundMessage.objects.get()

    response = staff_client.get(reverse("inbox:raw", args=[message.pk]))

    assert response.content == (CORPUS / "01_plain_utf8.eml").read_bytes()


def test_inbox_upload_of_an_eml_takes_it_in(staff_client, call):
    upload = SimpleUploadedFile("ansøgning.eml", (CORPUS / "03_base64_utf8.eml").read_bytes())

    response = staff_client.post(reverse("inbox:upload"), {"file": upload})

    assert response.status_code == 302
    assert Application.objects.get().email == "ditte.holm@gmail.com"


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("noter.txt", b"From: a@b.dk\n\nhej", "Vælg en .eml- eller .mbox-fil."),
        ("tom.eml", b"", "Den indsendte fil er tom."),
        (
            "noter.eml",
            b"bare tekst uden felter",
            "Filen ligner ikke en e-mail (.eml) eller en postkasse (.mbox).",
        ),
    ],
)
def test_inbox_upload_of_bad_files_is_refused_and_stores_nothing(
    staff_client, call, name, content, error
):
    response = staff_client.post(
        reverse("inbox:upload"), {"file": SimpleUploadedFile(name, content)}
    )

    assert response.status_code == 400
    assert response.context["upload_form"].errors["file"] == [error]
    assert InboundMessage.objects.count() == 0


def test_inbox_make_application_from_an_unsorted_message(staff_client, call):
    _take_in("17_no_track.eml")
    message = InboundMessage.objects.get()
    track = call.tracks.get(slug="lige-adgang")

    response = staff_client.post(
        reverse("inbox:make", args=[message.pk]),
        {"first_choice": track.pk, "second_choice": "", "organisation": "", "send_reply": "on"},
    )

    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.email, application.first_choice) == ("ole@spillestedet-aarhus.dk", track)


def test_inbox_make_application_with_the_same_track_twice_is_refused(staff_client, call):
    _take_in("17_no_track.eml")
    message = InboundMessage.objects.get()
    track = call.tracks.get(slug="lige-adgang")

    response = staff_client.post(
        reverse("inbox:make", args=[message.pk]),
        {"first_choice": track.pk, "second_choice": track.pk},
    )

    assert response.status_code == 400
    assert response.context["make_form"].errors["second_choice"] == [
        "Vælg et andet handlespor end 1. prioritet."
    ]
    assert Application.objects.count() == 0


def test_inbox_correct_changes_the_recognised_track(staff_client, call):
    _take_in("03_base64_utf8.eml")
    message = InboundMessage.objects.get()
    track = call.tracks.get(slug="trivsel")

    response = staff_client.post(
        reverse("inbox:correct", args=[message.pk]),
        {"first_choice": track.pk, "second_choice": "", "organisation": ""},
    )

    assert response.status_code == 302
    assert Application.objects.get().first_choice == track


def test_inbox_merge_into_a_web_application(staff_client, call):
    _take_in("03_base64_utf8.eml")
    message = InboundMessage.objects.get()
    web = ApplicationFactory(call=call, first_choice=call.tracks.get(slug="trivsel"))

    response = staff_client.post(reverse("inbox:merge", args=[message.pk]), {"target": web.pk})

    assert response.status_code == 302
    message.refresh_from_db()
    assert message.application == web
    assert Application.objects.count() == 1


def test_inbox_merge_with_an_unknown_target_is_refused(staff_client, call):
    _take_in("03_base64_utf8.eml")
    message = InboundMessage.objects.get()

    response = staff_client.post(reverse("inbox:merge", args=[message.pk]), {"target": "999999"})

    assert response.status_code == 400
    assert response.context["merge_form"].errors["target"] == ["Vælg en ansøgning på listen."]
    assert Application.objects.count() == 1


def test_inbox_dismiss_and_attach(staff_client, call):
    _take_in("30_reply_unmatched.eml", "17_no_track.eml")
    reply, question = InboundMessage.objects.order_by("pk")
    target = ApplicationFactory(call=call, first_choice=call.tracks.get(slug="trivsel"))

    staff_client.post(reverse("inbox:attach", args=[reply.pk]), {"application": target.pk})
    staff_client.post(reverse("inbox:dismiss", args=[question.pk]))

    reply.refresh_from_db()
    question.refresh_from_db()
    assert (reply.status, reply.application) == ("attached", target)
    assert question.status == "dismissed"
    assert InboundMessage.objects.count() == 2


def test_inbox_fetch_without_imap_settings_says_so(staff_client, call, settings):
    settings.IMAP = {**settings.IMAP, "host": ""}

    response = staff_client.post(reverse("inbox:fetch"), follow=True)

    assert "Indbakken er ikke sat op (IMAP_HOST mangler)." in response.content.decode()


def test_inbox_upload_says_in_words_what_happened(staff_client, call):
    raw = (CORPUS / "03_base64_utf8.eml").read_bytes()

    first = staff_client.post(
        reverse("inbox:upload"), {"file": SimpleUploadedFile("a.eml", raw)}, follow=True
    )
    again = staff_client.post(
        reverse("inbox:upload"), {"file": SimpleUploadedFile("a.eml", raw)}, follow=True
    )

    assert [str(m) for m in first.context["messages"]] == [
        "Filen er læst: 1 ny e-mail; 1 ansøgning."
    ]
    assert [str(m) for m in again.context["messages"]] == ["Filen er læst: 1 allerede modtaget."]


def test_intake_report_summary_names_each_outcome_in_words():
    report = intake.IntakeReport(
        stored=4, duplicates=1, outcomes=Counter(application=2, unsorted=1, attached=1), failed=1
    )

    assert report.summary() == (
        "4 nye e-mails, 1 allerede modtaget; 2 ansøgninger, 1 føjet til en ansøgning, "
        "1 usorteret; 1 kunne ikke behandles"
    )
