"""Background work of the open call, run by the database-backed task worker."""

import logging

from django.tasks import task

from handlespor.calls.intake import inbox_fetch

log = logging.getLogger(__name__)


@task()
def fetch_inbox() -> str:
    """Take in the secretariat's mailbox once; the report's summary is the task's result."""
    report = inbox_fetch()
    log.info("Inbox: %s", report.summary())
    return report.summary()
