"""The erasure rule: what stays after a patient asks to be erased, and until when."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.portal import erasure

TODAY = date(2026, 12, 7)


def test_it_always_keeps_the_audit_trail_even_with_nothing_else_held():
    decision = erasure.decide(erasure.Held(), today=TODAY)
    assert [k.code for k in decision.kept] == [erasure.AUDIT_TRAIL]
    assert erasure.CONTACT in decision.erasable


def test_it_keeps_the_clinical_record_until_the_retention_ends_from_the_last_treatment():
    held = erasure.Held(clinical_records=3, lot_uses=1, last_treated_on=date(2024, 2, 29))
    decision = erasure.decide(held, today=TODAY, retention_years=10)
    kept = {k.code: k.until for k in decision.kept}
    assert kept[erasure.CLINICAL_RECORDS] == date(2034, 2, 28)
    assert kept[erasure.LOT_TRACEABILITY] is None


def test_it_lets_the_clinical_record_go_once_its_retention_is_over():
    held = erasure.Held(clinical_records=1, last_treated_on=date(2010, 1, 1))
    decision = erasure.decide(held, today=TODAY, retention_years=10)
    assert erasure.CLINICAL_RECORDS in decision.erasable
    assert erasure.CLINICAL_RECORDS not in {k.code for k in decision.kept}


@given(
    records=st.integers(0, 50),
    lots=st.integers(0, 50),
    days_ago=st.one_of(st.none(), st.integers(0, 20_000)),
    years=st.integers(0, 30),
)
def test_it_never_erases_lots_or_the_trail_and_never_both_keeps_and_erases(
    records, lots, days_ago, years
):
    last = None if days_ago is None else TODAY - timedelta(days=days_ago)
    held = erasure.Held(clinical_records=records, lot_uses=lots, last_treated_on=last)
    decision = erasure.decide(held, today=TODAY, retention_years=years)
    kept = {k.code for k in decision.kept}
    assert erasure.AUDIT_TRAIL in kept
    assert (erasure.LOT_TRACEABILITY in kept) == bool(lots)
    assert not kept & set(decision.erasable)
    for item in decision.kept:
        assert item.until is None or item.until > TODAY
