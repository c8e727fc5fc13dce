"""Staff pages for patients. Thin: validate with the form, read through selectors, write through
services. Every page goes through `Patient.objects.for_user` via the selectors.

The patient page and the enquiries inbox show other apps' records (care's panel, the guide's
concerns), so they are desk pages (`mesoclinic.desk.views.patients`); their URLs keep the
`patients:` names."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from mesoclinic.accounts.access import StaffRequiredMixin
from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.clinics.selectors import clinics_for_user
from mesoclinic.core.pages import keyset_cursor, refuse_with_messages, submit
from mesoclinic.patients import selectors, services
from mesoclinic.patients.forms import PatientForm
from mesoclinic.patients.models import Enquiry, Patient


class PatientListView(StaffRequiredMixin, View):
    """List and search. With htmx, only the results table is returned as the user types."""

    def get(self, request):
        query = request.GET.get("q", "")[:100]
        clinic = request.GET.get("clinic", "")[:80]
        page = selectors.patient_page(
            request.user,
            query=query,
            clinic=clinic,
            before=keyset_cursor(request.GET.get("before")),
        )
        # The search is audited as a listing with its result count; the terms are never stored.
        record_event(
            actor=request.user,
            action=Action.LIST,
            via=Interface.WEB,
            object_type=Patient._meta.label_lower,
            detail={"results": len(page.patients), "search": page.kind},
        )
        context = {"page": page, "query": query, "clinic": clinic}
        if request.htmx:
            return render(request, "patients/_results.html", context)
        context["clinics"] = clinics_for_user(request.user).only("slug", "name")
        return render(request, "patients/list.html", context)


class PatientCreateView(StaffRequiredMixin, View):
    def get(self, request):
        form = PatientForm(clinics=clinics_for_user(request.user))
        return render(request, "patients/form.html", {"form": form, "creating": True})

    def post(self, request):
        form = PatientForm(request.POST, clinics=clinics_for_user(request.user))
        patient = submit(
            form,
            lambda data: services.register_patient(
                acting_user=request.user,
                via=Interface.WEB,
                clinic=data["registered_clinic"],
                data=form.patient_data(),
                opt_in_channels=data.get("opt_in_channels", ()),
            ),
        )
        if patient is not None:
            messages.success(request, _("Registered %(mrn)s.") % {"mrn": patient.mrn})
            return redirect("patients:detail", pk=patient.pk)
        return render(request, "patients/form.html", {"form": form, "creating": True}, status=400)


class PatientUpdateView(StaffRequiredMixin, View):
    def get(self, request, pk):
        patient = selectors.get_patient_for_user(request.user, pk, via=Interface.WEB)
        form = PatientForm(instance=patient)
        return render(request, "patients/form.html", {"form": form, "patient": patient})

    def post(self, request, pk):
        patient = selectors.get_patient_for_user(request.user, pk, via=Interface.WEB, action="")
        form = PatientForm(request.POST, instance=patient)
        changed = submit(
            form,
            lambda data: services.update_patient(
                acting_user=request.user,
                via=Interface.WEB,
                patient=patient,
                data=form.patient_data(),
            ),
        )
        if changed is not None:
            if changed:
                messages.success(request, _("Saved."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("patients:detail", pk=patient.pk)
        return render(request, "patients/form.html", {"form": form, "patient": patient}, status=400)


class PatientArchiveView(StaffRequiredMixin, View):
    """Archive a patient (with a reason) or restore one, from the patient page. The service
    lets administrators only (403 to anyone else); clinic staff never reach an archived
    patient at all (404)."""

    def post(self, request, pk):
        patient = selectors.get_patient_for_user(request.user, pk, via=Interface.WEB, action="")
        restoring = request.POST.get("action") == "restore"
        try:
            if restoring:
                services.restore_patient(
                    acting_user=request.user, via=Interface.WEB, patient=patient
                )
            else:
                services.archive_patient(
                    acting_user=request.user,
                    via=Interface.WEB,
                    patient=patient,
                    reason=request.POST.get("reason", ""),
                )
        except ValidationError as refused:
            refuse_with_messages(request, refused)
        else:
            messages.success(request, _("Restored.") if restoring else _("Archived."))
        return redirect("patients:detail", pk=patient.pk)


class EnquiryStatusView(StaffRequiredMixin, View):
    def post(self, request, pk):
        enquiry = selectors.get_enquiry_for_user(request.user, pk, via=Interface.WEB)
        status = request.POST.get("status", "")
        if status not in Enquiry.Status.values:
            messages.error(request, _("Choose a status from the list."))
        else:
            services.set_enquiry_status(
                acting_user=request.user, via=Interface.WEB, enquiry=enquiry, status=status
            )
            messages.success(
                request,
                _("Enquiry #%(id)s marked %(status)s.")
                % {"id": enquiry.pk, "status": enquiry.get_status_display()},
            )
        back = request.POST.get("back", "new")
        back = back if back in {*Enquiry.Status.values, ""} else "new"
        return redirect(f"{reverse('patients:enquiries')}?status={back}")
