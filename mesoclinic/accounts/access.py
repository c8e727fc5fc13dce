"""The gate in front of every staff page: logged in, and holding a staff or administrator role."""

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied

from mesoclinic.accounts.roles import can_use_staff_pages, is_administrator


class StaffRequiredMixin(AccessMixin):
    """Anonymous visitors go to the login page; logged-in users without a staff role get 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.has_access(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def has_access(self, user) -> bool:
        return can_use_staff_pages(user)


class AdministratorRequiredMixin(StaffRequiredMixin):
    def has_access(self, user) -> bool:
        return is_administrator(user)
