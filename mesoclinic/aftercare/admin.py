"""Aftercare in the audited admin: each clinic's follow-up and escalation values (with their
source) are edited here; cluster alerts are read here. Patient records (check-ins, effects,
scores, photos) are not editable in the admin: they change only through the services."""

from django.contrib import admin

from mesoclinic.aftercare.models import AftercareSettings, ClusterAlert
from mesoclinic.audit.admin_mixins import AuditedModelAdmin
from mesoclinic.formulary.admin import ReadOnlyAdmin


@admin.register(AftercareSettings)
class AftercareSettingsAdmin(AuditedModelAdmin):
    """The model's clean() refuses a malformed check-in schedule or an unknown effect code."""

    list_display = [
        "clinic",
        "check_in_hours",
        "escalate_grade",
        "expected_hours",
        "late_infection_days",
        "cluster_events",
        "cluster_days",
        "updated_at",
    ]


@admin.register(ClusterAlert)
class ClusterAlertAdmin(ReadOnlyAdmin):
    list_display = ["kind", "clinic", "lot", "raised_at", "acknowledged_at"]
    list_filter = ["kind"]
