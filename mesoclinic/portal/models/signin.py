"""The portal's sign-in attempts: one row per code asked for on the sign-in page."""

from django.db import models
from django.db.models import Q


class SignInAttempt(models.Model):
    """One request for a sign-in code, and what became of it.

    It holds no mobile number and no code in clear: `number_digest` is an HMAC of the E.164
    number keyed from SECRET_KEY (the rate limits and the lockout count by it), `code_hash` an
    HMAC of the code bound to this attempt's `token` (the attempt id kept in the browser's
    session), so a code typed in another session, or for another attempt, never matches.
    `patient_id` is the first record in care that carried the number and the date of birth
    when the code was asked for (empty when none did: then no code was sent, and the row still
    counts against the limits, so a number no clinic knows is answered like a patient's). At
    sign-in the number is read again from that record and must still hash to the digest.
    `address_digest` is an HMAC of the client's address (its /64 for IPv6), for the per-address
    cap. Rows are kept as the history the limits count from; the scheduler blanks the outbox's
    copy of each code once it can no longer be used."""

    token = models.CharField(max_length=64, unique=True)
    number_digest = models.CharField(max_length=64)
    address_digest = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64)
    patient_id = models.PositiveBigIntegerField(null=True, blank=True)
    language = models.CharField(max_length=2, default="en")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    wrong_tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    # When the code's last wrong try spent it (the lockout counts these per number).
    burnt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            # The limits: WHERE number_digest = ? AND created_at > ? (hour, day), and the
            # lockout's WHERE number_digest = ? AND burnt_at > ?.
            models.Index(fields=["number_digest", "created_at"], name="signin_number_idx"),
            models.Index(fields=["number_digest", "burnt_at"], name="signin_number_burnt_idx"),
            # The per-address cap: WHERE address_digest = ? AND created_at > ?.
            models.Index(fields=["address_digest", "created_at"], name="signin_address_idx"),
            # The scheduler's sweep of codes that expired: WHERE expires_at BETWEEN ? AND ?.
            models.Index(fields=["expires_at"], name="signin_expires_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="signin_expires_after_created",
                condition=Q(expires_at__gt=models.F("created_at")),
            ),
            # A code signs in once, and a spent one never.
            models.CheckConstraint(
                name="signin_used_or_burnt",
                condition=Q(used_at__isnull=True) | Q(burnt_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"sign-in attempt {self.pk}"
