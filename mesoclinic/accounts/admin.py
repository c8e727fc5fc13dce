from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from mesoclinic.accounts.models import ApiToken
from mesoclinic.audit.admin_mixins import AuditedModelAdmin
from mesoclinic.clinics.models import Membership

User = get_user_model()


class MembershipInline(admin.TabularInline):
    """The clinics a person works at: what scopes the patients they see."""

    model = Membership
    extra = 0


admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(AuditedModelAdmin, UserAdmin):
    """Users with their roles (groups) and clinics; granting either is audited."""

    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "is_active", "is_staff"]
    list_filter = ["groups", "is_active", "is_staff", "memberships__clinic"]


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "name", "prefix"]
    fields = ["user", "name", "prefix", "created_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        # A token stays with the user it was issued to; revoke it and issue another.
        return ["user", "prefix", "created_at"] if obj else ["prefix", "created_at"]

    def has_add_permission(self, request):
        # Keys are shown once; issue them with `manage.py create_api_token USERNAME`.
        return False
