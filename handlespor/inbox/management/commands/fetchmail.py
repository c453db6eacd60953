import logging
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from handlespor.inbox.domain import UploadError, inbound_upload, inbox_fetch
from handlespor.inbox.imap import InboxError
from handlespor.inbox.tasks import fetch_inbox_schedule
from handlespor.periodic import ScheduleError

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Take in applications by e-mail from the IMAP mailbox (IMAP_* settings), once or every "
        "N seconds; or from .eml/.mbox files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every", type=int, default=0, help="keep running, fetching again every N seconds"
        )
        parser.add_argument(
            "--schedule",
            type=int,
            metavar="N",
            help="read the mailbox every N seconds as a periodic task on the worker (db_worker)",
        )
        parser.add_argument(
            "--file", type=Path, nargs="+", help="read these .eml or .mbox files instead"
        )

    def handle(
        self, *args, every: int, schedule: int | None, file: list[Path] | None, **options
    ) -> None:
        if file:
            for path in file:
                try:
                    report = inbound_upload(filename=path.name, data=path.read_bytes())
                except (OSError, UploadError) as error:
                    raise CommandError(f"{path}: {error}") from error
                self.stdout.write(f"{path}: {report.summary()}")
            return
        if not settings.IMAP.get("host"):
            raise CommandError("IMAP_HOST is not set; see the README's configuration table.")
        if schedule:
            try:
                queued = fetch_inbox_schedule(every=schedule)
            except ScheduleError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                f"The worker reads the mailbox every {schedule} s."
                if queued
                else "A periodic round is queued already."
            )
            return
        while True:
            try:
                report = inbox_fetch()
                self.stdout.write(report.summary())
            except InboxError as error:
                if every <= 0:
                    raise CommandError(str(error)) from error
                log.warning("Inbox not read, trying again in %s s: %s", every, error)
            except Exception:
                if every <= 0:
                    raise
                # The loop is the service: whatever went wrong, the next round tries again.
                log.exception("Inbox round failed, trying again in %s s", every)
            if every <= 0:
                return
            time.sleep(every)
