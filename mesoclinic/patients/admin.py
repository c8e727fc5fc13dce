from django.contrib import admin
from django.core.exceptions import ValidationError

from mesoclinic.audit.admin_mixins import AuditedModelAdmin
from mesoclinic.audit.services import Interface
from mesoclinic.clinics.models import Clinic
from mesoclinic.patients import services
from mesoclinic.patients.forms import PatientForm
from mesoclinic.patients.models import Enquiry, Patient


class PatientAdminForm(PatientForm):
    """The staff form's field rules, plus the duplicate check, so the admin cannot bypass them."""

    acting_user = None

    class Meta(PatientForm.Meta):
        fields = (*PatientForm.Meta.fields, "registered_clinic")

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            errors = services.duplicate_errors(
                user=self.acting_user,
                via=Interface.ADMIN,
                data=cleaned,
                exclude_pk=self.instance.pk,
            )
            if errors:
                raise ValidationError(errors)
        return cleaned


@admin.register(Patient)
class PatientAdmin(AuditedModelAdmin):
    audit_listing = True
    form = PatientAdminForm
    list_display = ["mrn", "registered_clinic", "created_at"]
    list_filter = ["registered_clinic"]
    search_fields = ["mrn", "=cnic", "=mobile"]
    readonly_fields = ["mrn", "created_at", "updated_at", "created_by"]

    def get_queryset(self, request):
        return Patient.objects.for_user(request.user).select_related("registered_clinic")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "registered_clinic"] if obj else fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "registered_clinic":
            kwargs["queryset"] = Clinic.objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.acting_user = request.user
        return form

    def save_model(self, request, obj, form, change):
        """Through the services, like every other interface (they write the audit row)."""
        data = form.patient_data()
        if change:
            services.update_patient(
                acting_user=request.user, via=Interface.ADMIN, patient=obj, data=data
            )
        else:
            patient = services.register_patient(
                acting_user=request.user,
                via=Interface.ADMIN,
                clinic=form.cleaned_data["registered_clinic"],
                data=data,
            )
            obj.pk, obj.mrn = patient.pk, patient.mrn


@admin.register(Enquiry)
class EnquiryAdmin(AuditedModelAdmin):
    """Administrators may close or re-open requests here; staff use the scoped inbox. What the
    visitor typed is read-only, and a status change goes through the same service as the inbox
    (who handled it, when, and the audit row)."""

    audit_listing = True
    list_display = ["id", "clinic", "status", "created_at"]
    list_filter = ["status", "clinic"]
    fields = [
        "clinic",
        "status",
        "name",
        "mobile",
        "preferred_language",
        "concern",
        "preferred_time",
        "message",
        "created_at",
        "handled_by",
        "handled_at",
    ]
    readonly_fields = [field for field in fields if field != "status"]

    def has_add_permission(self, request):
        return False  # requests come from visitors, through the public clinic page

    def get_queryset(self, request):
        return Enquiry.objects.for_user(request.user).select_related("clinic")

    def save_model(self, request, obj, form, change):
        services.set_enquiry_status(
            acting_user=request.user, via=Interface.ADMIN, enquiry=obj, status=obj.status
        )
