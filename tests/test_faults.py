"""Faults during the public submit: the database locked or a web worker killed midway."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from handlespor.calls.models import Application
from handlespor.mail.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)


def _lock_the_database():
    """Another client holding the write lock (SQLite) or a table lock (PostgreSQL); our own
    connection gives up after 0.2 s instead of the production busy timeout."""
    if connection.vendor == "sqlite":
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        connection.ensure_connection()
        connection.connection.execute("PRAGMA busy_timeout = 200")
        return other
    params = connection.get_connection_params()
    other = psycopg.connect(
        host=params.get("host"),
        port=params.get("port"),
        user=params.get("user"),
        dbname=connection.settings_dict["NAME"],
        autocommit=False,
    )
    other.execute("LOCK TABLE partners_person IN ACCESS EXCLUSIVE MODE")
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '200ms'")
    return other


def test_submit_with_the_database_locked_gives_a_clear_503_and_stores_nothing(
    client, call, form_data
):
    other = _lock_the_database()
    try:
        response = client.post(reverse("calls:apply", args=[call.year]), form_data)
    finally:
        other.rollback()
        other.close()

    assert response.status_code == 503
    assert "prøv igen om lidt" in response.content.decode()
    assert response["Retry-After"] == "30"
    assert Application.objects.count() == 0
    assert OutboxMessage.objects.count() == 0

    again = client.post(reverse("calls:apply", args=[call.year]), form_data)

    assert again.status_code == 302
    assert Application.objects.count() == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    return (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )


class Gunicorn:
    """The production server (one worker; the application preloaded and warmed, see
    `tests/warm_wsgi.py`) on the test database."""

    def __init__(self, var) -> None:
        self.port = _free_port()
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
            "HANDLESPOR_ENV": "test",
            "DATABASE_URL": _database_url(),
            "HANDLESPOR_VAR_DIR": str(var),
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tests.warm_wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                # The application is loaded and warmed once, in the master: a killed worker
                # is forked again in milliseconds instead of importing Django anew.
                "--preload",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.wait_until_up()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_until_up(self) -> None:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url("/privatliv/"), timeout=2)
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not answer")

    def worker_pid(self) -> int:
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return int(children[0])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)


def _submit(server: Gunicorn, year: int, data: dict) -> int | None:
    """GET the form, then POST it; the status, or None when the connection broke."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    try:
        form = opener.open(server.url(f"/open-call/{year}/ansoeg/"), timeout=10).read().decode()
        token = form.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True)
        request = urllib.request.Request(
            server.url(f"/open-call/{year}/ansoeg/"), data=body.encode()
        )
        with opener.open(request, timeout=10) as response:
            return response.status
    except OSError:  # the worker was killed under this request
        return None


def test_web_worker_killed_mid_submit_leaves_all_or_nothing_and_a_resubmit_works(
    call, form_data, tmp_path
):
    server = Gunicorn(tmp_path)
    outcomes = []
    try:
        for attempt in range(8):
            data = {**form_data, "email": f"kill{attempt}@example.org"}
            result = []
            thread = threading.Thread(
                target=lambda d=data, r=result: r.append(_submit(server, call.year, d))
            )
            thread.start()
            time.sleep(0.02 + 0.005 * attempt)  # the GET, then somewhere in the POST
            os.kill(server.worker_pid(), signal.SIGKILL)
            thread.join()
            server.wait_until_up()
            stored = Application.objects.filter(email=data["email"]).count()
            receipts = OutboxMessage.objects.filter(to=data["email"]).count()
            outcomes.append((stored, receipts))
        assert all(pair in {(0, 0), (1, 1)} for pair in outcomes), outcomes
        # Sent again (a new form, as after a reload): one application with one receipt, whatever
        # the kill left; the neutral page either way.
        for attempt, (stored, _receipts) in enumerate(outcomes):
            email = f"kill{attempt}@example.org"
            assert _submit(server, call.year, {**form_data, "email": email}) == 200
            assert Application.objects.filter(email=email).count() == 1
            assert OutboxMessage.objects.filter(to=email).count() == (2 if stored else 1)
    finally:
        server.stop()
