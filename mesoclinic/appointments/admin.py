"""The clinic's availability, edited by managers and administrators in the admin (audited):
appointment types, working hours, breaks, one-off changes, leave and closures. Appointments
themselves are booked through the calendar and the API (the services' checks), never here."""

from django.contrib import admin

from mesoclinic.appointments.models import (
    Appointment,
    AppointmentType,
    Break,
    Closure,
    DayChange,
    Leave,
    WorkingHours,
)
from mesoclinic.audit.admin_mixins import AuditedModelAdmin


@admin.register(AppointmentType)
class AppointmentTypeAdmin(AuditedModelAdmin):
    deletable = True  # the book's settings: a row may simply go
    list_display = [
        "clinic",
        "code",
        "duration_minutes",
        "buffer_before_minutes",
        "buffer_after_minutes",
        "requirement",
        "needs_room",
        "is_active",
    ]
    list_filter = ["clinic", "code", "is_active"]


@admin.register(WorkingHours)
class WorkingHoursAdmin(AuditedModelAdmin):
    deletable = True  # the book's settings: a row may simply go
    list_display = ["practitioner", "clinic", "weekday", "starts", "ends"]
    list_filter = ["clinic", "weekday"]


@admin.register(Break)
class BreakAdmin(AuditedModelAdmin):
    deletable = True  # the book's settings: a row may simply go
    list_display = ["clinic", "practitioner", "weekday", "starts", "ends", "label"]
    list_filter = ["clinic"]


@admin.register(DayChange)
class DayChangeAdmin(AuditedModelAdmin):
    deletable = True  # the book's settings: a row may simply go
    list_display = ["practitioner", "clinic", "on", "starts", "ends", "note"]
    list_filter = ["clinic"]
    date_hierarchy = "on"


@admin.register(Leave)
class LeaveAdmin(AuditedModelAdmin):
    deletable = True  # the book's settings: a row may simply go
    list_display = ["practitioner", "starts_at", "ends_at", "reason"]
    date_hierarchy = "starts_at"


@admin.register(Closure)
class ClosureAdmin(AuditedModelAdmin):
    deletable = True  # the book's settings: a row may simply go
    list_display = ["clinic", "label", "first", "last"]
    list_filter = ["clinic"]


@admin.register(Appointment)
class AppointmentAdmin(AuditedModelAdmin):
    """Read-only: a booking made here would skip the clash checks and the reminders."""

    list_display = ["id", "clinic", "type", "starts_at", "status"]
    list_filter = ["clinic", "status"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["patient", "enquiry", "practitioner", "room", "series"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
