"""Patch tests: which lots were applied where and when, and what was read in the window."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.care import entries
from mesoclinic.care.models.consultations import PatientRecordQuerySet


class PatchTest(models.Model):
    """One application of one or more products at one site, and its reading.

    Each of the two has the time it states (`applied_at`, `read_at`) and the time it was
    entered (`entered_at`, `read_entered_at`, the server's clock). An application stated
    further back than the clinic allows carries a credentialed dermatologist's attestation
    (`backdate_attested_by`, `backdate_reason`); the read window counts from the stated time.

    The window and validity are copied from the clinic's settings when the test is applied, so
    the test is judged by the rules it was applied under. A negative reading stands until
    `valid_until`; a positive one adds an allergy to every ingredient of the products applied
    (one site cannot tell which ingredient reacted, so all of them count).
    """

    class Site(models.TextChoices):
        BEHIND_EAR = "behind_ear", _("Behind the ear")
        INNER_FOREARM = "inner_forearm", _("Inner forearm")
        TREATMENT_AREA = "treatment_area", _("Edge of the treatment area")
        OTHER = "other", _("Other (describe)")

    class Result(models.TextChoices):
        PENDING = "pending", _("Waiting to be read")
        NEGATIVE = "negative", _("Negative")
        POSITIVE = "positive", _("Positive")

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="patch_tests"
    )
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    site = models.CharField(_("site"), max_length=20, choices=Site.choices)
    site_note = models.CharField(_("site details"), max_length=120, blank=True)
    applied_at = models.DateTimeField(_("applied at"))
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now, editable=False)
    backdate_attested_by = models.ForeignKey(
        "clinics.Practitioner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The dermatologist who attested an application time stated further back."),
    )
    backdate_reason = models.TextField(_("why the application was entered late"), blank=True)
    window_opens_hours = models.PositiveSmallIntegerField()
    window_closes_hours = models.PositiveSmallIntegerField()
    valid_days = models.PositiveSmallIntegerField()

    result = models.CharField(
        _("result"), max_length=10, choices=Result.choices, default=Result.PENDING
    )
    reaction = models.TextField(_("reaction seen"), blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    read_entered_at = models.DateTimeField(
        _("reading entered at"), null=True, blank=True, editable=False
    )
    valid_until = models.DateTimeField(null=True, blank=True)

    objects = PatientRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["patient", "-id"], name="patchtest_patient_idx"),
            # The worklist's unread tests of a clinic by time (care.worklist).
            models.Index(
                fields=["clinic", "applied_at"],
                condition=Q(result="pending"),
                name="patchtest_pending_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="patchtest_result_known",
                condition=Q(result__in=["pending", "negative", "positive"]),
            ),
            models.CheckConstraint(
                name="patchtest_window_ordered",
                condition=Q(window_opens_hours__lt=F("window_closes_hours")),
            ),
            # Pending has no reading; a reading has its reader and time, never before the
            # application; a positive names the reaction; only a negative stands for a time.
            models.CheckConstraint(
                name="patchtest_pending_unread",
                condition=Q(result="pending", read_at__isnull=True, read_by__isnull=True)
                | (
                    ~Q(result="pending")
                    & Q(read_at__isnull=False, read_by__isnull=False, read_at__gte=F("applied_at"))
                ),
            ),
            models.CheckConstraint(
                name="patchtest_positive_described",
                condition=~Q(result="positive") | ~Q(reaction=""),
            ),
            models.CheckConstraint(
                name="patchtest_validity_negative_only",
                condition=Q(result="negative", valid_until__isnull=False)
                | (~Q(result="negative") & Q(valid_until__isnull=True)),
            ),
            # A stated time is never after its entry; a reading is entered with its time.
            models.CheckConstraint(
                name="patchtest_applied_not_after_entry",
                condition=Q(applied_at__lte=F("entered_at")),
            ),
            models.CheckConstraint(
                name="patchtest_read_not_after_entry",
                condition=Q(read_at__isnull=True, read_entered_at__isnull=True)
                | Q(read_at__isnull=False, read_at__lte=F("read_entered_at")),
            ),
            models.CheckConstraint(
                name="patchtest_backdate_attested",
                condition=Q(backdate_attested_by__isnull=True, backdate_reason="")
                | (Q(backdate_attested_by__isnull=False) & ~Q(backdate_reason="")),
            ),
            models.CheckConstraint(
                name="patchtest_other_site_described",
                condition=~Q(site="other") | ~Q(site_note=""),
            ),
        ]

    def __str__(self):
        return f"patch test {self.pk}"

    @property
    def applied_entered_apart(self) -> bool:
        return entries.entered_apart(self.applied_at, self.entered_at)

    @property
    def read_entered_apart(self) -> bool:
        return entries.entered_apart(self.read_at, self.read_entered_at)

    @property
    def expired(self) -> bool:
        """A negative result past its validity: the test must be repeated."""
        return self.valid_until is not None and self.valid_until < timezone.now()


class PatchTestItem(models.Model):
    """One lot applied in a patch test (the lot names the product, hence the ingredients)."""

    patch_test = models.ForeignKey(PatchTest, on_delete=models.CASCADE, related_name="items")
    lot = models.ForeignKey(
        "formulary.Lot", on_delete=models.PROTECT, related_name="patch_test_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patch_test", "lot"], name="patchtestitem_unique")
        ]

    def __str__(self):
        return f"{self.patch_test_id}: lot {self.lot_id}"
