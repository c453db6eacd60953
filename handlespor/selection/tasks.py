"""Background work of the selection, run by the database-backed task worker."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.tasks import task
from django.utils import timezone

from handlespor.engine import compose
from handlespor.selection.instance import instance_for_call
from handlespor.selection.lottery import lottery_result
from handlespor.selection.models import Lottery, Proposal, Run

log = logging.getLogger(__name__)

Progress = Callable[[str, float], None]


def _run(model: type[Run], pk: int, stage: str, work: Callable[[Run, Progress], dict]) -> None:
    """Do a queued run's work and store its result (or its failure), reporting progress on the
    way; a run no longer queued (run already, e.g. a task delivered twice) is left as it is."""
    runs = model.objects.filter(pk=pk)
    started = runs.filter(status=Run.Status.QUEUED).update(
        status=Run.Status.RUNNING, heartbeat_at=timezone.now(), progress=stage
    )
    if not started:
        log.info("%s %s is not queued; not run again", model.__name__, pk)
        return

    def progress(stage: str, seconds: float) -> None:
        runs.update(heartbeat_at=timezone.now(), progress=f"{stage} ({seconds:.1f} s)")

    try:
        result = work(runs.select_related("call").get(), progress)
    except Exception as error:
        log.exception("%s %s failed", model.__name__, pk)
        runs.update(status=Run.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now())
        return
    runs.update(
        status=Run.Status.DONE,
        result=result,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        progress="",
    )


@task()
def compose_proposal(proposal_id: int) -> None:
    """Run the engine for a queued proposal and store its result (see `_run`)."""
    _run(
        Proposal,
        proposal_id,
        "Forbereder",
        lambda proposal, progress: compose(
            instance_for_call(call=proposal.call), progress=progress
        ).model_dump(mode="json"),
    )


@task()
def compute_lottery(lottery_id: int) -> None:
    """Compute a queued lottery's chances and table and store them (see `_run`)."""
    _run(
        Lottery,
        lottery_id,
        "Beregner chancerne",
        lambda lottery, _progress: lottery_result(instance_for_call(call=lottery.call)),
    )
