from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils import timezone

from mesoclinic.accounts.models import ApiToken
from mesoclinic.audit.admin_mixins import AuditedModelAdmin
from mesoclinic.audit.services import Action, Interface, record_event

User = get_user_model()


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(Group)
class AuditedGroupAdmin(AuditedModelAdmin, GroupAdmin):
    """Roles are groups: renaming or deleting one changes what many people may do."""


class AuditedUserAdmin(AuditedModelAdmin, UserAdmin):
    """Users with their roles (groups); granting one is audited. The clinics app, a floor up,
    registers its subclass with the clinics each user works at (`clinics.admin`)."""

    list_display = ["username", "first_name", "last_name", "is_active", "is_staff"]
    list_filter = ["groups", "is_active", "is_staff"]

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            record_event(
                actor=request.user,
                action=Action.UPDATE,
                via=Interface.ADMIN,
                object_type=User._meta.label_lower,
                object_id=id,
                changed_fields=["password"],
            )
        return response


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "name", "prefix"]
    fields = ["user", "name", "prefix", "created_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # A token stays with the user it was issued to, and revoking is one-way: a token that
        # may have leaked is never switched back on. Revoke with the action; issue a new one.
        return ["user", "prefix", "created_at", "revoked_at"]

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record_event(
                actor=request.user,
                action=Action.UPDATE,
                via=Interface.ADMIN,
                instance=token,
                changed_fields=["revoked_at"],
            )

    def has_add_permission(self, request):
        # Keys are shown once; issue them with `manage.py create_api_token USERNAME`.
        return False
