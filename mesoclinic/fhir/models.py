"""The FHIR app's one table: bulk data export jobs (HL7 Bulk Data Access IG v2, `$export`)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class ExportJob(models.Model):
    """One `$export` request: who asked, for what (system, Patient or one clinic as a Group;
    which types, since when), how far the worker got, and the files it wrote.

    The key is a random UUID: the status and file URLs carry it, and a guessable number would
    tell one user how many exports others ran. A job and its files are the owner's alone: any
    other user's request answers 404. Files live in the private storage, encrypted, until
    `expires_at`; the scheduler's `delete_expired_exports` then removes them and marks the job
    expired (the row stays, as the record of what was exported)."""

    class Kind(models.TextChoices):
        SYSTEM = "system", "System"
        PATIENT = "patient", "Patient"
        GROUP = "group", "Group"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"
        EXPIRED = "expired", "Expired"

    FINISHED = (Status.COMPLETED, Status.FAILED, Status.CANCELLED, Status.EXPIRED)
    ACTIVE = (Status.QUEUED, Status.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: The resource types asked for (the kind's every type when `_type` was not given).
    types = models.JSONField(default=list)
    #: The clinics whose patients the owner could read when the job was started (null: every
    #: clinic, an administrator). A poll or download needs the owner to read them all still:
    #: a manager moved off a clinic no longer fetches its records.
    scope_clinics = models.JSONField(null=True, blank=True)
    since = models.DateTimeField(null=True, blank=True)
    #: The kick-off URL, which the manifest repeats as `request`.
    request = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    #: Resources to write (counted when the worker starts) and written so far: the progress.
    #: Rows added while the job runs may take `written` past `total`; progress is capped.
    total = models.PositiveBigIntegerField(null=True, blank=True)
    written = models.PositiveBigIntegerField(default=0)
    #: {type: resources} and [{type, name, path, count}] once completed.
    counts = models.JSONField(default=dict)
    files = models.JSONField(default=list)
    #: Why a failed job failed, in words that name no patient (the error's kind only).
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    #: When the worker began reading: the manifest's transactionTime (a client's next `_since`).
    started_at = models.DateTimeField(null=True, blank=True)
    #: The worker's last sign of life (every chunk of rows): a running job silent for
    #: FHIR_EXPORT_STALL_MINUTES lost its worker and is failed rather than polled forever.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        permissions = [("export_bulk_data", "Can run FHIR bulk data exports")]
        indexes = [
            # The owner's active jobs (the per-user limit) and the cleanup's scan.
            models.Index(fields=["owner", "status"], name="fhir_export_owner_idx"),
            models.Index(fields=["status", "expires_at"], name="fhir_export_expiry_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["system", "patient", "group"]), name="fhir_export_kind"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["queued", "running", "completed", "failed", "cancelled", "expired"]
                ),
                name="fhir_export_status",
            ),
            # A Group export names its clinic; the others name none.
            models.CheckConstraint(
                condition=Q(kind="group", clinic__isnull=False)
                | (~Q(kind="group") & Q(clinic__isnull=True)),
                name="fhir_export_group_clinic",
            ),
            # Finished jobs have their end; unfinished ones have none.
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running"], finished_at__isnull=True)
                | (~Q(status__in=["queued", "running"]) & Q(finished_at__isnull=False)),
                name="fhir_export_finished_at",
            ),
            # Only a completed (or since expired) export has files that expire.
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(status__in=["completed", "expired"]),
                name="fhir_export_expires_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} export {self.pk} ({self.status})"

    @property
    def folder(self) -> str:
        """Where the job's files live in the private storage."""
        return f"fhir-export/{self.pk}"
