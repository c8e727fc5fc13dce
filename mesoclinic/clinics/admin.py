from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model

from mesoclinic.accounts.admin import AuditedUserAdmin
from mesoclinic.audit.admin_mixins import AuditedModelAdmin
from mesoclinic.audit.services import Interface
from mesoclinic.clinics import services
from mesoclinic.clinics.credentials import normalize_registration_number, registering_body
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


class PractitionerAdminForm(forms.ModelForm):
    """Registration numbers are normalized before the uniqueness check, and a verification is
    recorded only with the evidence the verifier typed."""

    verify_now = forms.BooleanField(
        required=False,
        label="Verify the registration as entered",
        help_text=(
            "Tick after checking the number and expiry against the council's register: PMDC for "
            "doctors and dentists, PNMC for nurses and midwives."
        ),
    )
    evidence = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What you checked, e.g. 'PNMC online register, 24 Nov 2026'.",
    )

    class Meta:
        model = Practitioner
        fields = ["user", "qualification", "registration_number", "registration_expires_on"]

    def clean_registration_number(self):
        return normalize_registration_number(self.cleaned_data["registration_number"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("verify_now"):
            if not (cleaned.get("evidence") or "").strip():
                self.add_error("evidence", "Say what you checked the registration against.")
            if not cleaned.get("registration_number") or not cleaned.get("registration_expires_on"):
                self.add_error(
                    "verify_now", "Enter the registration number and its expiry before verifying."
                )
        # The number is unique per council, a field the form does not show (it follows the
        # qualification), so the model's own check would skip it: checked here.
        body = registering_body(cleaned.get("qualification") or "")
        number = cleaned.get("registration_number")
        if (
            number
            and Practitioner.objects.filter(
                registering_body=body.value if body else "", registration_number=number
            )
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error(
                "registration_number",
                "Another practitioner already has this registration number at this council.",
            )
        return cleaned


@admin.register(Practitioner)
class PractitionerAdmin(AuditedModelAdmin):
    form = PractitionerAdminForm
    list_display = [
        "__str__",
        "qualification",
        "registering_body",
        "registration_number",
        "registration_expires_on",
        "is_credentialed",
    ]
    list_filter = ["qualification"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "registration_number"]
    autocomplete_fields = ["user"]
    readonly_fields = ["registering_body", "verified_at", "verified_by", "verification_evidence"]
    fields = [
        "user",
        "qualification",
        "registering_body",
        "registration_number",
        "registration_expires_on",
        "verified_at",
        "verified_by",
        "verification_evidence",
        "verify_now",
        "evidence",
    ]

    @admin.display(boolean=True, description="credentialed")
    def is_credentialed(self, obj):
        return obj.is_credentialed

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("verify_now"):
            services.verify_practitioner(
                acting_user=request.user,
                via=Interface.ADMIN,
                practitioner=obj,
                evidence=form.cleaned_data["evidence"],
            )


class UserMembershipInline(admin.TabularInline):
    """The clinics a person works at: what scopes the patients they see."""

    model = Membership
    fk_name = "user"
    extra = 0


@admin.register(get_user_model())
class ClinicUserAdmin(AuditedUserAdmin):
    """Users with their roles and the clinics they work at; granting either is audited. It
    lives here, not in accounts, because memberships are the clinics' (accounts sits below)."""

    inlines = [UserMembershipInline]
    list_filter = [*AuditedUserAdmin.list_filter, "memberships__clinic"]
