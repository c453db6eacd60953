"""The secretariat's mailbox over IMAP: list what handlespor has not taken in, fetch it, mark it.

Messages are marked with a keyword flag rather than moved or marked read, so the people who
read the same mailbox see it as before.
"""

import contextlib
import imaplib
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

log = logging.getLogger(__name__)

TAKEN_IN = "$Handlespor"
TIMEOUT = 30


class InboxError(Exception):
    """The mailbox cannot be reached or read; nothing was lost, the next run tries again."""


@dataclass(frozen=True)
class ImapConfig:
    host: str
    user: str
    password: str
    port: int | None = None
    folder: str = "INBOX"
    ssl: bool = True

    @classmethod
    def from_settings(cls, values: dict) -> "ImapConfig":
        if not values.get("host"):
            raise InboxError("IMAP_HOST er ikke sat.")
        return cls(**values)


@dataclass(frozen=True)
class FetchedMessage:
    uid: str
    raw: bytes
    received_at: datetime | None


def _internal_date(response: bytes) -> datetime | None:
    parsed = imaplib.Internaldate2tuple(response)
    return datetime.fromtimestamp(time.mktime(parsed), tz=UTC) if parsed else None


class Mailbox:
    """One session with the mailbox; use as a context manager."""

    def __init__(self, config: ImapConfig) -> None:
        self.config = config
        self.connection: imaplib.IMAP4 | None = None
        self.keywords = True

    def __enter__(self) -> "Mailbox":
        config = self.config
        try:
            if config.ssl:
                self.connection = imaplib.IMAP4_SSL(
                    config.host, config.port or 993, timeout=TIMEOUT
                )
            else:
                self.connection = imaplib.IMAP4(config.host, config.port or 143, timeout=TIMEOUT)
            self.connection.login(config.user, config.password)
            status, _data = self.connection.select(_quoted(config.folder))
            if status != "OK":
                raise InboxError(f"Mappen {config.folder} findes ikke.")
            flags = self.connection.response("PERMANENTFLAGS")[1]
            self.keywords = any(b"\\*" in (f or b"") for f in flags)
        except (OSError, imaplib.IMAP4.error) as error:
            self.__exit__(None, None, None)
            raise InboxError(f"Indbakken kunne ikke åbnes: {error}") from error
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.connection is None:
            return
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            self.connection.logout()
        self.connection = None

    def _uid(self, *args: str) -> list:
        assert self.connection is not None
        try:
            status, data = self.connection.uid(*args)
        except (OSError, imaplib.IMAP4.error) as error:
            raise InboxError(f"Forbindelsen til indbakken gik tabt: {error}") from error
        if status != "OK":
            raise InboxError(f"Indbakken svarede {status} på {args[0]}.")
        return data

    def new_uids(self) -> list[str]:
        """The messages not yet taken in (all of them where the server keeps no keywords)."""
        query = ("UNKEYWORD", TAKEN_IN) if self.keywords else ("ALL",)
        data = self._uid("SEARCH", *query)
        return [uid.decode() for uid in (data[0] or b"").split()]

    def fetch(self, uid: str) -> FetchedMessage | None:
        """One message, without setting \\Seen; None if it was deleted meanwhile."""
        data = self._uid("FETCH", uid, "(INTERNALDATE BODY.PEEK[])")
        for item in data:
            if isinstance(item, tuple) and len(item) == 2:
                return FetchedMessage(uid=uid, raw=item[1], received_at=_internal_date(item[0]))
        return None

    def mark_taken_in(self, uid: str) -> None:
        if self.keywords:
            self._uid("STORE", uid, "+FLAGS.SILENT", f"({TAKEN_IN})")

    def messages(self) -> Iterator[FetchedMessage]:
        for uid in self.new_uids():
            fetched = self.fetch(uid)
            if fetched is not None:
                yield fetched


def _quoted(folder: str) -> str:
    return '"' + re.sub(r'(["\\])', r"\\\1", folder) + '"'
