import time

from django.core.management.base import BaseCommand, CommandParser

from handlespor.mail.domain import outbox_send_due


class Command(BaseCommand):
    help = "Send the queued e-mails whose next attempt is due (once, or every N seconds)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every", type=int, default=0, help="keep running, trying again every N seconds"
        )

    def handle(self, *args, every: int, **options) -> None:
        while True:
            sent, queued = outbox_send_due()
            self.stdout.write(f"sent {sent}, still queued {queued}")
            if every <= 0:
                return
            time.sleep(every)
