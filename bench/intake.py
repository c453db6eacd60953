"""The e-mail intake: how fast messages are read, and taken in end to end.

    uv run python -m bench.intake            # 1,000 messages through the whole pipeline
    uv run python -m bench.intake --n 200

Prints the median time to read one message of the test corpus (parse, trim, attachments, track
recognition; pure Python), the peak memory of reading the largest one, then stores and processes
N messages (the corpus with fresh Message-IDs, in a throwaway SQLite database) and prints the
throughput of each stage and what became of the messages.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "inbox" / "mail_corpus"
TRACKS = [
    ("Trivsel i musiklivet", "trivsel"),
    ("Lige adgang i musiklivet", "lige-adgang"),
    ("Musiklivets infrastrukturer", "infrastrukturer"),
    ("Grønnere musik", "groennere-musik"),
]
RUNS = 20


def _read_one(raw: bytes) -> None:
    from handlespor.inbox.mailparse import parse_message
    from handlespor.inbox.recognise import recognise_tracks

    parsed = parse_message(raw, max_attachment_bytes=15_000_000)
    recognise_tracks(parsed.clean_subject, parsed.text, TRACKS)


def bench_reading(messages: list[bytes]) -> None:
    for raw in messages:  # warm up: imports (pypdf) and regex compilation are not per message
        _read_one(raw)
    times = []
    for _run in range(RUNS):
        for raw in messages:
            start = time.perf_counter()
            _read_one(raw)
            times.append(time.perf_counter() - start)
    largest = max(messages, key=len)
    tracemalloc.start()
    _read_one(largest)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"read one message: median {statistics.median(times) * 1000:.2f} ms, "
        f"max {max(times) * 1000:.1f} ms ({len(messages)} corpus messages x {RUNS}); "
        f"peak memory for the largest ({len(largest) // 1024} KiB): {peak / 1_048_576:.1f} MiB"
    )


def _variants(messages: list[bytes], n: int) -> list[bytes]:
    """n distinct messages: the corpus over and over, each with its own Message-ID and sender."""
    out = []
    for index in range(n):
        raw = messages[index % len(messages)]
        raw = re.sub(rb"(?im)^Message-ID:.*$", b"Message-ID: <bench-%d@example.org>" % index, raw)
        raw = re.sub(rb"(?im)^(From:.*?)@", rb"\g<1>%d@" % index, raw, count=1)
        out.append(raw)
    return out


def bench_pipeline(messages: list[bytes], n: int) -> None:
    folder = tempfile.mkdtemp(prefix="handlespor-bench-")
    os.environ.update(
        HANDLESPOR_ENV="dev",
        HANDLESPOR_VAR_DIR=folder,
        EMAIL_BACKEND="filebased",
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "handlespor.settings")
    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from handlespor.calls.domain import call_create_with_defaults
    from handlespor.inbox.domain import inbound_process_pending, inbound_store
    from handlespor.inbox.models import InboundMessage

    call_command("migrate", verbosity=0)
    now = timezone.now()
    call_create_with_defaults(
        year=now.year + 1,
        title="Bench",
        opens_at=now - timezone.timedelta(days=1),
        deadline=now + timezone.timedelta(days=14),
        tracks=[{"name": name, "slug": slug, "description": "."} for name, slug in TRACKS],
    )
    batch = _variants(messages, n)
    start = time.perf_counter()
    for raw in batch:
        inbound_store(raw=raw, source=InboundMessage.Source.UPLOAD)
    stored = time.perf_counter() - start
    start = time.perf_counter()
    report = inbound_process_pending()
    processed = time.perf_counter() - start
    print(
        f"pipeline, {n} messages (SQLite): store {n / stored:.0f} msg/s, "
        f"process {n / processed:.0f} msg/s ({processed:.1f} s, replies queued included); "
        f"outcomes {dict(sorted(report.outcomes.items()))}, failed {report.failed}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()
    messages = [path.read_bytes() for path in sorted(CORPUS.glob("*.eml"))]
    bench_reading(messages)
    bench_pipeline(messages, args.n)


if __name__ == "__main__":
    main()
