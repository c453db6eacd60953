"""A real IMAP server for the tests: Debian's dovecot on loopback, in its own temp folder."""

import imaplib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

CONFIG = """\
base_dir = {root}/run
log_path = {root}/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = 100
mail_location = maildir:{root}/mail
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = {root}/passwd
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={root}/mail
}}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Dovecot:
    user = "sekretariat"
    password = "hemmelig-test"

    def __init__(self) -> None:
        binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
        if not os.path.exists(binary):
            raise RuntimeError("Debian's dovecot-imapd is needed: apt-get install dovecot-imapd")
        self.binary = binary
        # Not pytest's tmp_path: that is private to root, and dovecot's users must reach it.
        self.root = Path(tempfile.mkdtemp(prefix="handlespor-imap-"))
        self.root.chmod(0o755)
        self.port = _free_port()
        self.config = self.root / "dovecot.conf"
        self.config.write_text(CONFIG.format(root=self.root, port=self.port))
        (self.root / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}\n")
        (self.root / "mail").mkdir()
        shutil.chown(self.root / "mail", "dovecot", "dovecot")

    def start(self) -> None:
        subprocess.run([self.binary, "-c", str(self.config)], check=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"dovecot did not start: {self.log()}")

    def stop(self) -> None:
        """Stop the server and cut every open session, as a crashed server would."""
        subprocess.run(
            ["doveadm", "-c", str(self.config), "kick", self.user],
            check=False,
            capture_output=True,
        )
        subprocess.run(
            ["doveadm", "-c", str(self.config), "stop"], check=False, capture_output=True
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                time.sleep(0.05)
            except OSError:
                return

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text() if path.exists() else ""

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        """Deliver a message the way a mail client files one: IMAP APPEND."""
        connection = imaplib.IMAP4("127.0.0.1", self.port)
        try:
            connection.login(self.user, self.password)
            status, data = connection.append(folder, None, None, raw)
            assert status == "OK", data
        finally:
            connection.logout()

    def keywords(self) -> dict[int, bool]:
        """For each message's UID, whether handlespor has marked it taken in."""
        connection = imaplib.IMAP4("127.0.0.1", self.port)
        try:
            connection.login(self.user, self.password)
            connection.select("INBOX", readonly=True)
            _status, data = connection.uid("FETCH", "1:*", "(FLAGS)")
        finally:
            connection.logout()
        marks = {}
        for line in data:
            text = line.decode() if isinstance(line, bytes) else ""
            if "UID" in text:
                uid = int(text.split("UID ")[1].split()[0].rstrip(")"))
                marks[uid] = "$Handlespor" in text
        return marks
