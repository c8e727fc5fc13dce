"""The audit trail: who read or changed which patient or clinical record, when, where and how.

Rows are append-only. Python refuses to update or delete them, and on PostgreSQL a trigger
(migration 0002) refuses UPDATE and DELETE from any client, including psql.
The trail never stores names, CNICs, mobile numbers or search terms: it names the record by
type and id and lists which fields changed, not their values.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit row."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed or searched")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    DENIED = "denied", _("Access denied")
    # Signing in and out (issue 20): the actor is the person, or empty when the name matched no
    # one; the detail holds the reason code, never the name that was typed.
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_fail", _("Sign-in failed")
    SIGN_OUT = "sign_out", _("Signed out")
    LOCKED_OUT = "lockout", _("Locked out")
    # A change to how someone signs in or what a credential may do: a second factor enrolled or
    # reset, an API token issued, rotated or revoked, a patient archived or restored.
    SECURITY = "security", _("Security change")


class AuditInterface(models.TextChoices):
    WEB = "web", _("Staff pages")
    API = "api", _("JSON API")
    ADMIN = "admin", _("Django admin")
    CLI = "cli", _("Command line")
    PUBLIC = "public", _("Public pages")
    FHIR = "fhir", _("FHIR API")
    PORTAL = "portal", _("Patient portal")


class AuditEvent(models.Model):
    Action = AuditAction
    Interface = AuditInterface

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for system actions such as demo seeding."),
    )
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    interface = models.CharField(max_length=10, choices=AuditInterface.choices)
    object_type = models.CharField(
        max_length=60, help_text=_("app_label.model of the record, e.g. patients.patient")
    )
    object_id = models.CharField(max_length=40, blank=True)
    clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_fields = models.JSONField(default=list, blank=True)
    detail = models.JSONField(
        default=dict, blank=True, help_text=_("Counts and codes only, never personal data.")
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-id"], name="audit_object_idx"),
            models.Index(fields=["actor", "-id"], name="audit_actor_idx"),
            models.Index(fields=["clinic", "-id"], name="audit_clinic_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="audit_action_known",
                condition=models.Q(action__in=AuditAction.values),
            ),
            models.CheckConstraint(
                name="audit_interface_known",
                condition=models.Q(interface__in=AuditInterface.values),
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")
