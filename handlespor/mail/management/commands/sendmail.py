from django.core.management.base import BaseCommand

from handlespor.mail.domain import outbox_send_due


class Command(BaseCommand):
    help = "Send the queued e-mails whose next attempt is due."

    def handle(self, *args, **options) -> None:
        sent, queued = outbox_send_due()
        self.stdout.write(f"sent {sent}, still queued {queued}")
