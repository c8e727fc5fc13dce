from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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


class ArchiveActionForm(ActionForm):
    """The action bar with a reason beside it: archiving needs one."""

    reason = forms.CharField(label=_("Reason (to archive)"), max_length=500, required=False)


class ArchivedFilter(admin.SimpleListFilter):
    title = _("archived")
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("no", _("In use")), ("yes", _("Archived"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(archived_at__isnull=self.value() == "no")
        return queryset


@admin.register(Patient)
class PatientAdmin(AuditedModelAdmin):
    """Patients are never deleted here (no delete page, no "delete selected"): an
    administrator archives them with a reason, or restores them, through the services."""

    audit_listing = True
    form = PatientAdminForm
    action_form = ArchiveActionForm
    actions = ["archive", "restore"]
    list_display = ["mrn", "registered_clinic", "created_at", "archived_at"]
    list_filter = [ArchivedFilter, "registered_clinic"]
    search_fields = ["mrn", "=cnic", "=mobile"]
    readonly_fields = [
        "mrn",
        "created_at",
        "updated_at",
        "created_by",
        "archived_at",
        "archived_by",
        "archive_reason",
    ]

    def get_queryset(self, request):
        # Archived patients too: this is where an administrator finds them to restore.
        return Patient.objects.for_user(request.user, archived=True).select_related(
            "registered_clinic"
        )

    @admin.action(description=_("Archive the selected patients (a reason is required)"))
    def archive(self, request, queryset):
        self._each(request, queryset, archive=True)

    @admin.action(description=_("Restore the selected archived patients"))
    def restore(self, request, queryset):
        self._each(request, queryset, archive=False)

    def _each(self, request, queryset, *, archive: bool):
        reason = request.POST.get("reason", "")
        if archive and not reason.strip():
            self.message_user(request, _("Say why the patients are archived."), messages.ERROR)
            return
        done = 0
        for patient in queryset:
            try:
                if archive:
                    services.archive_patient(
                        acting_user=request.user,
                        via=Interface.ADMIN,
                        patient=patient,
                        reason=reason,
                    )
                else:
                    services.restore_patient(
                        acting_user=request.user, via=Interface.ADMIN, patient=patient
                    )
            except PermissionDenied:
                self.message_user(
                    request, _("Only administrators archive and restore patients."), messages.ERROR
                )
                return
            except ValidationError as refused:
                self.message_user(
                    request, f"{patient}: {' '.join(refused.messages)}", messages.WARNING
                )
            else:
                done += 1
        if done:
            self.message_user(
                request,
                (
                    ngettext("%(count)d patient archived.", "%(count)d patients archived.", done)
                    if archive
                    else ngettext(
                        "%(count)d patient restored.", "%(count)d patients restored.", done
                    )
                )
                % {"count": done},
                messages.SUCCESS,
            )

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
