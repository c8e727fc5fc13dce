"""Reads of the formulary: lots scoped through `Lot.objects.for_user`, protocols with their
versions and components prefetched, and the recall lists. Counts of queries are fixed."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import F, Max, Prefetch, Sum
from django.http import Http404
from django.utils import timezone

from mesoclinic.audit.services import Action, record_event
from mesoclinic.clinics import scoping
from mesoclinic.core.pages import keyset_page
from mesoclinic.formulary import stock
from mesoclinic.formulary.models import (
    Ingredient,
    Lot,
    Product,
    ProductIngredient,
    Protocol,
    ProtocolComponent,
    ProtocolVersion,
    StockMovement,
)
from mesoclinic.formulary.models.stock import EXPIRY_WARNING_DAYS
from mesoclinic.patients.models import Patient
from mesoclinic.patients.selectors import PAGE_SIZE


def ingredients():
    return Ingredient.objects.filter(is_active=True).order_by("name")


def ingredient_names(codes) -> dict[str, str]:
    """Ingredient code -> its name in the page's language, for the codes given (one query); a
    code the formulary does not know is left out."""
    return {i.code: i.display_name for i in Ingredient.objects.filter(code__in=codes)}


def products():
    """Products with their ingredients (2 queries)."""
    return Product.objects.prefetch_related(
        Prefetch(
            "components",
            queryset=ProductIngredient.objects.select_related("ingredient").order_by(
                "ingredient__name"
            ),
        )
    ).order_by("brand", "id")


def lots_for_user(user):
    """Lots of the user's clinics with product and clinic, newest first (keyset on id)."""
    return Lot.objects.for_user(user).select_related("product", "clinic").order_by("-id")


@dataclass
class LotPage:
    lots: list
    next_cursor: int | None


def lot_page(user, *, clinic: str = "", status: str = "", query: str = "", before=None):
    lots = lots_for_user(user)
    if clinic:
        lots = lots.filter(clinic__slug=clinic)
    if status in {s.value for s in stock.LotStatus}:
        lots = lots.filter(status=status)
    if query:
        lots = lots.filter(lot_number__startswith=query.strip().upper())
    rows, next_cursor = keyset_page(lots, before, PAGE_SIZE)
    return LotPage(lots=rows, next_cursor=next_cursor)


def expiring_lots(user, *, clinic: str = "", days: int = EXPIRY_WARNING_DAYS):
    """Usable lots (available, balance left) that expire within `days`, soonest first
    (lot_clinic_expiry_idx)."""
    today = timezone.localdate()
    lots = lots_for_user(user).filter(
        status=stock.LotStatus.AVAILABLE,
        balance__gt=0,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=days),
    )
    if clinic:
        lots = lots.filter(clinic__slug=clinic)
    return lots.order_by("expires_on", "id")


@dataclass
class LowStock:
    clinic: str
    product: str
    unit: str
    usable: Decimal
    level: Decimal


def low_stock(user, *, clinic: str = "", limit: int = 50) -> list[LowStock]:
    """Active products whose usable stock at a clinic (available, unexpired lots) is at or
    below their low-stock level, emptiest first: one row per clinic and product (one query).
    A used-up lot alone does not make the list; a product with nothing usable left does."""
    today = timezone.localdate()
    lots = Lot.objects.for_user(user).filter(
        status=stock.LotStatus.AVAILABLE, expires_on__gte=today, product__is_active=True
    )
    if clinic:
        lots = lots.filter(clinic__slug=clinic)
    rows = (
        lots.values("clinic__name", "product__brand", "product__stock_unit")
        .annotate(usable=Sum("balance"), level=Max("product__low_stock_level"))
        .filter(usable__lte=F("level"))
        .order_by("usable", "clinic__name", "product__brand")[:limit]
    )
    return [
        LowStock(
            clinic=row["clinic__name"],
            product=row["product__brand"],
            unit=row["product__stock_unit"],
            # SQLite sums decimals in floating point: back to cents for display.
            usable=Decimal(str(row["usable"])).quantize(Decimal("0.01")),
            level=Decimal(str(row["level"])).quantize(Decimal("0.01")),
        )
        for row in rows
    ]


def get_lot_for_user(user, pk, *, via: str) -> Lot:
    """One lot, or 404 (audited) whether it is missing or another clinic's."""
    try:
        return lots_for_user(user).get(pk=int(pk))
    except (Lot.DoesNotExist, ValueError, TypeError):
        raise scoping.denied(user, Lot, pk, via=via, message="No such lot.") from None


def ledger_page(user, lot: Lot, *, before=None, size: int = PAGE_SIZE):
    """A lot's ledger as `user` may see it (`StockMovement.objects.for_user`: no uses for those
    who read no clinical records), newest first, with who recorded each line and the patient of
    each use."""
    movements = (
        StockMovement.objects.for_user(user)
        .filter(lot=lot)
        .select_related("patient", "recorded_by")
        .order_by("-id")
    )
    return keyset_page(movements, before, size)


@dataclass(frozen=True)
class Recipient:
    """One use on a page of a recall list, flat: what the page shows of it."""

    pk: int
    used_at: datetime
    quantity: Decimal  # signed, as in the ledger (negative: out of stock)
    clinic: str
    lot_number: str
    stock_unit: str
    patient: Patient  # only the fields the list shows
    session_id: int | None  # the charted session that drew it, when there is one
    session_number: int | None


@dataclass
class RecipientPage:
    movements: list[Recipient]
    next_cursor: int | None


def _uses(user, *, lot: Lot | None, product):
    """The "used" ledger lines of a manufacturer's lot (every clinic's row of this product and
    lot number) or of a whole product, that `user` may see (`StockMovement.objects.for_user`:
    uses are clinical records), newest first. Hot query: lot_product_number_idx finds the lot
    rows, then stockmovement_lot_id_idx (lot_id, id DESC) their uses, newest first."""
    movements = StockMovement.objects.for_user(user).filter(kind=stock.MovementKind.USED)
    if lot is not None:
        movements = movements.filter(lot__product_id=lot.product_id, lot__lot_number=lot.lot_number)
    else:
        movements = movements.filter(lot__product_id=product.pk)
    return movements.order_by("-id")


def recall_recipients(user, *, lot: Lot | None = None, product=None):
    """`_uses`, each with its patient, its lot's clinic and product, and the charted session
    that drew it when there is one (care links it): the CSV export and the API, which read
    every column."""
    return (
        _uses(user, lot=lot, product=product)
        .select_related("patient", "lot__clinic", "lot__product", "session_product__session")
        # What the gate saw, a few kB per session, is not part of a recall list.
        .defer("session_product__session__gate")
    )


#: What the recall page shows of each patient.
RECIPIENT_FIELDS = ("mrn", "first_name", "last_name", "mobile", "preferred_language")


def recipient_rows(user, *, lot=None, product=None):
    """`_uses` as plain rows, each with the session that drew it: (id, recorded_at, quantity,
    lot_id, patient_id, session_id, session number): narrow columns of the uses, their lot rows
    and their session, where `recall_recipients` joins eight tables."""
    return _uses(user, lot=lot, product=product).values_list(
        "id",
        "recorded_at",
        "quantity",
        "lot_id",
        "patient_id",
        "session_product__session_id",
        "session_product__session__number",
    )


def recipient_page(user, *, lot=None, product=None, before=None, size: int = PAGE_SIZE):
    """One page of `_uses` in three small queries rather than one join of eight tables, whose
    planning cost PostgreSQL several times its execution (issue 23): the page's uses with their
    session (`recipient_rows`), then their lots (with clinic and product) and their patients by
    primary key."""
    rows = recipient_rows(user, lot=lot, product=product)
    if before is not None:
        rows = rows.filter(id__lt=before)
    rows = list(rows[: size + 1])
    next_cursor = rows[size - 1][0] if len(rows) > size else None
    rows = rows[:size]
    if not rows:
        return RecipientPage(movements=[], next_cursor=None)
    lots = {
        pk: rest
        for pk, *rest in Lot.objects.filter(pk__in={row[3] for row in rows}).values_list(
            "id", "clinic__name", "lot_number", "product__stock_unit"
        )
    }
    patients = Patient.objects.only(*RECIPIENT_FIELDS).in_bulk({row[4] for row in rows})
    return RecipientPage(
        movements=[
            Recipient(
                pk,
                used_at,
                quantity,
                *lots[lot_id],
                patients[patient_id],
                session_id,
                session_number,
            )
            for pk, used_at, quantity, lot_id, patient_id, session_id, session_number in rows
        ],
        next_cursor=next_cursor,
    )


def audit_patient_listing(user, *, via: str, count: int, **context):
    """Recall lists and ledgers name patients: each read is audited like a patient listing,
    with the count and what was listed (`recall_of_lot=…`, `ledger_of_lot=…`), never names."""
    record_event(
        actor=user,
        action=Action.LIST,
        via=via,
        object_type=Patient._meta.label_lower,
        detail={"results": count, **context},
    )


def protocols():
    """Protocols with every version and its components (3 queries)."""
    return Protocol.objects.prefetch_related(
        Prefetch(
            "versions",
            queryset=ProtocolVersion.objects.select_related(
                "approved_by__user", "created_by"
            ).order_by("-number"),
        ),
        Prefetch(
            "versions__components",
            queryset=ProtocolComponent.objects.select_related("ingredient", "product").order_by(
                "id"
            ),
        ),
    ).order_by("indication", "name")


def approved_versions(indication: str):
    """The approved protocol versions for an indication, with their protocol (one query)."""
    return ProtocolVersion.objects.filter(
        status=ProtocolVersion.Status.APPROVED, protocol__indication=indication
    ).select_related("protocol")


def find_version(pk, *, approved: bool = False) -> ProtocolVersion | None:
    """One protocol version (only an approved one with `approved`), or None (one query).
    Protocols are chain-wide clinical data, readable by all staff."""
    versions = ProtocolVersion.objects.filter(pk=pk)
    if approved:
        versions = versions.filter(status=ProtocolVersion.Status.APPROVED)
    return versions.first()


def get_protocol(pk) -> Protocol:
    """Protocols are chain-wide clinical data, readable by all staff: a missing one is a 404."""
    try:
        return protocols().get(pk=int(pk))
    except (Protocol.DoesNotExist, ValueError, TypeError):
        raise Http404("No such protocol.") from None


def get_version(pk) -> ProtocolVersion:
    try:
        return (
            ProtocolVersion.objects.select_related("protocol", "approved_by__user")
            .prefetch_related(
                Prefetch(
                    "components",
                    queryset=ProtocolComponent.objects.select_related("ingredient", "product"),
                )
            )
            .get(pk=int(pk))
        )
    except (ProtocolVersion.DoesNotExist, ValueError, TypeError):
        raise Http404("No such protocol version.") from None
