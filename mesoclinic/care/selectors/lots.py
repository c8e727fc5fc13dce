"""The lots the charting page offers: the clinic's stock of the plan's products, usable
first, each with why it cannot be used now."""

from dataclasses import dataclass
from datetime import datetime

from mesoclinic.care.models import Course
from mesoclinic.formulary import lot_words, stock
from mesoclinic.formulary.models import Lot


@dataclass(frozen=True)
class LotOption:
    """A lot on the charting page's list, with why it cannot be used now (empty: usable)."""

    lot: Lot
    why: tuple[str, ...]

    @property
    def usable(self) -> bool:
        return not self.why


def session_lot_options(course: Course, product_ids, *, now: datetime) -> list[LotOption]:
    """The course's clinic's lots with stock left of `product_ids` (the products the plan may
    use), usable lots first and the first to expire first (FEFO), then the unusable ones with
    why (recalled, expired, quarantined, vial past its discard time). One query, whatever the
    number of lots (lot_clinic_expiry_idx); emptied lots are left out, and refused in words if
    posted."""
    lots = (
        Lot.objects.filter(clinic_id=course.clinic_id, product__in=product_ids, balance__gt=0)
        .select_related("product")
        .order_by("expires_on", "id")
    )
    options = [LotOption(lot, tuple(lot_words.why_unusable(lot, now=now))) for lot in lots]
    return sorted(
        options,
        key=lambda o: stock.fefo_key(
            usable=o.usable, expires_on=o.lot.expires_on, lot_number=o.lot.lot_number
        ),
    )
