"""Retracting an allergy recorded in error: a credentialed dermatologist's page (the patient
page's pathway carries the same form inline). The role decides the page (practitioners),
scoping the row (404 for another clinic's), and the service who may retract (403)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from mesoclinic.audit.services import Interface
from mesoclinic.care import access, selectors
from mesoclinic.care.forms import AllergyRetractForm
from mesoclinic.care.services import allergies
from mesoclinic.care.views.common import ClinicalWriteMixin, audit_shown, no_store
from mesoclinic.core.pages import submit


class AllergyRetractView(ClinicalWriteMixin, View):
    def _allergy(self, request, pk):
        allergy = selectors.get_allergy_for_user(request.user, pk, via=Interface.WEB, audit=False)
        if access.can_retract_allergy(request.user) is None:
            raise PermissionDenied
        return allergy

    def _render(self, request, allergy, form, status=200):
        audit_shown(request.user, allergy, clinic_id=allergy.patient.registered_clinic_id)
        context = {"allergy": allergy, "patient": allergy.patient, "form": form}
        return no_store(render(request, "care/allergy_retract.html", context, status=status))

    def get(self, request, pk):
        allergy = self._allergy(request, pk)
        return self._render(request, allergy, AllergyRetractForm())

    def post(self, request, pk):
        allergy = self._allergy(request, pk)
        form = AllergyRetractForm(request.POST)
        retracted = submit(
            form,
            lambda data: allergies.retract_allergy(
                acting_user=request.user,
                via=Interface.WEB,
                allergy=allergy,
                reason=data["reason"],
            ),
        )
        if retracted is None:
            return self._render(request, allergy, form, status=400)
        messages.success(
            request,
            _(
                "Allergy retracted. Screenings from now on no longer see it: record a new "
                "consultation before the next treatment."
            ),
        )
        if retracted.patch_test_id:
            messages.warning(
                request,
                _(
                    "This allergy came from positive patch test %(number)s. The patch test "
                    "stays on record, and screenings still see its positive result."
                )
                % {"number": retracted.patch_test_id},
            )
        return redirect(reverse("patients:detail", args=[allergy.patient_id]) + "#care")
