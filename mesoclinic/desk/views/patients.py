"""The patient page and the appointment-requests inbox: desk pages, because each shows another
app's records beside the patient's. The patient page carries care's panel (consultations,
courses, consents); the inbox names each request's concern in the guide's words. Patients
stands below care and the guide, so these pages live here; `mesoclinic.patients.views` keeps
the pages that read and write patients alone."""

from django.shortcuts import render
from django.views import View

from mesoclinic.accounts.access import StaffRequiredMixin
from mesoclinic.accounts.roles import is_administrator
from mesoclinic.aftercare.panel import aftercare_panel
from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.care.selectors import care_panel
from mesoclinic.core.pages import keyset_cursor
from mesoclinic.desk.views.messages import shows_bodies
from mesoclinic.guide.models import Concern
from mesoclinic.patients import selectors
from mesoclinic.patients.contacts import STAFF_METHODS, contact_panel
from mesoclinic.patients.models import Enquiry

#: The newest messages the patient page shows; the rest are a link away.
PATIENT_PAGE_MESSAGES = 10


class PatientDetailView(StaffRequiredMixin, View):
    def get(self, request, pk):
        patient = selectors.get_patient_for_user(request.user, pk, via=Interface.WEB)
        context = {
            "patient": patient,
            "care": care_panel(request.user, patient),
            "aftercare": aftercare_panel(request.user, patient),
            # Consent to be contacted (patients/_contact_consents.html).
            "contacts": contact_panel(patient),
            "contact_methods": STAFF_METHODS,
            "show_bodies": shows_bodies(request.user),
            "message_log": selectors.patient_message_page(
                request.user, patient_id=patient.pk, size=PATIENT_PAGE_MESSAGES
            ),
            # Archiving and restoring (patients.services.archive_patient): administrators only.
            "can_archive": is_administrator(request.user),
        }
        return render(request, "desk/patient.html", context)


class EnquiryListView(StaffRequiredMixin, View):
    """The inbox of appointment requests sent from the public clinic pages."""

    def get(self, request):
        status = request.GET.get("status", "new")
        if status not in {*Enquiry.Status.values, ""}:
            status = "new"
        page = selectors.enquiry_page(
            request.user, status=status, before=keyset_cursor(request.GET.get("before"))
        )
        record_event(
            actor=request.user,
            action=Action.LIST,
            via=Interface.WEB,
            object_type=Enquiry._meta.label_lower,
            detail={"results": len(page.enquiries), "status": status or "all"},
        )
        context = {
            "page": page,
            "status": status,
            "statuses": Enquiry.Status.choices,
            "concerns": {concern.code: concern.label for concern in Concern.objects.all()},
        }
        return render(request, "desk/enquiries.html", context)
