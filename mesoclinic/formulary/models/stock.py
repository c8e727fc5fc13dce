"""Lots on a clinic's shelf and the append-only ledger of everything that moved them."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.clinics import scoping
from mesoclinic.formulary import stock

#: A lot expiring within this many days is listed on the clinic's stock page.
EXPIRY_WARNING_DAYS = 30

#: The largest quantity one movement or one balance may hold (the column holds < 10**8).
MAX_QUANTITY = 100_000


class LotQuerySet(models.QuerySet):
    def for_user(self, user):
        """The lots `user` may see: their clinics' (all for administrators), by the one rule
        (`clinics.scoping`). A lot's uses, which name patients, are scoped apart
        (`StockMovementQuerySet.for_user`)."""
        return scoping.restrict(self, user, scoping.Kind.STOCK, clinic="clinic_id")


class Lot(models.Model):
    """One manufacturer's lot of a product as received by one clinic.

    `balance` is what the ledger says is left: it is never typed. Only `services.record_movement`
    changes it, in the same transaction as the movement it sums, and the database refuses a
    negative balance. The same manufacturer lot received by two clinics is two rows; a recall
    marks every row of that product and lot number at once.
    """

    class Status(models.TextChoices):
        AVAILABLE = stock.LotStatus.AVAILABLE.value, _("Available")
        QUARANTINED = stock.LotStatus.QUARANTINED.value, _("Quarantined")
        RECALLED = stock.LotStatus.RECALLED.value, _("Recalled")

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="lots")
    product = models.ForeignKey("formulary.Product", on_delete=models.PROTECT, related_name="lots")
    lot_number = models.CharField(_("lot number"), max_length=40)
    expires_on = models.DateField(_("expires on"))
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    received_quantity = models.DecimalField(_("quantity received"), max_digits=10, decimal_places=2)
    balance = models.DecimalField(_("balance"), max_digits=10, decimal_places=2, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=stock.LotStatus.AVAILABLE
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    vial_opened_at = models.DateTimeField(
        _("vial in use opened at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Multi-dose lots: set by the server when someone opens a vial, never typed."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LotQuerySet.as_manager()

    class Meta:
        ordering = ["expires_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "product", "lot_number"],
                name="lot_unique_number_per_product_and_clinic",
                violation_error_message=_("This clinic already has this lot of this product."),
            ),
            models.CheckConstraint(
                name="lot_received_quantity_positive", condition=Q(received_quantity__gt=0)
            ),
            models.CheckConstraint(name="lot_balance_not_negative", condition=Q(balance__gte=0)),
            models.CheckConstraint(
                name="lot_expiry_after_receipt",
                condition=Q(expires_on__gte=F("received_on")),
                violation_error_message=_("The expiry date is before the date received."),
            ),
            models.CheckConstraint(
                name="lot_status_known",
                condition=Q(status__in=[s.value for s in stock.LotStatus]),
            ),
        ]
        indexes = [
            # Recall: every clinic's row of one manufacturer lot.
            models.Index(fields=["product", "lot_number"], name="lot_product_number_idx"),
            # The clinic's expiring list.
            models.Index(fields=["clinic", "expires_on"], name="lot_clinic_expiry_idx"),
        ]

    def __str__(self):
        return f"{self.product.brand} lot {self.lot_number}"

    @property
    def state(self) -> stock.LotState:
        return stock.LotState(
            status=self.status,
            expires_on=self.expires_on,
            multi_dose=self.product.multi_dose,
            discard_after_hours=self.product.discard_after_hours,
        )

    @property
    def is_expired(self) -> bool:
        return self.expires_on < timezone.localdate()

    @property
    def vial_discard_at(self):
        """When the open vial of a multi-dose lot must be discarded (None if none is open)."""
        if self.vial_opened_at is None or not self.product.discard_after_hours:
            return None
        return self.vial_opened_at + timedelta(hours=self.product.discard_after_hours)

    @property
    def expires_soon(self) -> bool:
        return stock.expires_within(self.expires_on, timezone.localdate(), EXPIRY_WARNING_DAYS)


class AppendOnlyLedger(Exception):
    """Raised when code tries to change or delete a stock movement: correct with a new one."""


def _of_lots_in(scope: scoping.Scope) -> Q:
    """Movements of the lots in `scope`, as `lot_id IN (the lots' ids)`: a sub-select even for
    administrators, where it filters nothing, because through it the recall list's plan finds
    the lot rows by lot_product_number_idx and their uses by stockmovement_lot_id_idx."""
    if scope.nowhere:
        return Q(pk__in=[])
    return Q(lot__in=scope.apply(Lot.objects.all(), clinic="clinic_id").values("pk"))


class StockMovementQuerySet(models.QuerySet):
    def for_user(self, user):
        """The movements `user` may see, by their lot's clinic (`clinics.scoping`). A movement
        that names a patient (a use) is a clinical record: whoever may not read clinical
        records there (a receptionist) does not get it, since a lot's uses, read together, are
        its recall list. One condition when both kinds reach the same clinics, as they do for
        staff who read clinical records and for administrators."""
        unnamed = scoping.scope(user, scoping.Kind.STOCK)
        named = scoping.scope(user, scoping.Kind.CLINICAL)
        if unnamed == named:
            return self.none() if unnamed.nowhere else self.filter(_of_lots_in(unnamed))
        return self.filter(
            (Q(patient__isnull=True) & _of_lots_in(unnamed))
            | (Q(patient__isnull=False) & _of_lots_in(named))
        )

    def update(self, **kwargs):
        raise AppendOnlyLedger("Stock movements cannot be changed; record an adjustment.")

    def delete(self):
        raise AppendOnlyLedger("Stock movements cannot be deleted; record an adjustment.")


class StockMovement(models.Model):
    """One line of a lot's ledger: received, used, wasted, returned or adjusted.

    Append-only (Python refuses changes; on PostgreSQL a trigger refuses UPDATE and DELETE), so
    the ledger is the history a recall or an inspection reads. `quantity` is signed: positive
    into stock, negative out. A "used" line names the patient who received it; the charting
    issue adds the session.
    """

    class Kind(models.TextChoices):
        RECEIVED = stock.MovementKind.RECEIVED.value, _("Received")
        USED = stock.MovementKind.USED.value, _("Used for a patient")
        WASTED = stock.MovementKind.WASTED.value, _("Wasted")
        RETURNED = stock.MovementKind.RETURNED.value, _("Returned to supplier")
        ADJUSTED = stock.MovementKind.ADJUSTED.value, _("Adjusted after a count")

    # Indexed by stockmovement_lot_id_idx below (lot first), not by a second single-column index.
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="movements", db_index=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    patient = models.ForeignKey(
        "patients.Patient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_movements",
    )
    vial_opened_at = models.DateTimeField(
        _("vial opened at"),
        null=True,
        blank=True,
        help_text=_("Multi-dose lots: the opening time of the vial this use came from."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = StockMovementQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                name="stockmovement_sign_matches_kind",
                condition=Q(kind=stock.MovementKind.RECEIVED.value, quantity__gt=0)
                | Q(kind__in=sorted(k.value for k in stock.OUTGOING), quantity__lt=0)
                | (Q(kind=stock.MovementKind.ADJUSTED.value) & ~Q(quantity=0)),
            ),
            models.CheckConstraint(
                name="stockmovement_patient_iff_used",
                condition=Q(kind=stock.MovementKind.USED.value, patient__isnull=False)
                | (~Q(kind=stock.MovementKind.USED.value) & Q(patient__isnull=True)),
            ),
            models.CheckConstraint(
                name="stockmovement_adjustment_has_note",
                condition=~Q(kind=stock.MovementKind.ADJUSTED.value) | ~Q(note=""),
            ),
        ]
        indexes = [
            # A lot's ledger and its recall list, newest first (keyset on id): an ordered
            # index scan per lot, however long the ledger grows.
            models.Index(fields=["lot", "-id"], name="stockmovement_lot_id_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.quantity} of {self.lot_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyLedger("Stock movements cannot be changed; record an adjustment.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyLedger("Stock movements cannot be deleted; record an adjustment.")
