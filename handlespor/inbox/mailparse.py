"""Reading an e-mail as it arrived: sender, subject, the body as plain text with quotes and
signature trimmed, and the attachments with their text.

Pure Python, no Django, so every odd message can be tested on its own. Nothing here raises on
bad input: whatever cannot be read well is read as well as possible and a note says so (notes
are Danish; the secretariat reads them).
"""

import codecs
import email
import email.policy
import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.header import Header, decode_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

from defusedxml import ElementTree

log = logging.getLogger(__name__)
logging.getLogger("pypdf").setLevel(logging.ERROR)

TEXT_LIMIT = 100_000  # characters of extracted text kept per attachment
# Characters of a body kept as text: in practice all of it (a mail server caps size upstream);
# the raw message is kept whole anyway, and a cut is said in a note.
BODY_LIMIT = 20_000_000
PDF_PAGE_LIMIT = 50
ZIP_MEMBER_LIMIT = 20 * 1024 * 1024  # a DOCX/ODT whose text part unpacks larger is a zip bomb

ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
REPLY_PREFIX = re.compile(
    r"^\s*((re|sv|aw|antw|vs|fw|fwd|videresend|wg)\s*(\[\d+\])?\s*:\s*)+", re.I
)
IS_REPLY_SUBJECT = re.compile(r"^\s*(re|sv|aw|antw)\s*:", re.I)
AUTO_SUBJECT = re.compile(
    r"^\s*(autosvar|automatisk svar|auto:|automatic reply|autoreply|out of office|"
    r"fraværende|fraværsmeddelelse|ikke til stede|abwesenheitsnotiz)",
    re.I,
)
BOUNCE_SUBJECT = re.compile(
    r"(undeliver|delivery status notification|mail delivery failed|returned mail|"
    r"delivery failure|kan ikke leveres|ikke leveret|leveringsfejl|failure notice)",
    re.I,
)
BOUNCE_SENDERS = {"mailer-daemon", "postmaster"}

# Where a quoted earlier message starts in a reply.
QUOTE_HEADER = re.compile(
    r"^\s*(on|den|d\.|le|am)\s.{0,200}\b(wrote|skrev|a écrit|schrieb)\b.{0,160}:\s*$", re.I
)
ORIGINAL_MESSAGE = re.compile(
    r"^\s*-{2,}\s*(original message|oprindelig meddelelse|oprindelig besked|"
    r"oprindelig e-mail)\s*-{2,}\s*$",
    re.I,
)
OUTLOOK_HEADER = re.compile(r"^\s*\**(fra|from)\s*:\**\s", re.I)
OUTLOOK_NEXT = re.compile(r"^\s*\**(sendt|sent|dato|date|til|to)\s*:\**\s", re.I)
FORWARD_MARKER = re.compile(
    r"^\s*(-{2,}\s*(forwarded message|videresendt meddelelse|videresendt besked|"
    r"videresendt e-mail)\s*-{2,}|begin forwarded message:|start på videresendt besked:)\s*$",
    re.I,
)
FORWARD_HEADER_LINE = re.compile(
    r"^\s*\**(fra|from|dato|date|sendt|sent|emne|subject|til|to|cc|svar til|reply-to)\s*:",
    re.I,
)
SIGNATURE_DELIMITER = re.compile(r"^--\s?$")
CLOSING = re.compile(
    r"^\s*((med\s+)?(venlig(st)?e?|bedste|mange|kærlig(e)?|god)\s+(hilsen|hilsner)|"
    r"hilsen|mvh\.?|vh\.?|kh\.?|best( regards)?|kind regards|regards|cheers|"
    r"sendt fra min|sent from my|hent outlook)\b.{0,40}$",
    re.I,
)


@dataclass
class Attachment:
    filename: str
    content_type: str
    size: int
    content: bytes | None
    text: str = ""
    status: str = "kept"  # text | kept | too_large | unreadable
    note: str = ""


@dataclass
class ParsedMessage:
    message_id: str = ""
    sender_email: str = ""
    sender_name: str = ""
    subject: str = ""
    sent_at: datetime | None = None
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    body: str = ""
    text: str = ""
    forwarded_sender: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    auto: str = ""  # "" | "auto_reply" | "bounce"
    is_reply: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def clean_subject(self) -> str:
        return REPLY_PREFIX.sub("", self.subject).strip()


# --- characters -------------------------------------------------------------------------------


def decode_bytes(data: bytes, charset: str | None, notes: list[str]) -> str:
    """Text in the declared charset, else UTF-8, else Windows-1252; never fails."""
    declared = (charset or "").strip().strip("\"'").lower()
    candidates: list[str] = []
    if declared and declared not in {"us-ascii", "ascii"}:
        try:
            candidates.append(codecs.lookup(declared).name)
        except LookupError:
            notes.append(f"Ukendt tegnsæt “{declared[:40]}”; teksten er læst som UTF-8.")
    for fallback in ("utf-8", "cp1252"):
        if fallback not in candidates:
            candidates.append(fallback)
    for position, candidate in enumerate(candidates):
        try:
            text = data.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
        if position > 0 and declared and candidates[0] != "utf-8":
            notes.append(
                f"Teksten passede ikke til tegnsættet “{declared[:40]}”; læst som {candidate}."
            )
        return text
    notes.append("Teksten kunne ikke afkodes rent; ulæselige tegn er erstattet.")
    return data.decode("latin-1")


def _unescape_surrogates(text: str) -> str:
    """Raw 8-bit bytes in a header arrive as surrogates: read them as UTF-8, else Latin-1."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    data = text.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def header_text(message: Message, name: str, notes: list[str]) -> str:
    """A header as one line of text, encoded words decoded; '' when missing."""
    try:
        value = message.get(name)
    except Exception:  # a header the parser could not even hold
        notes.append(f"Feltet {name} kunne ikke læses.")
        return ""
    if value is None:
        return ""
    if isinstance(value, Header):  # raw 8-bit bytes in the header: UTF-8, else Windows-1252
        value = "".join(
            decode_bytes(chunk, None if charset in {None, "unknown-8bit"} else charset, notes)
            if isinstance(chunk, bytes)
            else chunk
            for chunk, charset in decode_header(value)
        )
    raw = _unescape_surrogates(str(value))
    try:
        parts = decode_header(raw)
    except Exception:
        notes.append(f"Feltet {name} er ikke korrekt kodet; vist som det står.")
        return " ".join(raw.split())
    chunks = []
    for chunk, charset in parts:
        if isinstance(chunk, bytes):
            chunks.append(decode_bytes(chunk, charset, notes))
        else:
            chunks.append(chunk)
    return " ".join("".join(chunks).split())


def message_id_of(value: str) -> str:
    """The id inside a Message-ID-like header, without its angle brackets."""
    found = re.search(r"<([^<>\s]+)>", value)
    return (found.group(1) if found else value.strip().strip("<>")).strip()[:990]


def _message_ids(value: str) -> list[str]:
    return [m.strip() for m in re.findall(r"<([^<>\s]+)>", value)][:100]


# --- addresses --------------------------------------------------------------------------------


def parse_address(value: str) -> tuple[str, str]:
    """(name, lower-case address) from a From-like header in any of its usual odd forms."""
    value = value.replace("mailto:", "")
    try:
        pairs = getaddresses([value])
    except Exception:
        pairs = []
    for name, address in pairs:
        address = address.strip().strip(".").lower()
        if ADDRESS.fullmatch(address):
            return name.strip().strip('"'), address
    found = ADDRESS.search(value)
    if found is None:
        return "", ""
    name = value[: found.start()].strip(" <>\"'\t")
    return name, found.group(0).strip(".").lower()


# --- HTML -------------------------------------------------------------------------------------

BLOCK_TAGS = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
    "blockquote", "hr", "section", "article", "header", "footer", "pre",
}  # fmt: skip
SKIPPED_TAGS = {"script", "style", "head", "title", "template", "noscript"}


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.quote_depth = 0
        self.skipping = 0

    def _newline(self) -> None:
        if self.lines[-1].strip() or (len(self.lines) > 1 and self.lines[-2].strip()):
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        quote_class = "gmail_quote" in (attributes.get("class") or "")
        outlook_reply = attributes.get("id") in {"divRplyFwdMsg", "appendonsend"}
        if tag == "blockquote" or quote_class or outlook_reply:
            self.quote_depth += 1 if tag == "blockquote" or quote_class else 0
            if outlook_reply:
                self.quote_depth = max(self.quote_depth, 1) + 100  # the rest is the old mail
        if tag in BLOCK_TAGS:
            self._newline()
        if tag == "li":
            self.lines[-1] += "- "

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        if tag == "blockquote" and self.quote_depth and self.quote_depth < 100:
            self.quote_depth -= 1
        if tag in BLOCK_TAGS:
            self._newline()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        text = re.sub(r"\s+", " ", data)
        if not text.strip() and not self.lines[-1]:
            return
        if self.quote_depth and not self.lines[-1].startswith(">"):
            self.lines[-1] = "> " + self.lines[-1]
        self.lines[-1] += text


def html_to_text(html: str) -> str:
    """The readable text of an HTML body: no tags, no scripts; quoted parts marked with '>'."""
    parser = _TextOfHtml()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # HTMLParser is lenient; this is a last resort
        return re.sub(r"<[^>]*>", " ", html)
    lines = [line.strip() for line in parser.lines]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- trimming ---------------------------------------------------------------------------------


def _cut_quote(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        joined = line + " " + (lines[index + 1] if index + 1 < len(lines) else "")
        if ORIGINAL_MESSAGE.match(line) or QUOTE_HEADER.match(line):
            return lines[:index]
        if QUOTE_HEADER.match(joined) and not QUOTE_HEADER.match(lines[index + 1]):
            return lines[:index]
        if re.match(r"^\s*_{10,}\s*$", line) or OUTLOOK_HEADER.match(line):
            following = lines[index + 1 : index + 5]
            if any(OUTLOOK_HEADER.match(n) or OUTLOOK_NEXT.match(n) for n in following):
                return lines[:index]
    return lines


def _cut_signature(lines: list[str]) -> list[str]:
    seen_content = False
    for index, line in enumerate(lines):
        if SIGNATURE_DELIMITER.match(line):
            return lines[:index]
        if seen_content and CLOSING.match(line):
            return lines[:index]
        seen_content = seen_content or bool(line.strip())
    return lines


def _tidy(lines: list[str]) -> str:
    text = "\n".join(line.rstrip() for line in lines if not line.lstrip().startswith(">"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def trim(text: str) -> tuple[str, bool, str]:
    """(the writer's own words, whether a forwarded message was found, its sender).

    Quoted replies and signatures are cut; a forwarded message keeps its text without its
    header lines, since the forwarded text is often the application itself.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for index, line in enumerate(lines):
        if FORWARD_MARKER.match(line):
            own = _tidy(_cut_signature(_cut_quote(lines[:index])))
            rest = lines[index + 1 :]
            header_end = 0
            forwarded_sender = ""
            while header_end < len(rest) and (
                FORWARD_HEADER_LINE.match(rest[header_end]) or not rest[header_end].strip()
            ):
                if re.match(r"^\s*\**(fra|from)\s*:", rest[header_end], re.I):
                    forwarded_sender = parse_address(rest[header_end].split(":", 1)[1])[1]
                header_end += 1
                if header_end > 12:
                    break
            forwarded, _forward, _sender = trim("\n".join(rest[header_end:]))
            return "\n\n".join(p for p in (own, forwarded) if p), True, forwarded_sender
    return _tidy(_cut_signature(_cut_quote(lines))), False, ""


# --- attachments ------------------------------------------------------------------------------


def _zip_xml(data: bytes, member: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
        if info.file_size > ZIP_MEMBER_LIMIT:
            raise ValueError("the text part unpacks too large")
        with archive.open(info) as handle:
            return handle.read(ZIP_MEMBER_LIMIT + 1)[:ZIP_MEMBER_LIMIT]


def _docx_text(data: bytes) -> str:
    word = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = ElementTree.fromstring(_zip_xml(data, "word/document.xml"))
    paragraphs = ("".join(t.text or "" for t in p.iter(f"{word}t")) for p in root.iter(f"{word}p"))
    return "\n".join(paragraphs)


def _odt_text(data: bytes) -> str:
    text_ns = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
    root = ElementTree.fromstring(_zip_xml(data, "content.xml"))
    blocks = (el for el in root.iter() if el.tag in {f"{text_ns}p", f"{text_ns}h"})
    return "\n".join("".join(block.itertext()) for block in blocks)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise ValueError("the PDF is encrypted")
    return "\n".join((page.extract_text() or "") for page in reader.pages[:PDF_PAGE_LIMIT])


EXTRACTORS = {
    "pdf": (_pdf_text, {"application/pdf"}),
    "docx": (
        _docx_text,
        {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    ),
    "odt": (_odt_text, {"application/vnd.oasis.opendocument.text"}),
}


def _kind_of(filename: str, content_type: str) -> str | None:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension in EXTRACTORS:
        return extension
    return next((k for k, (_f, types) in EXTRACTORS.items() if content_type in types), None)


def read_attachment(*, filename: str, content_type: str, data: bytes, max_bytes: int) -> Attachment:
    """The attachment with its text where the format allows; too large ones are not kept."""
    attachment = Attachment(
        filename=filename, content_type=content_type, size=len(data), content=data
    )
    if len(data) > max_bytes:
        attachment.content = None
        attachment.status = "too_large"
        attachment.note = (
            f"For stor ({len(data) / 1_000_000:.1f} MB; grænsen er "
            f"{max_bytes / 1_000_000:.1f} MB). Filen findes stadig i den rå e-mail."
        )
        return attachment
    kind = _kind_of(filename, content_type)
    if kind is None:
        if content_type == "text/plain":
            attachment.text = decode_bytes(data, "utf-8", [])[:TEXT_LIMIT]
            attachment.status = "text"
        return attachment
    try:
        text = EXTRACTORS[kind][0](data)
    except Exception as error:  # a broken or hostile file must not stop the message
        log.info("No text from attachment %r: %s", filename, error)
        attachment.status = "unreadable"
        attachment.note = f"Teksten kunne ikke læses ({kind.upper()}: {str(error)[:120]})."
        return attachment
    attachment.text = re.sub(r"\n{3,}", "\n\n", text).strip()[:TEXT_LIMIT]
    attachment.status = "text" if attachment.text else "kept"
    if not attachment.text:
        attachment.note = "Filen indeholder ingen tekst, der kan læses (fx et skannet billede)."
    return attachment


# --- the message ------------------------------------------------------------------------------


def _is_attachment(part: Message) -> bool:
    if part.get_content_type() == "message/rfc822":
        return False  # a forwarded message: its text joins the body, its files are listed
    disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
    if disposition == "attachment":
        return True
    if part.get_param("name") or part.get_param("filename", header="content-disposition"):
        return part.get_content_maintype() != "text" or disposition != "inline"
    return part.get_content_maintype() not in {"text", "multipart", "message"}


def _payload_text(part: Message, notes: list[str]) -> str:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        notes.append("En del af e-mailen kunne ikke afkodes.")
        return ""
    if not isinstance(data, bytes):
        return ""
    charset = None
    try:
        charset = part.get_content_charset()
    except Exception:
        notes.append("En del af e-mailen har et ulæseligt tegnsæt.")
    text = decode_bytes(data, charset, notes)
    if part.get_content_type() == "text/html":
        return html_to_text(text)
    return text


def _body_of(part: Message, notes: list[str], depth: int = 0) -> str:
    if depth > 10:
        return ""
    content_type = part.get_content_type()
    if part.is_multipart():
        subparts = [p for p in part.get_payload() if isinstance(p, Message)]
        if content_type == "message/rfc822":
            return "\n\n".join(_forwarded_block(p, notes, depth) for p in subparts)
        if content_type == "multipart/alternative":
            plain = [p for p in subparts if p.get_content_type() == "text/plain"]
            chosen = plain[:1] or subparts[-1:]
            return _body_of(chosen[0], notes, depth + 1) if chosen else ""
        texts = (_body_of(p, notes, depth + 1) for p in subparts if not _is_attachment(p))
        return "\n\n".join(t for t in texts if t.strip())
    if _is_attachment(part) or part.get_content_maintype() != "text":
        return ""
    if content_type not in {"text/plain", "text/html"}:
        return ""
    return _payload_text(part, notes)


def _forwarded_block(inner: Message, notes: list[str], depth: int) -> str:
    sender = header_text(inner, "From", notes)
    subject = header_text(inner, "Subject", notes)
    return (
        "---------- Videresendt meddelelse ----------\n"
        f"Fra: {sender}\nEmne: {subject}\n\n{_body_of(inner, notes, depth + 1)}"
    )


def _attachments_of(message: Message, max_bytes: int, notes: list[str]) -> list[Attachment]:
    found = []
    for part in message.walk():
        if part.is_multipart() or not _is_attachment(part):
            continue
        try:
            data = part.get_payload(decode=True) or b""
        except Exception:
            data = b""
        name = ""
        try:
            name = part.get_filename() or ""
        except Exception:
            notes.append("Et filnavn kunne ikke læses.")
        name = _unescape_surrogates(" ".join(name.split()))
        name = re.sub(r"[\\/\x00-\x1f]", "_", name).strip() or "vedhæftet-fil"
        found.append(
            read_attachment(
                filename=name[:255],
                content_type=part.get_content_type()[:100],
                data=data,
                max_bytes=max_bytes,
            )
        )
    return found


def _auto_kind(message: Message, subject: str, sender: str, notes: list[str]) -> str:
    auto_submitted = header_text(message, "Auto-Submitted", notes).lower()
    precedence = header_text(message, "Precedence", notes).lower()
    report = message.get_content_type() == "multipart/report"
    local_part = sender.split("@")[0] if sender else ""
    if (
        report
        or local_part in BOUNCE_SENDERS
        or message.get("X-Failed-Recipients") is not None
        or (
            header_text(message, "Return-Path", notes).strip() == "<>"
            and BOUNCE_SUBJECT.search(subject)
        )
    ):
        return "bounce"
    if (
        (auto_submitted and auto_submitted != "no")
        or message.get("X-Autoreply") is not None
        or message.get("X-Autorespond") is not None
        or precedence in {"auto_reply", "bulk", "junk", "list"}
        or message.get("List-Id") is not None
        or AUTO_SUBJECT.search(subject)
    ):
        return "auto_reply"
    return ""


def read_body(raw: bytes) -> str:
    """The whole text of a message as received, quotes and signature kept; attachments are
    not read."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    return _body_of(message, [])[:BODY_LIMIT]


def parse_message(raw: bytes, *, max_attachment_bytes: int) -> ParsedMessage:
    """Everything the intake needs from one raw message; never raises on bad input."""
    parsed = ParsedMessage()
    notes = parsed.notes
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    if message.defects:
        notes.append("E-mailen har formfejl; den er læst så godt som muligt.")
    parsed.message_id = message_id_of(header_text(message, "Message-ID", notes))
    for header in ("From", "Reply-To", "Sender", "Return-Path"):
        name, address = parse_address(header_text(message, header, notes))
        if address:
            parsed.sender_name, parsed.sender_email = name[:200], address[:254]
            if header != "From":
                notes.append(f"Afsenderen er læst fra feltet {header}.")
            break
    parsed.subject = header_text(message, "Subject", notes)[:500]
    try:
        date = header_text(message, "Date", notes)
        parsed.sent_at = parsedate_to_datetime(date) if date else None
        if parsed.sent_at is not None and parsed.sent_at.tzinfo is None:
            parsed.sent_at = parsed.sent_at.replace(tzinfo=UTC)
    except (TypeError, ValueError, IndexError):
        notes.append("Datoen i e-mailen kan ikke læses.")
    parsed.in_reply_to = message_id_of(header_text(message, "In-Reply-To", notes))
    parsed.references = _message_ids(header_text(message, "References", notes))
    parsed.is_reply = bool(
        parsed.in_reply_to or parsed.references or IS_REPLY_SUBJECT.match(parsed.subject)
    )
    parsed.auto = _auto_kind(message, parsed.subject, parsed.sender_email, notes)
    body = _body_of(message, notes)
    if len(body) > BODY_LIMIT:
        notes.append(
            f"Teksten er kortet af til {BODY_LIMIT:,} tegn; hele e-mailen er gemt.".replace(
                ",", "."
            )
        )
    parsed.body = body[:BODY_LIMIT]
    parsed.text, _forwarded, parsed.forwarded_sender = trim(parsed.body)
    if not parsed.body.strip():
        notes.append("E-mailen har ingen tekst.")
    parsed.attachments = _attachments_of(message, max_attachment_bytes, notes)
    parsed.notes[:] = list(dict.fromkeys(notes))  # each note once
    return parsed
