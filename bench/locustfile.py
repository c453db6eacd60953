"""The applicant's path for the load benchmark (`python -m bench.load` runs it).

Each simulated applicant opens the call, the form, submits a valid application, opens the
receipt and then the private link from the receipt e-mail (read from the outbox table, as the
e-mail itself would take the mail server's time). `BENCH_WAIT` = "2-5" gives reading time
between pages, "0" none. Each user comes from an address of its own (X-Forwarded-For, read
through the one trusted proxy), as applicants do.
"""

from __future__ import annotations

import itertools
import os
import re
import sqlite3
import threading

import gevent
from locust import HttpUser, between, constant, task
from locust.exception import StopUser

WAIT = os.environ.get("BENCH_WAIT", "2-5")
# With BENCH_ONCE=1 each user is one applicant, who applies once; locust replaces a user that
# stops, so after BENCH_APPLICANTS applicants the replacements only wait for the end.
ONCE = os.environ.get("BENCH_ONCE") == "1"
APPLICANTS = int(os.environ.get("BENCH_APPLICANTS", "0"))
_started = itertools.count(1)
PREFIX = os.environ.get("BENCH_PREFIX", "rush")
YEAR = os.environ.get("BENCH_YEAR", "2027")
DATABASE = os.environ["BENCH_DATABASE"]  # a SQLite path or a postgres:// URL
FORM = os.environ["BENCH_FORM"]  # the fixed fields, urlencoded
SUCCEEDED = os.environ["BENCH_SUCCEEDED"]  # a file: one line per address whose submit succeeded
_numbers = itertools.count(1)
_lock = threading.Lock()


def _next_number() -> int:
    with _lock:
        return next(_numbers)


def _latest_body(address: str) -> str | None:
    query = "SELECT body FROM mail_outboxmessage WHERE {to} = {p} ORDER BY id DESC LIMIT 1"
    if DATABASE.startswith("postgres"):
        import psycopg

        with psycopg.connect(DATABASE) as conn:
            row = conn.execute(query.format(to='"to"', p="%s"), (address,)).fetchone()
    else:
        with sqlite3.connect(DATABASE, timeout=30) as conn:
            row = conn.execute(query.format(to='"to"', p="?"), (address,)).fetchone()
    return row[0] if row else None


class Applicant(HttpUser):
    wait_time = constant(0) if WAIT == "0" else between(*map(float, WAIT.split("-")))

    def on_start(self) -> None:
        self.client.headers["X-Forwarded-Proto"] = "https"
        with _lock:
            started = next(_started)
        self.idle = ONCE and APPLICANTS and started > APPLICANTS

    def _new_applicant(self) -> None:
        """A new person: their own address, e-mail and browser session."""
        number = _next_number()
        self.email = f"{PREFIX}-{os.getpid()}-{number}@bench.example"
        address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        self.client.headers["X-Forwarded-For"] = address
        self.client.cookies.clear()

    @task
    def apply(self) -> None:
        if self.idle:
            gevent.sleep(3600)  # all applicants have come; stopped with the run
            return
        self._new_applicant()  # one application per applicant
        self.client.get(f"/open-call/{YEAR}/", name="call")
        self.wait()
        form = self.client.get(f"/open-call/{YEAR}/ansoeg/", name="form")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        key = re.search(r'name="submission" value="([0-9a-f]{32})"', form.text)
        if not csrf:
            return
        self.wait()
        token, submission = csrf.group(1), key.group(1) if key else ""
        body = f"{FORM}&email={self.email}&csrfmiddlewaretoken={token}&submission={submission}"
        with self.client.post(
            f"/open-call/{YEAR}/ansoeg/",
            data=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                # Behind the TLS proxy the browser's page was https.
                "Referer": f"{self.host.replace('http://', 'https://')}/open-call/{YEAR}/ansoeg/",
            },
            name="submit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "kvittering" not in response.headers.get(
                "Location", ""
            ):
                response.failure(f"submit answered {response.status_code}")
                return
            response.success()
        with _lock, open(SUCCEEDED, "a") as log:
            log.write(self.email + "\n")
        self.client.get(f"/open-call/{YEAR}/kvittering/", name="receipt")
        self.wait()
        mail = _latest_body(self.email)
        link = re.search(r"https?://[^/\s]+(/ansoegning/[^/\s]+/)", mail or "")
        if link:
            self.client.get(link.group(1), name="private link")
        if ONCE:
            raise StopUser
        self.wait()
