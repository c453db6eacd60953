"""The hourly round on the database-backed task worker: the tracks' year's reminders and
deadlines, and the yearly reporting's invitations and reminders."""

import logging

from django.tasks import task

from handlespor.periodic import schedule_next
from handlespor.reporting.domain import reporting_remind_due
from handlespor.selection.decisions import seats_remind_and_expire
from handlespor.trackyear.domain import meetings_remind, polls_remind

log = logging.getLogger(__name__)
HOUR = 3600


def reminders_run() -> dict[str, int]:
    """One round: the offered seats' reminders and deadlines, the date polls' reminders, the
    meetings' reminders (7 days and 1 day before) and the reporting's invitations and reminders
    (14 and 3 days before a round closes)."""
    reminded, expired = seats_remind_and_expire()
    polls = polls_remind()
    meetings = meetings_remind()
    counts = {
        "seat_reminders": reminded,
        "seats_passed_on": expired,
        "poll_reminders": polls,
        "meeting_reminders": meetings,
        **reporting_remind_due(),
    }
    log.info("Reminders: %s", counts)
    return counts


@task()
def reminders(every: int = HOUR) -> dict[str, int]:
    """Run one round (see `reminders_run`); with `every`, queue the next round that many seconds
    later (also after a failed round)."""
    try:
        return reminders_run()
    finally:
        if every > 0:
            reminders_schedule(every=every)


def reminders_schedule(*, every: int = HOUR) -> bool:
    """Queue the next round unless one is waiting; return whether one was queued.

    Side effects: enqueues `reminders(every=every)` to run `every` seconds from now.
    Raises ScheduleError when the task backend cannot run a task later.
    """
    return schedule_next(reminders, every=every)
