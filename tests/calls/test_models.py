from datetime import UTC, timedelta
from decimal import Decimal

import pytest

from handlespor.calls.models import Application, Target, render_markdown
from tests.factories import ApplicationFactory, CallFactory, at

pytestmark = pytest.mark.django_db


def test_call_is_open_until_the_end_of_the_deadline_minute():
    call = CallFactory(opens_at=at("2026-11-24 09:00:00"), deadline=at("2026-12-12 23:59:00"))

    assert call.is_open(at("2026-12-12 23:58:59")) is True
    assert call.is_open(at("2026-12-12 23:59:00")) is True
    assert call.is_open(at("2026-12-12 23:59:59")) is True
    assert call.is_open(at("2026-12-13 00:00:00")) is False
    assert call.is_open(at("2026-12-13 00:00:01")) is False


def test_call_is_not_open_before_it_opens():
    call = CallFactory(opens_at=at("2026-11-24 09:00:00"), deadline=at("2026-12-12 23:59:00"))

    assert call.is_open(at("2026-11-24 08:59:59")) is False
    assert call.is_open(at("2026-11-24 09:00:00")) is True


def test_call_deadline_counts_in_copenhagen_time_across_the_dst_change():
    # Summer time ends 25 October 2026 at 03:00; a noon deadline that day is 11:00 UTC, not 10:00.
    call = CallFactory(opens_at=at("2026-10-01 09:00:00"), deadline=at("2026-10-25 12:00:00"))
    assert call.deadline.astimezone(UTC).hour == 11
    assert call.is_open(call.deadline + timedelta(seconds=59)) is True
    assert call.is_open(call.deadline - timedelta(hours=1)) is True
    assert call.is_open(call.deadline + timedelta(minutes=1)) is False


def test_call_deadline_in_spring_dst_change():
    # Summer time starts 29 March 2026 at 02:00; 01:59:59 CET is followed by 03:00:00 CEST.
    call = CallFactory(opens_at=at("2026-03-01 09:00:00"), deadline=at("2026-03-29 01:59:00"))

    assert call.is_open(at("2026-03-29 01:59:30")) is True
    assert call.is_open(at("2026-03-29 03:00:00")) is False


def test_render_markdown_strips_scripts():
    html = render_markdown("# Titel\n\n<script>alert(1)</script> <b onclick='x()'>fed</b>")

    assert "<script" not in html
    assert "onclick" not in html
    assert "<h1>Titel</h1>" in html


@pytest.mark.parametrize(
    ("kind", "values", "amount", "text"),
    [
        ("min_share", ["Kvinde"], "40", "Kvinde ≥ 40 %"),
        ("max_share", ["Hovedstaden"], "50.000", "Hovedstaden ≤ 50 %"),
        ("min_count", ["0–5 år"], "1", "0–5 år ≥ 1"),
        ("max_count", ["Festival"], "2", "Festival ≤ 2"),
        ("min_distinct", [], "4", "Aktørtype: ≥ 4 forskellige"),
        ("max_share_each", [], "33.334", "Aktørtype: ingen over 33,3 %"),
    ],
)
def test_target_describe(kind, values, amount, text):
    target = Target(
        attribute="gender" if kind.endswith("share") and values else "actor_type",
        kind=kind,
        values=values,
        amount=Decimal(amount),
    )

    assert target.describe() == text


def test_target_clean_refuses_what_the_engine_cannot_use(call):
    from django.core.exceptions import ValidationError

    bad = Target(call=call, attribute="gender", kind="min_share", values=["Kvinnde"], amount=140)

    with pytest.raises(ValidationError) as error:
        bad.full_clean()

    assert error.value.message_dict == {
        "values": ["Ukendt værdi: Kvinnde"],
        "amount": ["Denne værdi skal være mindre end eller lig 100."],
    }


def test_application_completion_deadline_is_the_last_minute_days_after_the_call_deadline():
    call = CallFactory(
        opens_at=at("2026-11-24 09:00:00"), deadline=at("2026-12-12 23:59:00"), completion_days=7
    )
    application = ApplicationFactory(call=call, state=Application.State.INCOMPLETE)

    assert application.completion_deadline() == at("2026-12-19 23:59:00")
    assert application.can_complete(at("2026-12-19 23:59:59")) is True
    assert application.can_complete(at("2026-12-20 00:00:00")) is False
