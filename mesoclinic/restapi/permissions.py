from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from mesoclinic.accounts.models import ApiToken, TokenScope
from mesoclinic.accounts.roles import can_use_staff_pages


class IsStaffMember(BasePermission):
    """Clinic staff and administrators; patients and role-less users get 403, anonymous 401."""

    message = "Your account has no staff role."

    def has_permission(self, request, view):
        return bool(
            request.user and request.user.is_authenticated and can_use_staff_pages(request.user)
        )


class TokenScopeAllows(BasePermission):
    """A read-only token reads (GET, HEAD, OPTIONS) and nothing else: every other method is 403,
    whatever the view, because this is one of the default permissions every view inherits.
    Sessions and read-and-write tokens pass; the role checks still apply to them."""

    message = _("This API token is read-only: it cannot create, change or delete anything.")

    def has_permission(self, request, view):
        token = request.auth
        if isinstance(token, ApiToken) and token.scope == TokenScope.READ:
            return request.method in SAFE_METHODS
        return True
