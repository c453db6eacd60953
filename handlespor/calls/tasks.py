"""Background work of the open call, run by the database-backed task worker."""

import logging
from datetime import timedelta

from django.tasks import default_task_backend, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from handlespor.calls.imap import InboxError
from handlespor.calls.intake import inbox_fetch

log = logging.getLogger(__name__)


class ScheduleError(Exception):
    """The task backend cannot run a task later (e.g. the immediate backend of the tests)."""


@task()
def fetch_inbox(every: int = 0) -> str:
    """Take in the secretariat's mailbox once; with `every`, queue the next round that many
    seconds later, so the worker reads the mailbox periodically (also after a failed round)."""
    try:
        summary = inbox_fetch().summary()
    except InboxError as error:
        summary = f"Indbakken er ikke læst: {error}"
        log.warning("Inbox: %s", error)
    finally:
        if every > 0:
            fetch_inbox_schedule(every=every)
    log.info("Inbox: %s", summary)
    return summary


def fetch_inbox_schedule(*, every: int) -> bool:
    """Queue the next periodic round in `every` seconds, unless one is waiting already;
    return whether one was queued.

    Side effects: enqueues `fetch_inbox(every=every)` on the task worker to run later.
    Raises ScheduleError when the task backend cannot run a task later.
    """
    if not default_task_backend.supports_defer:
        raise ScheduleError("Opgavekøen kan ikke køre opgaver senere.")
    waiting = DBTaskResult.objects.filter(
        task_path=fetch_inbox.module_path, status="READY"
    ).exists()
    if waiting:
        return False
    fetch_inbox.using(run_after=timezone.now() + timedelta(seconds=every)).enqueue(every=every)
    return True
