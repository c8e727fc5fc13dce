from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mesoclinic.accounts.models import ApiToken
from mesoclinic.accounts.tokens import revoke_token
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
    """Every user's tokens: when each expires and was last used, and the action that revokes
    them (audited by `accounts.tokens`). Nothing here is editable: keys are issued on the token
    page or with `manage.py create_api_token`, and only a hash of each is stored."""

    list_display = [
        "prefix",
        "user",
        "name",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["scope", "revoked_at", "expires_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "name", "prefix"]
    fields = [
        "user",
        "name",
        "prefix",
        "key_hash",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "replaced_by",
    ]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # A token stays with the user it was issued to, and revoking is one-way: a token that
        # may have leaked is never switched back on. Revoke with the action; issue a new one.
        return self.fields

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        revoked = sum(
            revoke_token(acting_user=request.user, token=token, via=Interface.ADMIN)
            for token in queryset.filter(revoked_at__isnull=True)
        )
        self.message_user(
            request, ngettext("%d token revoked.", "%d tokens revoked.", revoked) % revoked
        )

    def has_add_permission(self, request):
        # Keys are shown once; issue them on the token page or with `manage.py create_api_token`.
        return False
