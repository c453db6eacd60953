"""Retention as a daily task on the database-backed worker."""

from django.tasks import task

from handlespor.periodic import schedule_next
from handlespor.privacy.domain import retention_run

DAY = 24 * 3600


@task()
def retention(every: int = DAY) -> dict:
    """Apply the retention once; with `every`, queue the next run that many seconds later
    (also after a failed run)."""
    try:
        return retention_run(apply=True).counts
    finally:
        if every > 0:
            retention_schedule(every=every)


def retention_schedule(*, every: int = DAY) -> bool:
    """Queue the next daily run unless one is waiting; return whether one was queued.

    Side effects: enqueues `retention(every=every)` to run `every` seconds from now.
    Raises ScheduleError when the task backend cannot run a task later.
    """
    return schedule_next(retention, every=every)
