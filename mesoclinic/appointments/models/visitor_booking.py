"""A visitor's consultation booking from the public clinic page, held back until the visitor
proves the mobile number with a one-time code.

Nothing is held in the book while the code is pending: a visitor who never confirms costs the
clinic nothing. The code itself is never stored, only its keyed hash (HMAC-SHA256 under the
SECRET_KEY, salted with the request's token), so the table is useless for reading codes; the
client address is kept the same way, only to count requests for the rate limits. The rows are
also the rate limits' ledger: codes per number and requests per address are counted from them,
so the limits hold on PostgreSQL and SQLite alike, without a cache.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VisitorBooking(models.Model):
    """One request for a consultation slot and its one-time code: pending until the code is
    confirmed (`confirmed_at`), then booked (`appointment`, with its enquiry) or, when the time
    was taken meanwhile, confirmed without an appointment: the visitor re-picks a time without
    a new code. `agreed_at` records the visitor's agreement to be contacted on the number."""

    token = models.CharField(max_length=40, unique=True, editable=False)
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    type = models.ForeignKey(
        "appointments.AppointmentType", on_delete=models.CASCADE, related_name="+"
    )
    starts_at = models.DateTimeField()
    practitioner = models.ForeignKey(
        "clinics.Practitioner", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    mobile = models.CharField(_("mobile"), max_length=16)
    language = models.CharField(_("language"), max_length=2)
    code_hash = models.CharField(max_length=64, editable=False)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    address_hash = models.CharField(max_length=64, editable=False)
    agreed_at = models.DateTimeField(_("agreed to be contacted at"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    appointment = models.OneToOneField(
        "appointments.Appointment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visitor_booking",
    )

    class Meta:
        ordering = ["-id"]
        indexes = [
            # Rate limits: WHERE mobile = ? AND created_at >= ?; WHERE address_hash = ? AND ...
            models.Index(fields=["mobile", "created_at"], name="visitorbooking_mobile_idx"),
            models.Index(fields=["address_hash", "created_at"], name="visitorbooking_address_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="visitorbooking_mobile_e164", condition=Q(mobile__startswith="+")
            ),
            models.CheckConstraint(
                name="visitorbooking_language_known", condition=Q(language__in=["en", "ur"])
            ),
            models.CheckConstraint(
                name="visitorbooking_booked_after_confirmed",
                condition=Q(appointment__isnull=True) | Q(confirmed_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"visitor booking {self.pk}"
