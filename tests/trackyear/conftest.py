import pytest

from handlespor.calls.demo import demo_create
from handlespor.calls.models import Application
from handlespor.selection.decisions import decisions_release, proposal_approve
from handlespor.selection.domain import proposal_start
from handlespor.selection.tasks import compose_proposal
from tests.factories import StaffFactory


@pytest.fixture
def released():
    """The demo call composed, approved and released: every seat offered by e-mail."""
    call = demo_create(applications=40, organisations=30)
    Application.objects.filter(call=call).update(eligibility=Application.Eligibility.ELIGIBLE)
    user = StaffFactory(is_staff=False, is_superuser=False)
    proposal = proposal_start(call=call, user=user)
    compose_proposal.call(proposal.pk)
    proposal.refresh_from_db()
    proposal_approve(proposal=proposal, user=user)
    decisions_release(call=call, user=user)
    return call


@pytest.fixture
def members(released):
    """The track "trivsel" with every seat confirmed; its leader."""
    from django.utils import timezone

    from handlespor.selection.models import Decision

    track = released.tracks.get(slug="trivsel")
    Decision.objects.filter(track=track, outcome="selected").update(confirmed_at=timezone.now())
    leader = StaffFactory(is_staff=False, is_superuser=False, username="leder")
    track.leaders.add(leader)
    return track, leader
