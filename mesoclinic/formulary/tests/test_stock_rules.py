"""The pure stock rules: direction of movements and why a lot may not be used."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.formulary.stock import (
    OUTGOING,
    Blocker,
    LotState,
    MovementKind,
    expires_within,
    signed_quantity,
    use_blockers,
)

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 12, 0)
positive = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10000"), places=2)


@given(st.sampled_from(list(MovementKind)), positive, st.booleans())
def test_only_receipts_and_upward_adjustments_add_stock(kind, quantity, increase):
    signed = signed_quantity(kind, quantity, increase=increase)
    assert abs(signed) == quantity
    adds = kind == MovementKind.RECEIVED or (kind == MovementKind.ADJUSTED and increase)
    assert (signed > 0) == adds
    if kind in OUTGOING:
        assert signed < 0


@pytest.mark.parametrize("quantity", [Decimal(0), Decimal("-1")])
def test_a_quantity_of_zero_or_less_is_refused(quantity):
    with pytest.raises(ValueError):
        signed_quantity(MovementKind.USED, quantity)


def state(**changes):
    values = {
        "status": "available",
        "expires_on": TODAY,
        "multi_dose": False,
        "discard_after_hours": None,
    }
    return LotState(**{**values, **changes})


def test_a_lot_is_usable_through_its_expiry_date():
    assert use_blockers(state(), today=TODAY, now=NOW) == []
    assert use_blockers(state(), today=TODAY + timedelta(days=1), now=NOW) == [Blocker.EXPIRED]


@pytest.mark.parametrize(
    ("status", "blocker"),
    [("recalled", Blocker.RECALLED), ("quarantined", Blocker.QUARANTINED)],
)
def test_recalled_and_quarantined_lots_are_blocked(status, blocker):
    assert use_blockers(state(status=status), today=TODAY, now=NOW) == [blocker]


def test_every_reason_is_named_at_once():
    blockers = use_blockers(
        state(status="recalled", expires_on=TODAY - timedelta(days=1), multi_dose=True),
        today=TODAY,
        now=NOW,
    )
    assert blockers == [Blocker.RECALLED, Blocker.EXPIRED, Blocker.VIAL_OPENING_MISSING]


@given(st.integers(min_value=0, max_value=100))
def test_a_multi_dose_vial_is_refused_after_its_discard_hours(hours_ago):
    multi = state(multi_dose=True, discard_after_hours=24)
    opened = NOW - timedelta(hours=hours_ago)
    blockers = use_blockers(multi, today=TODAY, now=NOW, vial_opened_at=opened)
    assert (Blocker.VIAL_PAST_DISCARD in blockers) == (hours_ago > 24)


def test_a_vial_cannot_have_been_opened_in_the_future():
    multi = state(multi_dose=True, discard_after_hours=24)
    later = NOW + timedelta(minutes=5)
    assert use_blockers(multi, today=TODAY, now=NOW, vial_opened_at=later) == [
        Blocker.VIAL_OPENED_IN_FUTURE
    ]


def test_expiring_within_counts_today_and_the_last_day():
    assert expires_within(TODAY, TODAY, 30)
    assert expires_within(TODAY + timedelta(days=30), TODAY, 30)
    assert not expires_within(TODAY + timedelta(days=31), TODAY, 30)
    assert not expires_within(TODAY - timedelta(days=1), TODAY, 30)


@given(
    st.lists(
        st.tuples(st.booleans(), st.dates(), st.text(min_size=1, max_size=6)),
        min_size=1,
        max_size=8,
    )
)
def test_it_sorts_usable_lots_first_and_the_first_to_expire_first(lots):
    from mesoclinic.formulary.stock import fefo_key

    ordered = sorted(
        lots, key=lambda lot: fefo_key(usable=lot[0], expires_on=lot[1], lot_number=lot[2])
    )
    usable = [lot for lot in ordered if lot[0]]
    assert ordered[: len(usable)] == usable  # no unusable lot before a usable one
    for group in (usable, [lot for lot in ordered if not lot[0]]):
        assert [lot[1] for lot in group] == sorted(lot[1] for lot in group)


def test_it_puts_a_usable_lot_expiring_later_before_an_unusable_one_expiring_sooner():
    from mesoclinic.formulary.stock import fefo_key

    later = fefo_key(usable=True, expires_on=date(2027, 6, 1), lot_number="B")
    sooner_unusable = fefo_key(usable=False, expires_on=date(2026, 12, 1), lot_number="A")
    same_day = fefo_key(usable=True, expires_on=date(2027, 6, 1), lot_number="A")
    assert sorted([sooner_unusable, later, same_day]) == [same_day, later, sooner_unusable]
