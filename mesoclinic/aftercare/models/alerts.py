"""Cluster alerts: several adverse events on one lot, or at one clinic, within a window."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ClusterAlert(models.Model):
    """Raised when adverse events reach the clinic's threshold within its window, on one lot
    (then the formulary's recall is offered) or at one clinic. One unacknowledged alert per
    subject: later events add to it rather than raising again."""

    class Kind(models.TextChoices):
        LOT = "lot", _("One lot")
        CLINIC = "clinic", _("One clinic")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(
        "formulary.Lot", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    events = models.JSONField(default=list, help_text=_("Adverse event ids in the window."))
    window_days = models.PositiveSmallIntegerField()
    threshold = models.PositiveSmallIntegerField()
    raised_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lot"],
                condition=Q(kind="lot", acknowledged_at__isnull=True),
                name="clusteralert_one_open_per_lot",
            ),
            models.UniqueConstraint(
                fields=["clinic"],
                condition=Q(kind="clinic", acknowledged_at__isnull=True),
                name="clusteralert_one_open_per_clinic",
            ),
            models.CheckConstraint(
                name="clusteralert_lot_for_lot_kind",
                condition=Q(kind="lot", lot__isnull=False) | Q(kind="clinic", lot__isnull=True),
            ),
        ]

    def __str__(self):
        return f"cluster alert {self.pk}"
