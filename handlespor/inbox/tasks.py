"""Background work of the open call, run by the database-backed task worker."""

import logging

from django.tasks import task

from handlespor.inbox.domain import inbox_fetch
from handlespor.inbox.imap import InboxError
from handlespor.periodic import schedule_next

log = logging.getLogger(__name__)


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
    return schedule_next(fetch_inbox, every=every)
