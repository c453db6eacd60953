from django.core.management.base import BaseCommand, CommandError, CommandParser

from handlespor.periodic import ScheduleError
from handlespor.trackyear.tasks import HOUR, reminders_run, reminders_schedule


class Command(BaseCommand):
    help = (
        "Remind those who have not answered an offered seat (once, two days before its "
        "deadline), pass the seats whose deadline has gone to the waiting list, and remind "
        "members who have not answered a date poll (once, 48 hours before it closes), "
        "remind every member of a meeting 7 days and 1 day before it, invite to an opened "
        "reporting round and remind organisations that have not submitted 14 and 3 days "
        "before it closes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="do it every hour as a periodic task on the worker (db_worker)",
        )

    def handle(self, *args, schedule: bool, **options) -> None:
        if schedule:
            try:
                queued = reminders_schedule(every=HOUR)
            except ScheduleError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                "The worker sends the reminders every hour."
                if queued
                else "An hourly round is queued already."
            )
            return
        counts = reminders_run()
        self.stdout.write(
            f"{counts['seat_reminders']} seat reminders, {counts['seats_passed_on']} seats "
            f"passed to the waiting list, {counts['poll_reminders']} poll reminders, "
            f"{counts['meeting_reminders']} meeting reminders, "
            f"{counts['reporting_invitations']} reporting invitations, "
            f"{counts['reporting_reminders']} reporting reminders."
        )
