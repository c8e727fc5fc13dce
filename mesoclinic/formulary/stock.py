"""Stock rules: which way a movement moves the balance, and whether a lot may be used now.

Pure Python, no Django. The services gather the lot's state under a row lock and call these;
the same reasons are shown on the page, returned by the API and (later) checked by the gate.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum


class MovementKind(StrEnum):
    RECEIVED = "received"  # into stock from a supplier
    USED = "used"  # injected or applied: names the patient (and, later, the session)
    WASTED = "wasted"  # broken, contaminated, past its discard time
    RETURNED = "returned"  # sent back to the supplier
    ADJUSTED = "adjusted"  # a stock count that differs from the ledger: either direction


#: Movements that take stock out; their signed quantity is negative.
OUTGOING = frozenset({MovementKind.USED, MovementKind.WASTED, MovementKind.RETURNED})


class LotStatus(StrEnum):
    AVAILABLE = "available"
    QUARANTINED = "quarantined"  # held at one clinic while a doubt is checked
    RECALLED = "recalled"  # withdrawn by the manufacturer or DRAP: blocked in every clinic


class Blocker(StrEnum):
    """Why a lot may not be used now."""

    RECALLED = "recalled"
    QUARANTINED = "quarantined"
    EXPIRED = "expired"
    VIAL_OPENING_MISSING = "vial_opening_missing"
    VIAL_PAST_DISCARD = "vial_past_discard"
    VIAL_OPENED_IN_FUTURE = "vial_opened_in_future"


def signed_quantity(kind: str, quantity: Decimal, *, increase: bool = False) -> Decimal:
    """The ledger's signed quantity for a positive amount typed by a person.

    Only an adjustment can go either way, so only it asks `increase`.
    """
    if quantity <= 0:
        raise ValueError("A movement's quantity must be positive.")
    kind = MovementKind(kind)
    if kind == MovementKind.ADJUSTED:
        return quantity if increase else -quantity
    return -quantity if kind in OUTGOING else quantity


@dataclass(frozen=True)
class LotState:
    status: str
    expires_on: date
    multi_dose: bool
    discard_after_hours: int | None


def use_blockers(
    lot: LotState, *, today: date, now: datetime, vial_opened_at: datetime | None = None
) -> list[Blocker]:
    """Every reason the lot cannot be given to a patient now (empty when it can).

    A lot is usable through its expiry date and not after. A multi-dose vial must say when it
    was opened, and is refused once its discard-after hours have passed: multi-dose vials kept
    too long were behind published mycobacterial outbreaks after mesotherapy (CLINICAL.md).
    """
    blockers = []
    if lot.status == LotStatus.RECALLED:
        blockers.append(Blocker.RECALLED)
    elif lot.status == LotStatus.QUARANTINED:
        blockers.append(Blocker.QUARANTINED)
    if today > lot.expires_on:
        blockers.append(Blocker.EXPIRED)
    if lot.multi_dose:
        if vial_opened_at is None:
            blockers.append(Blocker.VIAL_OPENING_MISSING)
        elif vial_opened_at > now:
            blockers.append(Blocker.VIAL_OPENED_IN_FUTURE)
        elif lot.discard_after_hours is not None and now > vial_opened_at + timedelta(
            hours=lot.discard_after_hours
        ):
            blockers.append(Blocker.VIAL_PAST_DISCARD)
    return blockers


def fefo_key(*, usable: bool, expires_on: date, lot_number: str) -> tuple:
    """Sort key for a lot list: usable lots first, then first expiry first out (FEFO: the lot
    that expires soonest is used before a later one), then by lot number so the order is
    stable."""
    return (not usable, expires_on, lot_number)


def expires_within(expires_on: date, today: date, days: int) -> bool:
    return today <= expires_on <= today + timedelta(days=days)
