"""Background work of the selection, run by the database-backed task worker."""

from __future__ import annotations

import logging

from django.tasks import task
from django.utils import timezone

from handlespor.engine import compose
from handlespor.selection.instance import instance_for_call
from handlespor.selection.models import Proposal

log = logging.getLogger(__name__)


@task()
def compose_proposal(proposal_id: int) -> None:
    """Run the engine for a queued proposal and store its result (or its failure); a proposal
    no longer queued (run already, e.g. a task delivered twice) is left as it is."""
    proposal = Proposal.objects.select_related("call").get(pk=proposal_id)
    started = Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.QUEUED).update(
        status=Proposal.Status.RUNNING, heartbeat_at=timezone.now(), progress="Forbereder"
    )
    if not started:
        log.info("Proposal %s is %s already; not run again", proposal.pk, proposal.status)
        return

    def progress(stage: str, seconds: float) -> None:
        Proposal.objects.filter(pk=proposal.pk).update(
            heartbeat_at=timezone.now(), progress=f"{stage} ({seconds:.1f} s)"
        )

    try:
        composition = compose(instance_for_call(call=proposal.call), progress=progress)
    except Exception as error:
        log.exception("Proposal %s failed", proposal.pk)
        Proposal.objects.filter(pk=proposal.pk).update(
            status=Proposal.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        return
    Proposal.objects.filter(pk=proposal.pk).update(
        status=Proposal.Status.DONE,
        result=composition.model_dump(mode="json"),
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        progress="",
    )
