"""Cleaning text that people type or send: invisible characters and bidi controls.

Pure Python, used by the forms and the e-mail intake alike.
"""

import re
import unicodedata

# Characters that change the direction of what follows: they can make a name display as
# something else than it is ("Trojan Source"), so names never keep them.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Letters that render as nothing although Unicode does not call them format characters.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def _invisible(ch: str) -> bool:
    return (
        ch.isspace()
        or ch in BLANK_LETTERS
        or unicodedata.category(ch) in {"Cf", "Cc", "Cs", "Co", "Cn", "Mn", "Me"}
    )


def has_visible(text: str) -> bool:
    """Whether anything would show: zero-width spaces, joiners, bidi marks, blank letters and
    combining marks alone do not."""
    return any(not _invisible(ch) for ch in text)


def clean_line(text: str) -> str:
    """A name or a title: NFC, no format or control characters (zero-width, bidi), one line,
    single spaces."""
    text = unicodedata.normalize("NFC", text)
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in {"Cf", "Cc"}
    )
    return " ".join(kept.split())


def clean_text(text: str) -> str:
    """A longer text: NFC, newlines as \\n, no bidi controls or control characters (tabs and
    newlines stay; joiners inside words and emoji stay), trimmed."""
    text = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", text))
    return "".join(
        ch
        for ch in text
        if ch not in BIDI_CONTROLS and (ch in "\n\t" or unicodedata.category(ch) != "Cc")
    ).strip()


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, cut at the last space before the limit where there is one."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = head.rfind(" ")
    return (head[:space] if space > limit * 0.8 else head).rstrip()
