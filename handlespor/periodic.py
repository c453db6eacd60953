"""Periodic work on the database-backed task worker: a task that queues its own next round.

Used by the inbox reading (calls) and the retention (privacy). May import: Django's tasks
framework and django-tasks-db only.
"""

from datetime import timedelta

from django.tasks import Task, default_task_backend
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


class ScheduleError(Exception):
    """The task backend cannot run a task later (e.g. the immediate backend of the tests)."""


def schedule_next(task: Task, *, every: int) -> bool:
    """Queue `task(every=every)` to run `every` seconds from now, unless a round of it is
    waiting already; return whether one was queued.

    Side effects: enqueues the task on the worker. Raises ScheduleError when the task backend
    cannot run a task later.
    """
    if not default_task_backend.supports_defer:
        raise ScheduleError("Opgavekøen kan ikke køre opgaver senere.")
    if DBTaskResult.objects.filter(task_path=task.module_path, status="READY").exists():
        return False
    task.using(run_after=timezone.now() + timedelta(seconds=every)).enqueue(every=every)
    return True
