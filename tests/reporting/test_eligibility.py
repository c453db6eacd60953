from datetime import timedelta

import pytest
from django.utils import timezone

from handlespor.calls.domain import eligibility_assess, reporting_year_required
from handlespor.reporting import domain
from handlespor.reporting.models import Report
from tests.factories import CallFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds():
    """A closed 2026 round and an open 2027 round."""
    today = timezone.localdate()
    closed = domain.round_create(
        year=2026, opens_on=today - timedelta(days=200), closes_on=today - timedelta(days=150)
    )
    open_ = domain.round_create(
        year=2027, opens_on=today - timedelta(days=5), closes_on=today + timedelta(days=25)
    )
    return closed, open_


def _submit(reporting_round, organisation) -> None:
    Report.objects.create(
        round=reporting_round, organisation=organisation, status=Report.Status.SUBMITTED
    )


def test_reporting_year_required_is_the_latest_round_closed_when_the_call_opens(rounds):
    assert reporting_year_required(timezone.now()) == 2026


def test_reporting_year_required_before_any_round_is_the_year_before(db):
    assert reporting_year_required(timezone.now()) == timezone.localdate().year - 1


@pytest.mark.parametrize(
    ("submitted", "recorded", "reasons"),
    [
        (["closed"], [], []),
        (["open"], [], []),
        ([], [2026], []),
        ([], [2025], ["Organisationen har ikke indsendt rapporteringen for 2026."]),
        ([], [], ["Organisationen har ikke indsendt rapporteringen for 2026."]),
    ],
)
def test_eligibility_follows_the_rounds_with_the_reason_in_words(
    rounds, submitted, recorded, reasons
):
    closed, open_ = rounds
    organisation = OrganisationFactory(reported=recorded)
    for which in submitted:
        _submit({"closed": closed, "open": open_}[which], organisation)
    Report.objects.create(round=closed, organisation=OrganisationFactory(), status="submitted")
    call = CallFactory(required_reporting_year=reporting_year_required(timezone.now()))

    status, found = eligibility_assess(call=call, organisation=organisation)

    assert found == reasons
    assert status == ("eligible" if not reasons else "needs_check")


def test_a_draft_does_not_count_as_reporting(rounds):
    closed, _open = rounds
    organisation = OrganisationFactory(reported=[])
    Report.objects.create(round=closed, organisation=organisation, status=Report.Status.DRAFT)

    assert organisation.reporting_years() == set()
