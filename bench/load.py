"""The deadline rush: the public form under load, against the production set-up.

    uv run --group bench python -m bench.load                 # SQLite, then PostgreSQL
    uv run --group bench python -m bench.load --db sqlite --quick

For each database it sets up a throwaway production instance (production settings, a fresh
database with the demo call and register, collected static files served by whitenoise),
starts the README's gunicorn (3 workers) and the task worker (which sends the receipts), and
drives it with locust on the same machine (the load generator shares the two cores; the
figures are therefore a floor):

1. the rush: 200 applicants arriving evenly within 60 seconds, each opening the call, the form,
   submitting, opening the receipt and the private link, reading 2–5 s between pages;
2. saturation: applicants without reading time, stepped up until p99 of the submit passes
   500 ms; the highest sustained rate of whole applications is printed. Beside it, in the same
   run, the reference: the cheapest page of the stack (the postcode hint, no database) under
   the same users.

It prints per page p50/p95/p99, requests per second, errors, the server's CPU use, and then the
counts: every successful submit must be exactly one stored application and one queued receipt.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The code under test: this checkout, or another (--code), e.g. an earlier commit's worktree.
CODE = ROOT
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
SUBMIT_P99_LIMIT_MS = 500


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _environment(var: Path, database_url: str, port: int) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "DJANGO_", "HANDLESPOR_"))
    }
    return env | {
        "HANDLESPOR_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "handlespor.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "HANDLESPOR_VAR_DIR": str(var),
        "DATABASE_URL": database_url,
        "SITE_URL": f"http://127.0.0.1:{port}",
        # No TLS proxy here: the load generator says https itself, cookies go over http.
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "TRUSTED_PROXY_COUNT": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


SETUP = """
import json, django
django.setup()
from handlespor.calls.demo import demo_create
call = demo_create(applications=150)
tracks = list(call.tracks.order_by("position"))
organisation = call.applications.exclude(organisation=None).first().organisation
print(json.dumps({"year": call.year, "tracks": [t.pk for t in tracks],
                  "organisation": organisation.pk}))
"""

COUNT = """
import django, json, sys
from collections import Counter
django.setup()
from handlespor.calls.models import Application
from handlespor.mail.models import OutboxMessage
prefix, succeeded = sys.argv[1], open(sys.argv[2]).read().split()
apps = Counter(Application.objects.filter(email__startswith=prefix).values_list("email", flat=True))
mails = Counter(OutboxMessage.objects.filter(to__startswith=prefix).values_list("to", flat=True))
print(json.dumps({
    "applications": sum(apps.values()),
    "receipts": sum(mails.values()),
    "succeeded": len(succeeded),
    "succeeded_not_whole": sum(1 for a in succeeded if apps[a] != 1 or mails[a] != 1),
    "doubles": sum(1 for n in list(apps.values()) + list(mails.values()) if n > 1),
    "stored_without_receipt": sum(1 for a in apps if mails[a] != 1),
}))
"""


def _python(env: dict[str, str], code: str, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=CODE,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def _form(setup: dict) -> str:
    return urllib.parse.urlencode(
        {
            "name": "Bench Ansøger",
            "job_title": "Leder",
            "organisation": setup["organisation"],
            "organisation_name": "",
            "first_choice": setup["tracks"][0],
            "second_choice": setup["tracks"][1],
            "motivation": "Vi vil gerne styrke trivslen i musiklivet sammen med andre. " * 8,
            "contribution": "Erfaring med arbejdsmiljø og netværk i hele landet. " * 4,
            "actor_type": "Spillested/koncertsted",
            "role": "Ledelse",
            "music_fields": "Rytmisk",
            "postcode": "8000",
            "region": "",
            "gender": "Kvinde",
            "seniority": "Over 20 år",
            "confirms_attendance": "on",
            "confirms_own_costs": "on",
            "confirms_reporting": "on",
            "confirms_mandate": "on",
            "consent": "on",
            "website": "",
        }
    )


def _cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of these processes and their children, from /proc."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    seen = set()
    stack = list(pids)
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            stack.extend(int(c) for c in children)
        except (OSError, IndexError, ValueError):
            continue
    return total


class Server:
    """gunicorn as the README starts it, and the task worker."""

    def __init__(self, env: dict[str, str], port: int, workers: int = 3) -> None:
        self.env, self.port = env, port
        self.gunicorn = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "handlespor.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=CODE,
            env=env,
            stderr=(Path(env["HANDLESPOR_VAR_DIR"]) / "gunicorn.log").open("w"),
        )
        self.worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker"],
            cwd=CODE,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start")

    def cpu(self) -> float:
        return _cpu_seconds([self.gunicorn.pid])

    def stop(self) -> None:
        for process in (self.gunicorn, self.worker):
            process.send_signal(signal.SIGTERM)
        for process in (self.gunicorn, self.worker):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def _locust(
    env: dict, host: str, users: int, rate: float, seconds: int, out: Path, **extra
) -> list[dict]:
    prefix = out / "stats"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--only-summary",
            "--host",
            host,
            "-u",
            str(users),
            "-r",
            str(rate),
            "-t",
            f"{seconds}s",
            "--stop-timeout",
            "20",
            "--csv",
            str(prefix),
            "--loglevel",
            "ERROR",
        ],
        cwd=ROOT,
        env=env
        | {k: str(v) for k, v in extra.items()}
        | {"BENCH_SUCCEEDED": str(out / "succeeded.txt")},
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def _print_stats(rows: list[dict], seconds: float, cpu: float) -> None:
    print(
        f"  {'page':<14}{'requests':>9}{'errors':>8}{'req/s':>8}"
        f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
    )
    for row in rows:
        print(
            f"  {row['Name']:<14}{row['Request Count']:>9}{row['Failure Count']:>8}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
        )
    print(
        f"  server CPU: {cpu / seconds * 100:.0f} % of one core "
        f"({cpu / seconds / os.cpu_count() * 100:.0f} % of the machine)"
    )


def _row(rows: list[dict], name: str) -> dict:
    return next(
        (r for r in rows if r["Name"] == name),
        {"Request Count": "0", "Failure Count": "0", "99%": "0", "Requests/s": "0"},
    )


def _failures(out: Path) -> None:
    """What went wrong, from locust's failures file."""
    for name, field in (("stats_failures.csv", "Error"), ("stats_exceptions.csv", "Message")):
        path = out / name
        if not path.exists():
            continue
        with path.open(newline="") as handle:
            for row in csv.DictReader(handle):
                where = row.get("Name") or "exception"
                print(
                    f"    {where}: {row[field][:120]} ×{row.get('Occurrences') or row.get('Count')}"
                )


def _counts(env: dict, prefix: str, out: Path) -> bool:
    """Every successful submit is one stored application with one queued receipt; anything
    stored beyond them is a submit the load generator cut off at its stop, and must be whole
    too."""
    succeeded = out / "succeeded.txt"
    succeeded.touch()
    c = json.loads(_python(env, COUNT, prefix, str(succeeded)))
    whole = not (c["succeeded_not_whole"] or c["doubles"] or c["stored_without_receipt"])
    print(
        f"  successful submits {c['succeeded']}: each one application and one receipt "
        f"{'yes' if not c['succeeded_not_whole'] else 'NO'}; stored {c['applications']} "
        f"(cut off at the stop: {c['applications'] - c['succeeded']}), receipts "
        f"{c['receipts']}, duplicates {c['doubles']}, lost receipts "
        f"{c['stored_without_receipt']}: {'whole' if whole else 'NOT WHOLE'}"
    )
    return whole


def run(db: str, quick: bool) -> None:
    var = Path(tempfile.mkdtemp(prefix="handlespor-load-"))
    port = _free_port()
    if db == "postgresql":
        name = f"handlespor_bench_{os.getpid()}"
        subprocess.run(["psql", PG_ADMIN, "-qc", f"CREATE DATABASE {name}"], check=True)
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
        direct = url
    else:
        url = f"sqlite:///{var / 'handlespor.sqlite3'}"
        direct = str(var / "handlespor.sqlite3")
    env = _environment(var, url, port)
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=CODE, env=env, check=True
        )
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=CODE,
            env=env,
            check=True,
        )
        setup = json.loads(_python(env, SETUP).splitlines()[-1])
        base = env | {
            "BENCH_DATABASE": direct,
            "BENCH_FORM": _form(setup),
            "BENCH_YEAR": str(setup["year"]),
        }
        server = Server(env, port)
        host = f"http://127.0.0.1:{port}"
        print(
            f"\n== {db}: gunicorn 3 workers + task worker, production settings, locust beside it =="
        )
        try:
            users, rush_seconds = (60, 30) if quick else (200, 60)
            cpu0, t0 = server.cpu(), time.time()
            out = Path(tempfile.mkdtemp(dir=var))
            rows = _locust(
                base,
                host,
                users,
                users / rush_seconds,
                rush_seconds + 30,
                out,
                BENCH_WAIT="2-5",
                BENCH_PREFIX="rush",
                BENCH_ONCE="1",
                BENCH_APPLICANTS=users,
            )
            elapsed = time.time() - t0
            print(
                f"-- the rush: {users} applicants arriving within {rush_seconds} s, "
                "2–5 s reading time --"
            )
            _print_stats(rows, elapsed, server.cpu() - cpu0)
            _failures(out)
            _counts(env, "rush", out)

            print(
                "-- saturation: no reading time, stepped up until p99 of the submit "
                "passes 500 ms --"
            )
            print(
                f"  {'users':>5}{'whole apps/s':>14}{'submit p99':>12}{'errors':>8}"
                f"{'all req/s':>11}{'ref. req/s':>12}{'ref. p99':>10}"
            )
            best = 0.0
            steps = (4, 8, 16) if quick else (4, 8, 16, 32, 64)
            for step, users in enumerate(steps):
                out = Path(tempfile.mkdtemp(dir=var))
                prefix = f"sat{step}"
                seconds = 15 if quick else 25
                rows = _locust(
                    base, host, users, users, seconds, out, BENCH_WAIT="0", BENCH_PREFIX=prefix
                )
                submit = _row(rows, "submit")
                total = _row(rows, "Aggregated")
                rate = (int(submit["Request Count"]) - int(submit["Failure Count"])) / seconds
                reference = _reference(host, users, seconds=5)
                _failures(out)
                _counts(env, prefix, out)
                p99 = int(float(submit["99%"] or 0))
                errors = sum(int(r["Failure Count"]) for r in rows if r["Name"] != "Aggregated")
                print(
                    f"  {users:>5}{rate:>14.1f}{p99:>10} ms{errors:>8}"
                    f"{float(total['Requests/s']):>11.1f}{reference[0]:>12.1f}{reference[1]:>8} ms"
                )
                if p99 <= SUBMIT_P99_LIMIT_MS and errors == 0:
                    best = max(best, rate)
                if p99 > SUBMIT_P99_LIMIT_MS:
                    break
            print(
                f"  highest sustained rate with submit p99 ≤ {SUBMIT_P99_LIMIT_MS} ms and no "
                f"errors: {best:.1f} whole applications/s"
            )
        finally:
            server.stop()
    finally:
        if db == "postgresql":
            subprocess.run(
                ["psql", PG_ADMIN, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                check=False,
            )
        shutil.rmtree(var, ignore_errors=True)


def _reference(host: str, users: int, seconds: float) -> tuple[float, int]:
    """The cheapest page of the stack (the postcode hint: no database, a tiny template) fetched
    by `users` threads for `seconds`: requests per second and p99 in ms."""
    import threading

    times: list[float] = []
    stop = time.time() + seconds
    lock = threading.Lock()

    def loop() -> None:
        while time.time() < stop:
            start = time.perf_counter()
            with urllib.request.urlopen(f"{host}/open-call/postnummer/?postcode=8000", timeout=10):
                pass
            with lock:
                times.append(time.perf_counter() - start)

    threads = [threading.Thread(target=loop) for _ in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times.sort()
    p99 = int(times[int(len(times) * 0.99) - 1] * 1000) if times else 0
    return len(times) / seconds, p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--quick", action="store_true", help="60 applicants and fewer steps")
    parser.add_argument(
        "--code",
        type=Path,
        default=ROOT,
        help="serve the code of this checkout instead (e.g. a worktree of an earlier commit)",
    )
    args = parser.parse_args()
    global CODE
    CODE = args.code.resolve()
    print(f"{os.cpu_count()} cores; the load generator runs on the same machine.")
    for db in ("sqlite", "postgresql") if args.db == "both" else (args.db,):
        run(db, args.quick)


if __name__ == "__main__":
    main()
