from django.contrib import admin

from mesoclinic.audit.admin_mixins import AuditedModelAdmin
from mesoclinic.clinics import services
from mesoclinic.clinics.forms import ClinicForm
from mesoclinic.clinics.models import Clinic, Membership, OpeningHours, Practitioner, Room, Service


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Clinic)
class ClinicAdmin(AuditedModelAdmin):
    form = ClinicForm
    list_display = ["name", "city", "phone", "is_active"]
    list_filter = ["city", "is_active"]
    search_fields = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["services"]
    inlines = [OpeningHoursInline, RoomInline, MembershipInline]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_ur"]


@admin.register(Practitioner)
class PractitionerAdmin(AuditedModelAdmin):
    list_display = [
        "__str__",
        "qualification",
        "registration_number",
        "registration_expires_on",
        "is_credentialed",
    ]
    list_filter = ["qualification"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "registration_number"]
    autocomplete_fields = ["user"]
    readonly_fields = ["verified_at", "verified_by", "verification_evidence"]
    actions = ["verify_selected"]

    @admin.display(boolean=True, description="credentialed")
    def is_credentialed(self, obj):
        return obj.is_credentialed

    def save_model(self, request, obj, form, change):
        obj.registration_number = services.normalize_registration_number(obj.registration_number)
        super().save_model(request, obj, form, change)

    @admin.action(
        description="Mark registration verified (record evidence on the practitioner page)"
    )
    def verify_selected(self, request, queryset):
        for practitioner in queryset:
            services.verify_practitioner(
                acting_user=request.user,
                via="admin",
                practitioner=practitioner,
                evidence="Verified in the admin against the PMDC register.",
            )
