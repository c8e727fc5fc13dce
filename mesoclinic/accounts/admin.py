from django.contrib import admin

from mesoclinic.accounts.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "name", "prefix"]
    readonly_fields = ["prefix", "created_at"]
    fields = ["user", "name", "prefix", "created_at", "revoked_at"]

    def has_add_permission(self, request):
        # Keys are shown once; issue them with `manage.py create_api_token USERNAME`.
        return False
