"""The e-mail intake on a corpus of messages written for the tests, each with its outcome."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db.models.signals import pre_save

from handlespor.calls.models import Application, ApplicationEvent
from handlespor.inbox import domain as intake
from handlespor.inbox.models import InboundMessage
from handlespor.mail.models import OutboxMessage
from tests.factories import ApplicationFactory, OrganisationFactory, StaffFactory

CORPUS = Path(__file__).parent / "mail_corpus"
CORPUS_FILES = sorted(CORPUS.glob("*.eml"))
TRACK_FROM_ATTACHMENT = "Handlesporet er fundet i en vedhæftet fil."
NOT_RANKED = "Teksten rangerer ikke handlesporene; rækkefølgen er den nævnte."
NO_TEXT = "E-mailen har ingen tekst."
ALREADY_APPLIED = "Afsenderen har allerede en ansøgning; e-mailen er knyttet til den."


@dataclass(frozen=True)
class Expect:
    outcome: str  # application | attached | unsorted | duplicate
    tracks: list[str] = field(default_factory=list)
    reason: str = ""
    ranked: bool = True
    sender: str = ""
    match: str = "none"
    organisation: str | None = None
    notes: list[str] = field(default_factory=list)
    motivation: str | None = None
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (filename, status)


EXPECTED = {
    "01_plain_utf8": Expect(
        "application",
        ["trivsel"],
        sender="anne@musikhusetnord.dk",
        match="person",
        organisation="Musikhuset Nord",
        motivation="Kære sekretariat\n\nJeg vil gerne søge om at deltage i handlesporet om "
        "trivsel. Vi har arbejdet\nmed arbejdsmiljø for vores frivillige i fem år.",
    ),
    "02_quoted_printable": Expect(
        "application",
        ["groennere-musik"],
        sender="bo@musikhusetnord.dk",
        match="domain",
        organisation="Musikhuset Nord",
        motivation="Hej\n\nVi vil gerne bidrage til grøn musik – vi har lige lagt vores "
        "turnéplanlægning om, så den udleder mindre.",
    ),
    "03_base64_utf8": Expect(
        "application",
        ["lige-adgang"],
        sender="ditte.holm@gmail.com",
        motivation="Jeg søger handlesporet Lige adgang i musiklivet.\nJeg er freelance "
        "korleder og kender adgangsbarrierer indefra.",
    ),
    "04_iso_8859_1": Expect(
        "application",
        ["groennere-musik", "infrastrukturer"],
        sender="erik@spillestedet-aarhus.dk",
    ),
    "05_html_only": Expect(
        "application",
        ["trivsel"],
        sender="frida@festivalen.dk",
        motivation="Hej sekretariat,\n\nJeg vil gerne søge Trivsel i musiklivet & bidrage med "
        "erfaring fra festivalens frivilligkorps.",
    ),
    "06_multipart_alternative": Expect(
        "application",
        ["infrastrukturer"],
        sender="gustav@jazzorkestret.dk",
        match="domain",
        organisation="Jazzorkestret",
        motivation="Jeg søger infrastruktur-sporet.\nVi har erfaring med turnélogistik.",
    ),
    "07_pdf_attachment": Expect(
        "application",
        ["infrastrukturer"],
        sender="hanne@musikskolen-vest.dk",
        notes=[TRACK_FROM_ATTACHMENT],
        attachments=[("ansøgning.pdf", "text")],
    ),
    "08_docx_attachment": Expect(
        "application",
        ["trivsel"],
        sender="ib@pladeselskabet.dk",
        attachments=[("motivation.docx", "text")],
    ),
    "09_odt_attachment": Expect(
        "application",
        ["lige-adgang"],
        sender="jonna@kulturskolen.dk",
        attachments=[("bidrag.odt", "text")],
    ),
    "10_forwarded_by_secretariat": Expect(
        "application",
        ["groennere-musik"],
        sender="carl@spillestedet-aarhus.dk",
        notes=[
            "Videresendt af sekretariat@musiklivetspartnerskab.dk; ansøgeren er "
            "carl@spillestedet-aarhus.dk."
        ],
        motivation="Kom til min egen indbakke.\n\nJeg vil gerne søge Grønnere musik. Vi har "
        "solceller på taget.",
    ),
    "11_reply_chain": Expect(
        "application",
        ["infrastrukturer"],
        sender="kasper@orkesteret.dk",
        motivation="Jeg vil gerne være med i infrastruktur-sporet.",
    ),
    "12_auto_reply": Expect(
        "unsorted", reason="auto_reply", ranked=False, sender="lise@musikforlaget.dk"
    ),
    "13_newsletter": Expect(
        "unsorted", reason="auto_reply", ranked=False, sender="nyt@musikbranchen.dk"
    ),
    "14_bounce": Expect(
        "unsorted",
        reason="bounce",
        ranked=False,
        sender="mailer-daemon@mx.musiklivetspartnerskab.dk",
    ),
    "15_two_tracks_unranked": Expect(
        "application",
        ["trivsel", "groennere-musik"],
        ranked=False,
        sender="maja@koret.dk",
        notes=[NOT_RANKED],
    ),
    "16_two_tracks_ranked": Expect(
        "application", ["lige-adgang", "trivsel"], sender="niels@rettighed.dk"
    ),
    "17_no_track": Expect(
        "unsorted", reason="no_track", ranked=False, sender="ole@spillestedet-aarhus.dk"
    ),
    "18_misspelt_numbered": Expect(
        "application", ["infrastrukturer", "trivsel"], sender="pia@festivalen.dk"
    ),
    "19_no_body": Expect(
        "application",
        ["groennere-musik"],
        sender="rasmus@jazzorkestret.dk",
        match="domain",
        organisation="Jazzorkestret",
        notes=[NO_TEXT],
        motivation="",
    ),
    "20_no_body_no_track": Expect(
        "unsorted",
        reason="no_track",
        ranked=False,
        sender="sara@jazzorkestret.dk",
        match="domain",
        organisation="Jazzorkestret",
        notes=[NO_TEXT],
    ),
    "21_unknown_charset": Expect(
        "application",
        ["trivsel"],
        sender="tina@musikskolen-vest.dk",
        notes=["Ukendt tegnsæt “x-ukendt-42”; teksten er læst som UTF-8."],
        motivation="Jeg søger trivsel – for vores lærere og elever.",
    ),
    "22_wrong_charset": Expect(
        "application",
        ["groennere-musik"],
        sender="uffe@pladeselskabet.dk",
        motivation="Vi søger Grønnere musik.",
    ),
    "23_mixed_encodings": Expect(
        "application",
        ["lige-adgang"],
        sender="vera@koret.dk",
        motivation="Første del: vi søger lige adgang.\n\nAnden del: vores kor har 40 sangere "
        "fra hele Fyn.",
    ),
    "24_malformed_headers": Expect(
        "application",
        ["trivsel"],
        sender="willy@orkesteret.dk",
        notes=[
            "E-mailen har formfejl; den er læst så godt som muligt.",
            "Ukendt tegnsæt “x-bogus”; teksten er læst som UTF-8.",
            "Datoen i e-mailen kan ikke læses.",
        ],
    ),
    "25_odd_address": Expect(
        "attached",
        ["trivsel"],
        sender="anne@musikhusetnord.dk",
        match="person",
        organisation="Musikhuset Nord",
        notes=[ALREADY_APPLIED],
    ),
    "26_no_sender_address": Expect("unsorted", reason="no_sender", ranked=False),
    "27_duplicate_of_01": Expect("duplicate"),
    "28_huge_attachment": Expect(
        "application",
        ["trivsel"],
        sender="yrsa@festivalen.dk",
        attachments=[("video.mp4", "too_large")],
    ),
    "29_reply_in_thread": Expect("attached", ranked=False, sender="anne.jensen.privat@gmail.com"),
    "30_reply_unmatched": Expect(
        "unsorted", reason="reply_unmatched", ranked=False, sender="aksel@rettighed.dk"
    ),
    "31_web_applicant": Expect(
        "attached",
        ["lige-adgang"],
        sender="web@jazzorkestret.dk",
        match="person",
        organisation="Jazzorkestret",
        notes=[ALREADY_APPLIED],
    ),
    "32_html_script": Expect(
        "application",
        ["lige-adgang"],
        sender="xenia@medie.dk",
        motivation="Jeg søger lige adgang.\n\n<b>Ikke fed</b>",
    ),
    "33_outlook_reply": Expect(
        "application",
        ["groennere-musik"],
        sender="zenia@kommune.dk",
        motivation="Vi søger grøn musik på vegne af kommunens kulturforvaltning.",
    ),
    "34_english": Expect(
        "application",
        ["trivsel"],
        sender="oliver@venue.dk",
        motivation="I would like to apply for the wellbeing track.",
    ),
    "35_forward_as_attachment": Expect(
        "application", ["infrastrukturer"], sender="aase@musikforlaget.dk"
    ),
    "36_reporting_phrase": Expect("application", ["groennere-musik"], sender="bent@fonden.dk"),
    "37_secretariat_internal": Expect(
        "unsorted",
        reason="own_domain",
        ranked=False,
        sender="mette@musiklivetspartnerskab.dk",
    ),
}


@pytest.fixture
def corpus_results(partners, settings):
    """Every corpus message through the intake, in file order."""
    settings.INBOUND_MAX_ATTACHMENT_BYTES = 100_000
    stored = {
        path.stem: intake.inbound_store(
            raw=path.read_bytes(), source=InboundMessage.Source.UPLOAD, source_detail=path.name
        )
        for path in CORPUS_FILES
    }
    report = intake.inbound_process_pending()
    return stored, report


def test_corpus_has_an_expectation_for_every_message():
    assert sorted(p.stem for p in CORPUS_FILES) == sorted(EXPECTED)
    assert len(CORPUS_FILES) >= 25


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_intake_corpus_message_has_its_expected_outcome(name, corpus_results):
    stored, _report = corpus_results
    expect = EXPECTED[name]
    result = stored[name]

    if expect.outcome == "duplicate":
        assert result.created is False
        return
    message = InboundMessage.objects.get(pk=result.message.pk)
    assert result.created is True
    assert message.is_processed is True
    assert message.status == {"unsorted": "unsorted", "attached": "attached"}.get(
        expect.outcome, "application"
    )
    assert message.reason == expect.reason
    assert message.track_slugs == expect.tracks
    assert message.tracks_ranked == expect.ranked
    assert message.sender_email == expect.sender
    assert message.sender_match == expect.match
    assert (message.organisation.name if message.organisation else None) == expect.organisation
    assert message.notes == expect.notes
    assert [(a.filename, a.status) for a in message.attachments.all()] == expect.attachments
    if expect.outcome == "application":
        application = message.application
        assert application.state == Application.State.INCOMPLETE
        assert application.channel == Application.Channel.EMAIL
        assert [t.slug for t in application.preferences] == expect.tracks[:2]
        assert application.email == expect.sender
        assert application.organisation == message.organisation
        if expect.motivation is not None:
            assert application.motivation == expect.motivation


@pytest.mark.django_db
def test_intake_corpus_report_counts_each_outcome(corpus_results):
    stored, report = corpus_results

    outcomes = [e.outcome for e in EXPECTED.values()]
    created = [result.created for result in stored.values()]
    assert created.count(True) == len(EXPECTED) - outcomes.count("duplicate")
    assert created.count(False) == outcomes.count("duplicate")
    assert dict(report.outcomes) == {
        "application": outcomes.count("application"),
        "attached": outcomes.count("attached"),
        "unsorted": outcomes.count("unsorted"),
    }
    assert report.failed == 0


@pytest.mark.django_db
def test_intake_replies_once_to_each_application_in_the_thread(corpus_results):
    applications = InboundMessage.objects.filter(status=InboundMessage.Status.APPLICATION)

    replies = OutboxMessage.objects.exclude(headers={})
    assert replies.count() == applications.count()
    for message in applications:
        reply = replies.get(to=message.application.email)
        assert reply.headers["In-Reply-To"] == f"<{message.message_id}>"
        assert reply.headers["Auto-Submitted"] == "auto-replied"
        assert reply.headers["Message-ID"].strip("<>") == message.reply_message_id
        assert "/ansoegning/" in reply.body
        assert reply.body.startswith(f"Kære {message.application.name}\n")


@pytest.mark.django_db
def test_intake_attaches_a_thread_reply_to_the_first_application(corpus_results):
    first = InboundMessage.objects.get(message_id="01-anne@musikhusetnord.dk")

    reply = InboundMessage.objects.get(message_id="29-anne@mail.gmail.com")

    assert reply.application == first.application
    assert list(
        first.application.events.filter(kind=ApplicationEvent.Kind.MAIL_ATTACHED).values_list(
            "detail__why", flat=True
        )
    ) == ["samme afsender", "svar i tråden"]


@pytest.mark.django_db
def test_intake_rerun_creates_nothing_more(corpus_results):
    counts = (InboundMessage.objects.count(), Application.objects.count())
    outbox = OutboxMessage.objects.count()

    for path in CORPUS_FILES:
        intake.inbound_store(raw=path.read_bytes(), source=InboundMessage.Source.UPLOAD)
    report = intake.inbound_process_pending()

    assert (InboundMessage.objects.count(), Application.objects.count()) == counts
    assert OutboxMessage.objects.count() == outbox
    assert report.stored == 0
    assert dict(report.outcomes) == {}


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing on the way catches it."""


@contextmanager
def fault_before_marking(callback: Callable[[InboundMessage], None]) -> Iterator[None]:
    """Calls `callback(message)` as the pipeline marks a message processed, inside its
    transaction: the test's own seam, through Django's pre_save signal."""

    def receiver(sender, instance: InboundMessage, **kwargs) -> None:
        if instance.processed_at is not None:
            callback(instance)

    pre_save.connect(receiver, sender=InboundMessage, dispatch_uid="test-fault-before-marking")
    try:
        yield
    finally:
        pre_save.disconnect(sender=InboundMessage, dispatch_uid="test-fault-before-marking")


@pytest.mark.django_db(transaction=True)
def test_intake_crash_midway_loses_nothing_and_rerun_processes_each_once(partners):
    for path in CORPUS_FILES:
        intake.inbound_store(raw=path.read_bytes(), source=InboundMessage.Source.UPLOAD)
    processed: list[int] = []

    def crash_at_the_fifth(message: InboundMessage) -> None:
        if len(processed) == 4:
            raise Crash
        processed.append(message.pk)

    with pytest.raises(Crash), fault_before_marking(crash_at_the_fifth):
        intake.inbound_process_pending()
    assert InboundMessage.objects.filter(processed_at__isnull=False).count() == 4
    assert Application.objects.filter(channel="email").count() == 4
    assert OutboxMessage.objects.count() == 4

    report = intake.inbound_process_pending()

    stored = len(CORPUS_FILES) - 1  # the duplicate delivery is not stored
    assert InboundMessage.objects.filter(processed_at__isnull=True).count() == 0
    assert sum(report.outcomes.values()) == stored - 4
    expected_applications = [e.outcome for e in EXPECTED.values()].count("application")
    assert Application.objects.filter(channel="email").count() == expected_applications
    assert OutboxMessage.objects.count() == expected_applications
    emails = list(Application.objects.filter(channel="email").values_list("email", flat=True))
    assert len(emails) == len(set(emails))


@pytest.mark.django_db
def test_intake_failing_message_is_kept_and_set_aside_after_three_tries(call, monkeypatch):
    raw = (CORPUS / "01_plain_utf8.eml").read_bytes()
    message = intake.inbound_store(raw=raw, source=InboundMessage.Source.UPLOAD).message
    message.raw = b"\x00"  # stands in for a message that makes the parser trip
    message.save()

    def failing(message: InboundMessage) -> None:
        raise ValueError("kan ikke")

    for _run in range(3):
        with fault_before_marking(failing):
            report = intake.inbound_process_pending()
        assert report.failed == 1

    message.refresh_from_db()
    assert (message.status, message.reason, message.attempts) == ("unsorted", "failed", 3)
    assert message.last_error == "ValueError: kan ikke"
    assert message.is_processed is True
    assert intake.inbound_process_pending().failed == 0


@pytest.mark.django_db
def test_intake_message_after_the_deadline_is_unsorted(call):
    call.deadline = call.opens_at
    call.save()
    raw = (CORPUS / "01_plain_utf8.eml").read_bytes()

    intake.inbound_store(raw=raw, source=InboundMessage.Source.UPLOAD)
    intake.inbound_process_pending()

    message = InboundMessage.objects.get()
    assert (message.status, message.reason) == ("unsorted", "no_open_call")
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_inbound_upload_reads_an_mbox(partners):
    mbox = b"".join(
        b"From someone@example.org Tue Nov 24 10:00:00 2026\n"
        + (CORPUS / name).read_bytes().replace(b"\r\n", b"\n")
        + b"\n"
        for name in ("02_quoted_printable.eml", "17_no_track.eml", "27_duplicate_of_01.eml")
    )

    report = intake.inbound_upload(filename="indbakke.mbox", data=mbox)

    assert (report.stored, report.duplicates) == (3, 0)
    assert dict(report.outcomes) == {"application": 2, "unsorted": 1}
    assert InboundMessage.objects.get(message_id="02-bo@musikhusetnord.dk").source_detail == (
        "indbakke.mbox"
    )


@pytest.mark.django_db
def test_inbound_upload_of_a_file_without_mail_stores_nothing(call):
    with pytest.raises(intake.UploadError):
        intake.inbound_upload(filename="noter.eml", data=b"bare noget tekst uden felter")

    assert InboundMessage.objects.count() == 0


@pytest.fixture
def unsorted_message(partners):
    raw = (CORPUS / "17_no_track.eml").read_bytes()
    intake.inbound_store(raw=raw, source=InboundMessage.Source.UPLOAD)
    intake.inbound_process_pending()
    return InboundMessage.objects.get()


@pytest.mark.django_db
def test_inbound_make_application_turns_an_unsorted_message_into_one(unsorted_message, call):
    staff = StaffFactory()
    track = call.tracks.get(slug="trivsel")

    application = intake.inbound_make_application(
        message=unsorted_message, call=call, tracks=[track], organisation=None, actor=staff
    )

    unsorted_message.refresh_from_db()
    assert (unsorted_message.status, unsorted_message.reason) == ("application", "")
    assert unsorted_message.application == application
    assert application.first_choice == track
    assert application.events.get().actor == staff
    assert OutboxMessage.objects.get().to == "ole@spillestedet-aarhus.dk"


@pytest.mark.django_db
def test_inbound_make_application_refuses_a_second_application(unsorted_message, call):
    track = call.tracks.get(slug="trivsel")
    intake.inbound_make_application(
        message=unsorted_message, call=call, tracks=[track], organisation=None, actor=None
    )

    with pytest.raises(intake.IntakeError):
        intake.inbound_make_application(
            message=unsorted_message, call=call, tracks=[track], organisation=None, actor=None
        )

    assert Application.objects.filter(channel="email").count() == 1


@pytest.mark.django_db
def test_inbound_dismiss_keeps_the_message(unsorted_message):
    intake.inbound_dismiss(message=unsorted_message, actor="sekretariat")

    unsorted_message.refresh_from_db()
    assert unsorted_message.status == "dismissed"
    assert unsorted_message.notes == ["Lagt til side af sekretariat."]


@pytest.fixture
def email_application(partners):
    raw = (CORPUS / "03_base64_utf8.eml").read_bytes()
    intake.inbound_store(raw=raw, source=InboundMessage.Source.UPLOAD)
    intake.inbound_process_pending()
    return Application.objects.get(channel="email")


@pytest.mark.django_db
def test_application_correct_fixes_tracks_and_organisation(email_application, call):
    staff = StaffFactory()
    organisation = OrganisationFactory(name="Koret")
    tracks = [call.tracks.get(slug="trivsel"), call.tracks.get(slug="lige-adgang")]

    changed = intake.application_correct(
        application=email_application, tracks=tracks, organisation=organisation, actor=staff
    )

    email_application.refresh_from_db()
    assert changed == ["first_choice", "second_choice", "organisation"]
    assert email_application.preferences == tracks
    assert email_application.eligibility == "eligible"
    assert email_application.inbound_messages.get().sender_match == "staff"
    event = email_application.events.get(kind="corrected")
    assert (event.actor, event.detail) == (staff, {"fields": changed})


@pytest.mark.django_db
def test_application_merge_moves_the_mail_into_the_web_application(email_application, call):
    web = ApplicationFactory(call=call, first_choice=call.tracks.get(slug="trivsel"))
    staff = StaffFactory()

    intake.application_merge(source=email_application, target=web, actor=staff)

    message = InboundMessage.objects.get()
    assert (message.application, message.status) == (web, "attached")
    assert Application.objects.filter(pk=email_application.pk).exists() is False
    event = web.events.get(kind="merged")
    assert event.detail["from_email"] == "ditte.holm@gmail.com"
    assert event.actor == staff


@pytest.mark.django_db
def test_application_merge_refuses_a_complete_source(email_application, call):
    web = ApplicationFactory(call=call, first_choice=call.tracks.get(slug="trivsel"))

    with pytest.raises(intake.IntakeError):
        intake.application_merge(source=web, target=email_application, actor=None)

    assert Application.objects.filter(pk=web.pk).exists() is True


NO_MESSAGE_ID = (
    "From: Ole Hansen <ole@example.org>\r\n"
    "To: sekretariat@musiklivetspartnerskab.dk\r\n"
    "Subject: Ansøgning til Trivsel i musiklivet\r\n"
    "Date: Tue, 24 Nov 2026 10:00:00 +0100\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Jeg vil gerne være med i trivselssporet.\r\n"
)


@pytest.mark.django_db
def test_intake_without_message_id_over_imap_and_as_file_is_stored_once(call):
    over_imap = NO_MESSAGE_ID.encode()
    as_file = NO_MESSAGE_ID.replace("\r\n", "\n").encode() + b"\n"

    first = intake.inbound_store(raw=over_imap, source=InboundMessage.Source.IMAP)
    second = intake.inbound_store(raw=as_file, source=InboundMessage.Source.UPLOAD)

    assert (first.created, second.created) == (True, False)
    assert InboundMessage.objects.count() == 1


@pytest.mark.django_db
def test_intake_of_a_long_body_keeps_it_whole_and_the_application_says_it_was_longer(call):
    paragraph = "Vi vil gerne arbejde med trivsel i musiklivet sammen med andre partnere. "
    body = "Ansøgning til Trivsel i musiklivet.\n\n" + paragraph * (5_000_000 // len(paragraph))
    raw = NO_MESSAGE_ID.replace(
        "Jeg vil gerne være med i trivselssporet.\r\n", body.replace("\n", "\r\n")
    ).encode()

    intake.inbound_store(raw=raw, source=InboundMessage.Source.UPLOAD)
    intake.inbound_process_pending()

    message = InboundMessage.objects.get()
    application = Application.objects.get()
    assert len(message.body_text) == len(body.strip())
    assert len(application.motivation) <= 3000
    assert application.motivation.startswith("Ansøgning til Trivsel i musiklivet.")
    assert application.text_cut_from == len(body.strip())
