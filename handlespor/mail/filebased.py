"""The demo's e-mail backend: each message in its own .eml file."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path
from uuid import uuid4

from django.core.mail import EmailMessage
from django.core.mail.backends import filebased


class EmailBackend(filebased.EmailBackend):
    """Each message in its own `<time>-<random>.eml` file in `file_path`: a file any mail program
    opens and shows decoded (Django's own file backend appends every message of a connection to
    one .log file)."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            path = Path(self.file_path) / f"{stamp}-{uuid4().hex[:8]}.eml"
            path.write_bytes(message.message().as_bytes())
            sent += 1
        return sent
