from django.core.management.base import BaseCommand, CommandError, CommandParser

from handlespor.periodic import ScheduleError
from handlespor.privacy.domain import retention_plan, retention_run
from handlespor.privacy.tasks import DAY, retention_schedule


class Command(BaseCommand):
    help = (
        "Anonymise applications RETENTION_MONTHS after their call's decisions and delete e-mails "
        "older than MAIL_RETENTION_MONTHS. A dry run unless --apply."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", action="store_true", help="do it (default: only show)")
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="apply it once a day as a periodic task on the worker (db_worker)",
        )

    def handle(self, *args, apply: bool, schedule: bool, **options) -> None:
        if schedule:
            try:
                queued = retention_schedule(every=DAY)
            except ScheduleError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                "The worker applies the retention once a day."
                if queued
                else "A daily run is queued already."
            )
            return
        plan = retention_plan()
        for call, ids in plan.applications.items():
            self.stdout.write(f"{call.title}: {len(ids)} applications to anonymise")
        counts = retention_run(apply=apply).counts
        verb = "Done" if apply else "Dry run (nothing changed; --apply to act)"
        self.stdout.write(
            f"{verb}: {counts['applications']} applications in {counts['calls']} calls, "
            f"{counts['raw_emails']} raw e-mails, {counts['sent_emails']} sent e-mails."
        )
