"""The ledger: deliveries, uses and corrections; the balance always equals the ledger's sum,
bad input changes nothing, and unusable lots are refused with every reason."""

import contextlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.formulary import services
from mesoclinic.formulary.models import Lot, StockMovement
from mesoclinic.formulary.models.stock import AppendOnlyLedger

VIA = Interface.CLI


def ledger_sum(lot) -> Decimal:
    """Summed in Decimal: SQLite's SUM() of decimals is floating point."""
    return sum(StockMovement.objects.filter(lot=lot).values_list("quantity", flat=True))


def move(user, lot, kind, quantity, **extra):
    return services.record_movement(
        acting_user=user, via=VIA, lot=lot, kind=kind, quantity=Decimal(quantity), **extra
    )


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def test_receiving_a_lot_writes_its_first_ledger_line_and_audits_it(lot_a, administrator):
    assert lot_a.balance == Decimal("10")
    assert list(lot_a.movements.values_list("kind", "quantity")) == [("received", Decimal("10"))]
    assert AuditEvent.objects.filter(object_type="formulary.lot", object_id=str(lot_a.pk)).exists()


def test_uses_and_waste_take_stock_out_and_the_balance_follows_the_ledger(
    lot_a, administrator, patient_a
):
    move(administrator, lot_a, "used", "2.5", patient=patient_a)
    move(administrator, lot_a, "wasted", "0.5")
    move(administrator, lot_a, "adjusted", "1", increase=True, note="Count found one more")
    lot_a.refresh_from_db()
    assert lot_a.balance == Decimal("8.00") == ledger_sum(lot_a)
    used = lot_a.movements.get(kind="used")
    assert used.quantity == Decimal("-2.50") and used.patient == patient_a


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"quantity": "0"}, "quantity", "greater than zero"),
        ({"quantity": "-3"}, "quantity", "greater than zero"),
        ({"expires_in": -30, "received_ago": 1}, "expires_on", "before the date received"),
        ({"number": "  "}, "lot_number", "lot number"),
    ],
)
def test_a_bad_delivery_is_refused_by_field_and_nothing_is_saved(
    make_lot, clinic_a, txa, changes, field, message
):
    with pytest.raises(ValidationError) as excinfo:
        make_lot(clinic_a, txa, **changes)
    assert message in " ".join(errors_of(excinfo)[field])
    assert not Lot.objects.exists() and not StockMovement.objects.exists()


def test_a_duplicate_lot_number_for_the_same_product_is_refused_in_any_case(
    make_lot, lot_a, clinic_a, clinic_b, txa
):
    with pytest.raises(ValidationError) as excinfo:
        make_lot(clinic_a, txa, "txa-a1")
    assert "already has lot TXA-A1" in errors_of(excinfo)["lot_number"][0]
    # The same manufacturer lot delivered to another clinic is that clinic's own row.
    assert make_lot(clinic_b, txa, "TXA-A1").clinic == clinic_b


def test_the_database_refuses_a_duplicate_lot_even_past_the_check(lot_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Lot.objects.create(
            clinic=lot_a.clinic,
            product=lot_a.product,
            lot_number=lot_a.lot_number,
            expires_on=lot_a.expires_on,
            received_quantity=1,
            balance=1,
        )


def test_using_more_than_the_lot_holds_is_refused_and_the_ledger_is_unchanged(
    lot_a, administrator, patient_a
):
    with pytest.raises(ValidationError) as excinfo:
        move(administrator, lot_a, "used", "10.01", patient=patient_a)
    assert errors_of(excinfo)["quantity"] == ["This lot holds only 10.00 mL."]
    lot_a.refresh_from_db()
    assert lot_a.balance == Decimal("10") and lot_a.movements.count() == 1


@pytest.mark.parametrize(
    ("kind", "extra", "field", "message"),
    [
        ("used", {}, "patient", "Say which patient"),
        ("wasted", {"with_patient": True}, "patient", "Only a use names a patient"),
        ("adjusted", {}, "note", "Say why the count differs"),
        ("received", {}, "kind", "new lot"),
    ],
)
def test_a_movement_missing_what_it_needs_is_refused(
    lot_a, administrator, patient_a, kind, extra, field, message
):
    patient = patient_a if extra.get("with_patient") else None
    with pytest.raises(ValidationError) as excinfo:
        move(administrator, lot_a, kind, "1", patient=patient)
    assert message in " ".join(errors_of(excinfo)[field])
    assert lot_a.movements.count() == 1


def test_a_lot_cannot_be_used_for_another_clinics_patient(lot_a, administrator, patient_b):
    with pytest.raises(ValidationError) as excinfo:
        move(administrator, lot_a, "used", "1", patient=patient_b)
    assert "another clinic" in errors_of(excinfo)["patient"][0]


@pytest.mark.parametrize("status", ["recalled", "quarantined"])
def test_a_recalled_or_quarantined_lot_is_refused_for_use_but_may_leave_the_shelf(
    lot_a, administrator, patient_a, status
):
    services.set_lot_status(
        acting_user=administrator, via=VIA, lot=lot_a, status=status, reason="Notice 12"
    )
    with pytest.raises(ValidationError) as excinfo:
        move(administrator, lot_a, "used", "1", patient=patient_a)
    assert status in errors_of(excinfo)["lot"][0]
    move(administrator, lot_a, "returned", "10")
    lot_a.refresh_from_db()
    assert lot_a.balance == 0 == ledger_sum(lot_a)


def test_an_expired_lot_is_refused_for_use(make_lot, clinic_a, txa, administrator, patient_a):
    lot = make_lot(clinic_a, txa, "OLD", expires_in=-1, received_ago=200)
    with pytest.raises(ValidationError) as excinfo:
        move(administrator, lot, "used", "1", patient=patient_a)
    assert errors_of(excinfo)["lot"] == ["This lot has expired; it cannot be used."]


def test_a_multi_dose_lot_is_used_from_an_opened_vial_until_its_discard_time(
    make_lot, clinic_a, biotin_multi_dose, administrator, patient_a
):
    lot = make_lot(clinic_a, biotin_multi_dose, "MD1")
    with pytest.raises(ValidationError) as excinfo:
        move(administrator, lot, "used", "1", patient=patient_a)
    assert "open a vial first" in errors_of(excinfo)["lot"][0]
    services.open_vial(acting_user=administrator, via=VIA, lot=lot)
    opened = Lot.objects.get(pk=lot.pk).vial_opened_at
    assert timezone.now() - opened < timedelta(minutes=1)  # set by the server, not typed
    movement = move(administrator, lot, "used", "1", patient=patient_a)
    assert movement.vial_opened_at == opened
    # 25 hours later (the product's discard time is 24 h) the same vial is refused.
    Lot.objects.filter(pk=lot.pk).update(vial_opened_at=opened - timedelta(hours=25))
    with pytest.raises(ValidationError) as excinfo:
        move(administrator, lot, "used", "1", patient=patient_a)
    assert "past its discard time" in errors_of(excinfo)["lot"][0]
    assert AuditEvent.objects.filter(
        object_type="formulary.lot", object_id=str(lot.pk), changed_fields=["vial_opened_at"]
    ).exists()


def test_single_dose_lots_have_no_vial_to_open(lot_a, administrator):
    with pytest.raises(ValidationError, match="Only multi-dose"):
        services.open_vial(acting_user=administrator, via=VIA, lot=lot_a)


def test_a_lot_recalled_elsewhere_arrives_recalled(
    make_lot, clinic_a, clinic_b, txa, administrator
):
    recalled = make_lot(clinic_a, txa, "RX9")
    services.recall_lot(acting_user=administrator, via=VIA, lot=recalled, reason="DRAP 12")
    late = make_lot(clinic_b, txa, "rx 9")
    assert (late.lot_number, late.status, late.status_reason) == ("RX9", "recalled", "DRAP 12")


def test_a_recalled_product_is_withdrawn_and_cannot_be_received(
    make_lot, clinic_a, txa, administrator
):
    services.recall_product(acting_user=administrator, via=VIA, product=txa, reason="Withdrawn")
    with pytest.raises(ValidationError) as excinfo:
        make_lot(clinic_a, txa, "NEW")
    assert "withdrawn" in errors_of(excinfo)["product"][0]


def test_quantities_past_what_a_lot_can_hold_are_refused_not_a_crash(
    make_lot, clinic_a, txa, administrator
):
    with pytest.raises(ValidationError) as excinfo:
        make_lot(clinic_a, txa, "HUGE", "100000.01")
    assert "at most 100000" in errors_of(excinfo)["quantity"][0]
    lot = make_lot(clinic_a, txa, "FULL", "100000")
    with pytest.raises(ValidationError) as excinfo:
        move(administrator, lot, "adjusted", "1", increase=True, note="count")
    assert "at most 100000" in errors_of(excinfo)["quantity"][0]


def test_a_delivery_cannot_be_dated_in_the_future(make_lot, clinic_a, txa):
    with pytest.raises(ValidationError) as excinfo:
        make_lot(clinic_a, txa, "FUT", received_ago=-2)
    assert "future" in errors_of(excinfo)["received_on"][0]


def test_the_ledger_is_append_only(lot_a):
    movement = lot_a.movements.get()
    with pytest.raises(AppendOnlyLedger):
        movement.save()
    with pytest.raises(AppendOnlyLedger):
        movement.delete()
    with pytest.raises(AppendOnlyLedger):
        StockMovement.objects.filter(pk=movement.pk).update(note="changed")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger")
def test_postgresql_refuses_changing_the_ledger_from_any_client(lot_a):
    from django.db import DatabaseError

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE formulary_stockmovement SET quantity = 99")


def test_the_database_refuses_a_negative_balance(lot_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Lot.objects.filter(pk=lot_a.pk).update(balance=-1)


def test_the_database_refuses_a_use_without_a_patient(lot_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMovement.objects.create(lot=lot_a, kind="used", quantity=-1)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["wasted", "returned", "adjusted_up", "adjusted_down"]),
            st.decimals(min_value=Decimal("0.01"), max_value=Decimal("6"), places=2),
        ),
        max_size=8,
    )
)
def test_the_balance_always_equals_the_sum_of_the_ledger(
    make_lot, clinic_a, txa, administrator, steps
):
    lot = make_lot(clinic_a, txa, f"H{Lot.objects.count()}", "10")
    for kind, quantity in steps:
        increase = kind == "adjusted_up"
        kind = "adjusted" if kind.startswith("adjusted") else kind
        # A refused draw must leave no trace, which the assertion below checks.
        with contextlib.suppress(ValidationError):
            move(administrator, lot, kind, quantity, increase=increase, note="count")
        lot.refresh_from_db()
        assert lot.balance == ledger_sum(lot) >= 0


def test_received_on_defaults_to_today(administrator, clinic_a, txa):
    lot = services.receive_lot(
        acting_user=administrator,
        via=VIA,
        clinic=clinic_a,
        product=txa,
        lot_number="T1",
        expires_on=date.today() + timedelta(days=10),
        quantity=Decimal("1"),
    )
    assert lot.received_on == timezone.localdate()


def test_drawing_the_exact_remainder_in_awkward_fractions_leaves_exactly_zero(
    make_lot, clinic_a, txa, administrator
):
    # In floating point 0.3 - 0.1 - 0.2 is below zero, which the balance check would refuse.
    lot = make_lot(clinic_a, txa, "FRAC", "0.3")
    move(administrator, lot, "wasted", "0.1")
    move(administrator, lot, "wasted", "0.2")
    lot.refresh_from_db()
    assert lot.balance == 0 == ledger_sum(lot)


def test_a_caller_holding_the_lots_lock_draws_on_that_row_with_every_check(
    lot_a, administrator, patient_a
):
    with transaction.atomic():
        locked = Lot.objects.select_for_update().select_related("product").get(pk=lot_a.pk)
        move(administrator, locked, "used", "4", patient=patient_a, locked_by_caller=True)
        move(administrator, locked, "used", "5", patient=patient_a, locked_by_caller=True)
        with pytest.raises(ValidationError) as refused:
            move(administrator, locked, "used", "2", patient=patient_a, locked_by_caller=True)
    assert "holds only 1" in str(errors_of(refused)["quantity"])
    lot_a.refresh_from_db()
    assert lot_a.balance == Decimal("1.00") == ledger_sum(lot_a)
    audited = AuditEvent.objects.filter(object_type="formulary.stockmovement")
    assert audited.count() == 1 + 2  # the delivery's line and the two uses


def test_a_lock_held_by_the_caller_must_be_held_in_a_transaction(lot_a, administrator, patient_a):
    from unittest import mock

    # Outside any transaction (the test's own is hidden): the row's lock ended with its query.
    with (
        mock.patch.object(connection, "in_atomic_block", False),
        pytest.raises(transaction.TransactionManagementError),
    ):
        move(administrator, lot_a, "used", "1", patient=patient_a, locked_by_caller=True)
    assert not StockMovement.objects.filter(kind="used").exists()
