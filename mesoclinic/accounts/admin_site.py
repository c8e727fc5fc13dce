"""The Django admin, for administrators only.

The admin sees every clinic's records, so it is closed to anyone without the administrator role,
whatever their `is_staff` flag says; clinic staff work in the scoped staff pages and API.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from mesoclinic.accounts.roles import is_administrator


class MesoclinicAdminSite(admin.AdminSite):
    site_header = "mesoclinic administration"
    site_title = "mesoclinic admin"

    def has_permission(self, request):
        return super().has_permission(request) and is_administrator(request.user)


class MesoclinicAdminConfig(AdminConfig):
    default_site = "mesoclinic.accounts.admin_site.MesoclinicAdminSite"
