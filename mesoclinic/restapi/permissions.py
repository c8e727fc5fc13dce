from rest_framework.permissions import BasePermission

from mesoclinic.accounts.roles import can_use_staff_pages


class IsStaffMember(BasePermission):
    """Clinic staff and administrators; patients and role-less users get 403, anonymous 401."""

    message = "Your account has no staff role."

    def has_permission(self, request, view):
        return bool(
            request.user and request.user.is_authenticated and can_use_staff_pages(request.user)
        )
