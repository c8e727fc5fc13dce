from django.contrib import admin

from mesoclinic.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only, so the admin can neither add, change nor delete."""

    list_display = [
        "id",
        "at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "clinic",
        "interface",
    ]
    list_filter = ["action", "interface", "object_type", "clinic"]
    search_fields = ["object_id", "actor__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
