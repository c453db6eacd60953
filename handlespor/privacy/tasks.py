"""Retention as a daily task on the database-backed worker."""

import logging
from datetime import timedelta

from django.tasks import default_task_backend, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from handlespor.privacy.domain import retention_run

log = logging.getLogger(__name__)
DAY = 24 * 3600


class ScheduleError(Exception):
    """The task backend cannot run a task later (e.g. the immediate backend of the tests)."""


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
    if not default_task_backend.supports_defer:
        raise ScheduleError("Opgavekøen kan ikke køre opgaver senere.")
    if DBTaskResult.objects.filter(task_path=retention.module_path, status="READY").exists():
        return False
    retention.using(run_after=timezone.now() + timedelta(seconds=every)).enqueue(every=every)
    return True
