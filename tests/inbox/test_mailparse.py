import pytest

from handlespor.inbox.mailparse import (
    decode_bytes,
    html_to_text,
    parse_address,
    parse_message,
    read_attachment,
    trim,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Anne Jensen <anne@example.org>", ("Anne Jensen", "anne@example.org")),
        ('"Jensen, Anne" <Anne@Example.ORG>', ("Jensen, Anne", "anne@example.org")),
        ("anne@example.org (Anne Jensen)", ("Anne Jensen", "anne@example.org")),
        ("<anne@example.org>", ("", "anne@example.org")),
        ("mailto:anne@example.org", ("", "anne@example.org")),
        ("Anne Jensen anne@example.org", ("Anne Jensen", "anne@example.org")),
        ("Ukendt afsender", ("", "")),
        ("", ("", "")),
    ],
)
def test_parse_address_reads_the_usual_odd_forms(value, expected):
    assert parse_address(value) == expected


def test_decode_bytes_with_an_unknown_charset_reads_utf8_and_notes_it():
    notes: list[str] = []

    assert decode_bytes("grøn".encode(), "x-ukendt", notes) == "grøn"
    assert notes == ["Ukendt tegnsæt “x-ukendt”; teksten er læst som UTF-8."]


def test_decode_bytes_with_a_wrong_charset_falls_back_to_windows_1252():
    notes: list[str] = []

    assert decode_bytes("grøn".encode("latin-1"), "utf-8", notes) == "grøn"
    assert notes == []


def test_decode_bytes_declared_latin1_is_read_as_declared():
    notes: list[str] = []

    assert decode_bytes("Århus".encode("latin-1"), "iso-8859-1", notes) == "Århus"
    assert notes == []


def test_html_to_text_drops_tags_scripts_and_styles_and_marks_quotes():
    html = (
        "<style>p{}</style><p>Hej <b>der</b></p><script>alert(1)</script>"
        "<ul><li>et</li><li>to</li></ul><blockquote>gammelt</blockquote>"
    )

    assert html_to_text(html) == "Hej der\n\n- et\n\n- to\n\n> gammelt"


def test_trim_cuts_quotes_and_signature():
    text = "Min tekst.\n\nMed venlig hilsen\nAnne\n\nOn Mon, 1 Dec 2026 Bo wrote:\n> gammelt"

    assert trim(text) == ("Min tekst.", False, "")


def test_trim_keeps_a_closing_that_is_the_first_line():
    assert trim("Hilsen fra Fyn – vi søger trivsel.")[0] == "Hilsen fra Fyn – vi søger trivsel."


def test_trim_keeps_a_forwarded_text_without_its_header_lines():
    text = (
        "Se nedenfor.\n\n---------- Videresendt meddelelse ----------\n"
        "Fra: Bo <bo@example.org>\nDato: 1. dec.\nEmne: Ansøgning\nTil: os\n\nJeg søger trivsel."
    )

    assert trim(text) == ("Se nedenfor.\n\nJeg søger trivsel.", True, "bo@example.org")


def test_read_attachment_too_large_is_not_kept_and_says_so():
    attachment = read_attachment(
        filename="film.mp4", content_type="video/mp4", data=b"x" * 2_000_001, max_bytes=1_000_000
    )

    assert (attachment.status, attachment.content) == ("too_large", None)
    assert attachment.note == (
        "For stor (2.0 MB; grænsen er 1.0 MB). Filen findes stadig i den rå e-mail."
    )


@pytest.mark.parametrize("filename", ["ansøgning.pdf", "ansøgning.docx", "ansøgning.odt"])
def test_read_attachment_broken_document_is_kept_as_unreadable(filename):
    attachment = read_attachment(
        filename=filename,
        content_type="application/octet-stream",
        data=b"not really a document",
        max_bytes=1_000_000,
    )

    assert attachment.status == "unreadable"
    assert attachment.content == b"not really a document"
    assert attachment.note.startswith("Teksten kunne ikke læses (")


def test_parse_message_of_garbage_bytes_does_not_raise():
    parsed = parse_message(b"\x00\xff\xfe garbage \r\n\r\n\xff", max_attachment_bytes=1000)

    assert (parsed.sender_email, parsed.auto, parsed.attachments) == ("", "", [])


def test_parse_message_of_an_empty_message_notes_that_it_has_no_text():
    parsed = parse_message(b"", max_attachment_bytes=1000)

    assert parsed.notes == ["E-mailen har ingen tekst."]
