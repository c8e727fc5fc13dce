"""A practitioner's secret, revocable iCalendar address."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class CalendarFeed(models.Model):
    """A practitioner's secret calendar address (an iCalendar feed their phone subscribes to).

    Only a hash of the token is kept: the address is shown once, when made, and a stolen
    database does not give anyone a way into a practitioner's calendar. Revoking stops it at
    once; making a new one revokes the old (one live address per practitioner). `last_used_at`
    tells the practitioner whether a calendar still reads it."""

    practitioner = models.ForeignKey(
        "clinics.Practitioner", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner"],
                condition=Q(revoked_at__isnull=True),
                name="calendarfeed_one_live_per_practitioner",
            ),
        ]

    def __str__(self):
        return f"calendar feed {self.pk}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
