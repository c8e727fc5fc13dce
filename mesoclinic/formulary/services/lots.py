"""Receiving lots, moving stock and recalling. The ledger and the balance change together.

Concurrency: a movement locks its lot row (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's
IMMEDIATE transactions serialize writers), re-reads status, expiry and balance under the lock,
and only then writes. Two people drawing the last vial at once: the second waits, sees the new
balance and is refused. The database's `balance >= 0` check is the last line behind that.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.audit.services import Action, record_event, save_audited, user_or_none
from mesoclinic.formulary import stock
from mesoclinic.formulary.lot_words import blocker_messages
from mesoclinic.formulary.models import Lot, StockMovement
from mesoclinic.formulary.models.stock import MAX_QUANTITY


def receive_lot(
    *,
    acting_user,
    via: str,
    clinic,
    product,
    lot_number: str,
    expires_on,
    quantity: Decimal,
    received_on=None,
) -> Lot:
    """A delivery: the lot and its first ledger line ("received"), in one transaction."""
    received_on = received_on or timezone.localdate()
    errors = {}
    if quantity is None or quantity <= 0:
        errors["quantity"] = [_("Enter a quantity greater than zero.")]
    elif quantity > MAX_QUANTITY:
        errors["quantity"] = [_("Enter at most %(max)s.") % {"max": MAX_QUANTITY}]
    if not product.is_active:
        errors["product"] = [_("This product is withdrawn; it cannot be received.")]
    if received_on > timezone.localdate():
        errors["received_on"] = [_("The date received cannot be in the future.")]
    if expires_on and expires_on < received_on:
        errors["expires_on"] = [_("The expiry date is before the date received.")]
    # Printed lot numbers are compared as capitals without spaces, so "ab 12" is lot AB12.
    lot_number = "".join((lot_number or "").split()).upper()
    if not lot_number:
        errors["lot_number"] = [_("Enter the lot number printed on the pack.")]
    elif Lot.objects.filter(clinic=clinic, product=product, lot_number=lot_number).exists():
        errors["lot_number"] = [
            _("This clinic already has lot %(lot)s of this product.") % {"lot": lot_number}
        ]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            # A manufacturer lot recalled anywhere arrives recalled: the recall covers every
            # delivery of it, including those received after the notice.
            recall = (
                Lot.objects.filter(
                    product=product, lot_number=lot_number, status=stock.LotStatus.RECALLED
                )
                .values("status_reason")
                .first()
            )
            lot = Lot.objects.create(
                clinic=clinic,
                product=product,
                lot_number=lot_number,
                expires_on=expires_on,
                received_on=received_on,
                received_quantity=quantity,
                balance=quantity,
                created_by=user_or_none(acting_user),
                **(
                    {
                        "status": stock.LotStatus.RECALLED,
                        "status_reason": recall["status_reason"],
                        "status_changed_at": timezone.now(),
                    }
                    if recall
                    else {}
                ),
            )
            movement = StockMovement.objects.create(
                lot=lot,
                kind=StockMovement.Kind.RECEIVED,
                quantity=quantity,
                recorded_by=user_or_none(acting_user),
            )
            record_event(actor=acting_user, action=Action.CREATE, via=via, instance=lot)
            record_event(
                actor=acting_user,
                action=Action.CREATE,
                via=via,
                instance=movement,
                clinic_id=lot.clinic_id,
            )
    except IntegrityError as exc:
        # Another delivery of the same lot was saved a moment ago.
        raise ValidationError(
            {"lot_number": [_("This clinic already has this lot of this product.")]}
        ) from exc
    return lot


def record_movement(
    *,
    acting_user,
    via: str,
    lot: Lot,
    kind: str,
    quantity: Decimal,
    increase: bool = False,
    patient=None,
    note: str = "",
    locked_by_caller: bool = False,
) -> StockMovement:
    """Append one ledger line and move the balance with it, or refuse with every reason.

    A recalled, quarantined or expired lot may still be wasted or returned (that is how it
    leaves the shelf), never used. A use of a multi-dose lot comes from the vial opened with
    `open_vial` and is refused past its discard time. Nothing is written when anything is
    refused.

    The lot is locked and read again here, in a savepoint of the caller's transaction. A
    caller that has already locked it in its own transaction (`select_for_update`, with its
    product; charting locks every lot of a session in id order) passes that row and
    `locked_by_caller=True`: the same checks run on it, without reading it again, and a
    refusal then rolls back the caller's whole transaction.
    """
    kind = stock.MovementKind(kind)
    errors: dict[str, list[str]] = {}
    if quantity is None or quantity <= 0:
        errors["quantity"] = [_("Enter a quantity greater than zero.")]
    elif quantity > MAX_QUANTITY:
        errors["quantity"] = [_("Enter at most %(max)s.") % {"max": MAX_QUANTITY}]
    if kind == stock.MovementKind.RECEIVED:
        errors["kind"] = [_("Record a delivery as a new lot.")]
    if kind == stock.MovementKind.USED and patient is None:
        errors["patient"] = [_("Say which patient received it.")]
    if kind != stock.MovementKind.USED and patient is not None:
        errors["patient"] = [_("Only a use names a patient.")]
    if kind == stock.MovementKind.ADJUSTED and not note.strip():
        errors["note"] = [_("Say why the count differs.")]
    if patient is not None and lot.clinic_id != patient.registered_clinic_id:
        errors["patient"] = [_("This patient is registered at another clinic than this lot.")]
    if errors:
        raise ValidationError(errors)
    signed = stock.signed_quantity(kind, quantity, increase=increase)
    if locked_by_caller:
        if not transaction.get_connection().in_atomic_block:
            raise transaction.TransactionManagementError("The lot's lock ends with its query.")
        return _move(acting_user, via, lot, kind, signed, patient, note)
    with transaction.atomic():
        locked = Lot.objects.select_for_update().select_related("product").get(pk=lot.pk)
        movement = _move(acting_user, via, locked, kind, signed, patient, note)
    lot.balance = locked.balance
    return movement


def _move(acting_user, via, locked: Lot, kind, signed, patient, note) -> StockMovement:
    """The ledger line on a lot locked in the current transaction, after its checks."""
    if kind == stock.MovementKind.USED:
        blockers = stock.use_blockers(
            locked.state,
            today=timezone.localdate(),
            now=timezone.now(),
            vial_opened_at=locked.vial_opened_at,
        )
        if blockers:
            raise ValidationError({"lot": blocker_messages(blockers)})
    if locked.balance + signed > MAX_QUANTITY:
        raise ValidationError(
            {"quantity": [_("A lot holds at most %(max)s.") % {"max": MAX_QUANTITY}]}
        )
    if signed < 0 and locked.balance + signed < 0:
        raise ValidationError(
            {
                "quantity": [
                    _("This lot holds only %(balance)s %(unit)s.")
                    % {"balance": locked.balance, "unit": locked.product.stock_unit}
                ]
            }
        )
    movement = StockMovement.objects.create(
        lot=locked,
        kind=kind,
        quantity=signed,
        patient=patient,
        vial_opened_at=locked.vial_opened_at
        if kind == stock.MovementKind.USED and locked.product.multi_dose
        else None,
        note=note.strip(),
        recorded_by=user_or_none(acting_user),
    )
    # The new balance is computed in Decimal under the lock, not as balance + x in SQL:
    # SQLite would do that sum in floating point (0.3 - 0.1 - 0.2 < 0).
    locked.balance += signed
    locked.save(update_fields=["balance"])
    record_event(
        actor=acting_user,
        action=Action.CREATE,
        via=via,
        instance=movement,
        clinic_id=locked.clinic_id,
        detail={"kind": kind.value},
    )
    return movement


def open_vial(*, acting_user, via: str, lot: Lot) -> Lot:
    """Start a new vial of a multi-dose lot now: its discard time runs from this moment, which
    the server sets (a typed time could be moved to dodge the discard rule). Audited, so a
    vial opened again and again to reset the clock is visible in the trail."""
    with transaction.atomic():
        locked = Lot.objects.select_for_update().select_related("product").get(pk=lot.pk)
        if not locked.product.multi_dose:
            raise ValidationError(_("Only multi-dose lots have vials to open."))
        now = timezone.now()
        blockers = stock.use_blockers(
            locked.state, today=timezone.localdate(), now=now, vial_opened_at=now
        )
        if blockers:
            raise ValidationError({"lot": blocker_messages(blockers)})
        if locked.balance <= 0:
            raise ValidationError({"lot": [_("This lot is empty.")]})
        locked.vial_opened_at = now
        save_audited(
            locked,
            actor=acting_user,
            via=via,
            fields=["vial_opened_at"],
        )
    lot.vial_opened_at = locked.vial_opened_at
    return lot


def set_lot_status(*, acting_user, via: str, lot: Lot, status: str, reason: str) -> Lot:
    """Quarantine a lot at its clinic or release it; a recall goes through `recall_lot`."""
    status = stock.LotStatus(status)
    if status == stock.LotStatus.RECALLED:
        recall_lot(acting_user=acting_user, via=via, lot=lot, reason=reason)
        lot.refresh_from_db(fields=["status", "status_reason", "status_changed_at"])
        return lot
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why.")]})
    with transaction.atomic():
        locked = Lot.objects.select_for_update().get(pk=lot.pk)
        if locked.status == stock.LotStatus.RECALLED:
            raise ValidationError({"status": [_("A recalled lot stays recalled.")]})
        locked.status = status
        locked.status_reason = reason.strip()
        locked.status_changed_at = timezone.now()
        save_audited(
            locked,
            actor=acting_user,
            via=via,
            fields=["status", "status_reason", "status_changed_at"],
            detail={"status": status.value},
        )
    lot.status, lot.status_reason = locked.status, locked.status_reason
    lot.status_changed_at = locked.status_changed_at
    return lot


def recall_lot(*, acting_user, via: str, lot: Lot, reason: str) -> int:
    """Recall a manufacturer's lot: every clinic's row of this product and lot number is blocked
    at once, whoever asked. Returns how many rows were marked."""
    return _recall(
        acting_user=acting_user,
        via=via,
        lots=Lot.objects.filter(product_id=lot.product_id, lot_number=lot.lot_number),
        reason=reason,
    )


def recall_product(*, acting_user, via: str, product, reason: str) -> int:
    """Recall every lot of a product in every clinic and withdraw the product, so no new lot
    of it can be received (administrators: see the views)."""
    with transaction.atomic():
        count = _recall(
            acting_user=acting_user,
            via=via,
            lots=Lot.objects.filter(product_id=product.pk),
            reason=reason,
        )
        if product.is_active:
            product.is_active = False
            save_audited(
                product,
                actor=acting_user,
                via=via,
                fields=["is_active"],
            )
    return count


def _recall(*, acting_user, via, lots, reason: str) -> int:
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the recall notice or reason.")]})
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            lots.exclude(status=stock.LotStatus.RECALLED)
            .select_for_update()
            .values_list("pk", "clinic_id")
        )
        Lot.objects.filter(pk__in=[pk for pk, _ in rows]).update(
            status=stock.LotStatus.RECALLED, status_reason=reason.strip(), status_changed_at=now
        )
        for pk, clinic_id in rows:
            record_event(
                actor=acting_user,
                action=Action.UPDATE,
                via=via,
                object_type=Lot._meta.label_lower,
                object_id=pk,
                clinic_id=clinic_id,
                changed_fields=["status", "status_reason"],
                detail={"status": stock.LotStatus.RECALLED.value},
            )
    return len(rows)
