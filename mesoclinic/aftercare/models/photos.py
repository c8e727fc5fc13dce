"""Treatment photos in standardized views, and the separate consent to marketing use."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from mesoclinic.aftercare import vocabulary
from mesoclinic.care.models import PatientRecordQuerySet
from mesoclinic.care.storage import private_storage


class CoursePhoto(models.Model):
    """A photo of one standardized view at a course's baseline (`session` empty) or at a
    session, taken with the patient's consent to treatment photos. The stored file is
    re-encoded on upload, so no EXIF (camera, time, GPS location) survives; the thumbnail beside
    it is what lists show. Both live in the private storage under random names and are served
    only through an access-checked, audited view."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey("care.Course", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        "care.TreatmentSession", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    view = models.CharField(max_length=20, choices=[(v, v) for v in vocabulary.VIEWS])
    file = models.FileField(storage=private_storage, max_length=200)
    thumbnail = models.FileField(storage=private_storage, max_length=200)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    taken_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = PatientRecordQuerySet.as_manager()

    class Meta:
        ordering = ["taken_at", "id"]
        indexes = [models.Index(fields=["course", "view", "taken_at"], name="photo_course_idx")]
        constraints = [
            models.CheckConstraint(
                name="coursephoto_view_known", condition=Q(view__in=list(vocabulary.VIEWS))
            ),
        ]

    def __str__(self):
        return f"photo {self.pk}"


class MarketingConsent(models.Model):
    """The patient's separate consent to their photos being used for the clinic's marketing.
    Treatment photos need the treatment consent's photo question; this is another question,
    asked apart, withdrawable at any time (a withdrawal is a new row's `withdrawn_at`)."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = PatientRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "clinic"],
                condition=Q(withdrawn_at__isnull=True),
                name="marketingconsent_one_standing",
            ),
        ]

    def __str__(self):
        return f"marketing consent {self.pk}"
