"""The board's fair lottery: the chances computed on the worker, the page, the draw into an
approvable proposal, the printable page, the table and the chance in the decision e-mail."""

import csv
import hashlib
import io
import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from handlespor.calls.models import Application, Target
from handlespor.engine.lottery import assignment_of, lottery_number, problem_from_instance
from handlespor.mail.models import MessageTemplate
from handlespor.selection.decisions import decisions_render
from handlespor.selection.instance import instance_for_call
from handlespor.selection.lottery import chances_by_applicant
from handlespor.selection.models import Activity, Decision, Lottery, Proposal, SelectionLock
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    OrganisationFactory,
    TargetFactory,
    TrackFactory,
)

# Transactional: the computation is enqueued after commit (and runs at once in tests).
pytestmark = pytest.mark.django_db(transaction=True)

SEED = "2027-01-15: 4 2 6 1 5"


@pytest.fixture
def call():
    """Two tracks of 2 seats each; at least one woman in each; 9 applicants, of whom 3 women
    and one not eligible."""
    call = CallFactory(
        opens_at=timezone.now() - timedelta(days=30), deadline=timezone.now() - timedelta(days=1)
    )
    first = TrackFactory(call=call, name="Trivsel", min_seats=2, max_seats=2)
    second = TrackFactory(call=call, name="Grønnere musik", min_seats=2, max_seats=2)
    TargetFactory(
        call=call, attribute="gender", kind=Target.Kind.MIN_COUNT, values=["Kvinde"], amount=1
    )
    people = [
        ("Anna", "Kvinde", first, second),
        ("Bo", "Mand", first, None),
        ("Carl", "Mand", first, second),
        ("Dorte", "Kvinde", second, None),
        ("Erik", "Mand", second, first),
        ("Frede", "Mand", first, None),
        ("Gitte", "Kvinde", second, first),
        ("Hans", "Mand", second, None),
    ]
    for name, gender, choice, other in people:
        ApplicationFactory(
            call=call,
            name=name,
            gender=gender,
            first_choice=choice,
            second_choice=other,
            organisation=OrganisationFactory(),
        )
    ApplicationFactory(
        call=call,
        name="Ib Ikke-Berettiget",
        gender="Mand",
        first_choice=first,
        eligibility=Application.Eligibility.NOT_ELIGIBLE,
        organisation=OrganisationFactory(),
    )
    return call


def _compute(client, call) -> Lottery:
    client.post(reverse("selection:lottery_run", args=[call.year]))
    return Lottery.objects.get(call=call)


def test_lottery_computes_every_applicants_chance_on_the_worker(client, secretariat, call):
    lottery = _compute(client, call)

    assert lottery.status == Lottery.Status.DONE
    chances = chances_by_applicant(lottery.result)
    by_name = {a.name: chances[str(a.pk)] for a in Application.objects.filter(call=call)}
    # Four seats: the chances of the eight eligible add up to 4, the women's to at least 2.
    assert sum(c["chance"] for c in by_name.values()) == pytest.approx(4.0, abs=1e-9)
    assert by_name["Ib Ikke-Berettiget"]["chance"] == 0.0
    assert by_name["Ib Ikke-Berettiget"]["reason"] == "not_eligible"
    assert min(c["chance"] for n, c in by_name.items() if n != "Ib Ikke-Berettiget") > 0.0
    assert Activity.objects.get().text == f"Startede lodtrækning {lottery.pk}: chancerne"


def test_lottery_page_shows_chances_lowest_first_and_the_reason_for_none(client, secretariat, call):
    lottery = _compute(client, call)

    response = client.get(reverse("selection:lottery", args=[call.year]))

    page = response.content.decode()
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row["percent"] for row in rows] == sorted(row["percent"] for row in rows)
    assert rows[0]["application"].name == "Ib Ikke-Berettiget"
    assert rows[0]["reason"] == "Ikke berettiget"
    assert response.context["lowest"] == min(r["percent"] for r in rows[1:])
    assert "Laveste chance" in page
    assert f'action="{reverse("selection:lottery_draw", args=[call.year, lottery.pk])}"' in page


def test_lottery_page_query_count_does_not_grow_with_applicants(
    client, secretariat, call, django_assert_max_num_queries
):
    _compute(client, call)
    url = reverse("selection:lottery", args=[call.year])

    with django_assert_max_num_queries(9):
        client.get(url)


def test_lottery_locked_applicant_is_certain(client, secretariat, call):
    bo = Application.objects.get(name="Bo")
    SelectionLock.objects.create(
        call=call, application=bo, kind=SelectionLock.Kind.IN_TRACK, track=bo.first_choice
    )

    lottery = _compute(client, call)

    chance = chances_by_applicant(lottery.result)[str(bo.pk)]
    assert chance["certain"] is True
    assert chance["chance"] == pytest.approx(1.0)
    assert chance["per_track"][str(bo.first_choice_id)] == pytest.approx(1.0)


def test_lottery_draw_fills_an_approvable_proposal_anyone_can_repeat(client, secretariat, call):
    lottery = _compute(client, call)

    response = client.post(
        reverse("selection:lottery_draw", args=[call.year, lottery.pk]), {"seed": SEED}
    )

    assert response.status_code == 302
    lottery.refresh_from_db()
    number = lottery_number(SEED, 1000)
    assert (lottery.seed, lottery.number) == (SEED, number)
    # Anyone with the table and the seed finds the same composition and the same people.
    row = next(r for r in lottery.result["table"] if r["from"] <= number <= r["to"])
    source = problem_from_instance(instance_for_call(call=call))
    expected = assignment_of(source, tuple(((t, r), c) for t, r, c in row["cells"]), SEED)
    proposal = lottery.proposal
    assert proposal.status == Proposal.Status.DONE
    assert {
        t["track"]: tuple(m["applicant"] for m in t["members"]) for t in proposal.result["tracks"]
    } == expected
    table = client.get(reverse("selection:lottery_table", args=[call.year, lottery.pk]))
    digest = hashlib.sha256(table.content).hexdigest()
    assert Activity.objects.first().text == (
        f"Trak lod ({lottery.pk}): frø «{SEED}», nummer {number} af 1000, "
        f"tabellens SHA-256 {digest}; forslag {proposal.pk}"
    )
    client.post(reverse("selection:approve", args=[call.year, proposal.pk]))
    assert Decision.objects.filter(outcome=Decision.Outcome.SELECTED).count() == 4


def test_lottery_draw_twice_is_refused(client, secretariat, call):
    lottery = _compute(client, call)
    url = reverse("selection:lottery_draw", args=[call.year, lottery.pk])
    client.post(url, {"seed": SEED})

    response = client.post(url, {"seed": "et andet frø"}, follow=True)

    assert "Der er allerede trukket lod." in response.content.decode()
    assert Proposal.objects.count() == 1
    lottery.refresh_from_db()
    assert lottery.seed == SEED


def test_lottery_draw_without_a_seed_stores_nothing(client, secretariat, call):
    lottery = _compute(client, call)

    response = client.post(
        reverse("selection:lottery_draw", args=[call.year, lottery.pk]), {"seed": "  "}
    )

    assert response.status_code == 400
    assert "Dette felt er påkrævet." in response.content.decode()
    assert Proposal.objects.count() == 0
    lottery.refresh_from_db()
    assert lottery.number is None


def test_lottery_draw_after_a_new_lock_asks_to_compute_again(client, secretariat, call):
    lottery = _compute(client, call)
    SelectionLock.objects.create(
        call=call,
        application=Application.objects.get(name="Hans"),
        kind=SelectionLock.Kind.EXCLUDED,
    )

    response = client.post(
        reverse("selection:lottery_draw", args=[call.year, lottery.pk]),
        {"seed": SEED},
        follow=True,
    )

    assert "Beregn dem igen, før der trækkes lod." in response.content.decode()
    assert Proposal.objects.count() == 0


def test_lottery_with_targets_no_composition_meets_says_so(client, secretariat, call):
    TargetFactory(
        call=call,
        attribute="gender",
        kind=Target.Kind.MIN_COUNT,
        values=["Kvinde"],
        amount=Decimal(2),
    )

    lottery = _compute(client, call)
    response = client.get(reverse("selection:lottery", args=[call.year]))

    assert lottery.result["infeasible"] is True
    assert (
        "Ingen sammensætning opfylder alle mål som krav med hvert handlespor fyldt op til sit "
        "højeste antal pladser." in response.content.decode()
    )
    assert not response.context["rows"]


def test_lottery_public_page_names_nobody(client, secretariat, call):
    lottery = _compute(client, call)
    client.post(reverse("selection:lottery_draw", args=[call.year, lottery.pk]), {"seed": SEED})

    page = client.get(reverse("selection:lottery_public", args=[call.year, lottery.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert f"frøet «{SEED}» gav nummer {lottery_number(SEED, 1000)} af 1000" in text
    for application in Application.objects.filter(call=call):
        assert application.name not in text
    assert len(page.context["groups"]) == len(lottery.result["types"])


def test_lottery_table_lists_every_number_once(client, secretariat, call):
    lottery = _compute(client, call)

    response = client.get(reverse("selection:lottery_table", args=[call.year, lottery.pk]))

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    ranges = sorted({(int(r["fra"]), int(r["til"])) for r in rows})
    assert ranges[0][0] == 1 and ranges[-1][1] == 1000
    assert all(b[0] == a[1] + 1 for a, b in itertools.pairwise(ranges))
    for first, _last in ranges:
        assert sum(int(r["antal"]) for r in rows if int(r["fra"]) == first) == 4


def test_lottery_chance_can_stand_in_the_decision_email(client, secretariat, call):
    MessageTemplate.objects.create(
        key="decision_not_selected",
        language="da",
        subject="Afgørelse",
        body="Kære {{ name }}. Din chance i lodtrækningen var {{ chance }}.",
    )
    lottery = _compute(client, call)
    client.post(reverse("selection:lottery_draw", args=[call.year, lottery.pk]), {"seed": SEED})
    lottery.refresh_from_db()
    client.post(reverse("selection:approve", args=[call.year, lottery.proposal_id]))

    rendered = {r.decision.application.name: r.body for r in decisions_render(call=call)}

    assert rendered["Ib Ikke-Berettiget"] == (
        "Kære Ib Ikke-Berettiget. Din chance i lodtrækningen var 0,0 %.\n"
    )
