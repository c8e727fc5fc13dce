"""Patch-test pages: apply products at a site, then read the result inside the window."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from mesoclinic.audit.services import Interface
from mesoclinic.care import access, selectors
from mesoclinic.care.forms import PatchTestApplyForm, PatchTestReadForm
from mesoclinic.care.models import PatchTest
from mesoclinic.care.services import patch_tests
from mesoclinic.care.views.common import (
    ClinicalReadMixin,
    ClinicalWriteMixin,
    audit_shown,
    no_store,
    refusal,
    steps_for,
)
from mesoclinic.clinics.credentials import Step
from mesoclinic.core.pages import submit
from mesoclinic.patients.selectors import get_patient_for_user


def _aware(value):
    return timezone.make_aware(value) if value is not None and timezone.is_naive(value) else value


class PatchTestCreateView(ClinicalWriteMixin, View):
    def _render(self, request, patient, form, status=200, refused=()):
        settings = selectors.care_settings(patient.registered_clinic_id)
        context = {
            "patient": patient,
            "form": form,
            "settings": settings,
            "refusal": refused,
            "can_attest": access.can_justify(request.user) is not None,
        }
        return render(request, "care/patch_test_form.html", context, status=status)

    def get(self, request, patient_pk):
        patient = get_patient_for_user(request.user, patient_pk, via=Interface.WEB)
        return self._render(
            request,
            patient,
            PatchTestApplyForm(patient=patient),
            refused=refusal(request.user, patient.registered_clinic_id, Step.PATCH_TEST),
        )

    def post(self, request, patient_pk):
        patient = get_patient_for_user(request.user, patient_pk, via=Interface.WEB, action="")
        form = PatchTestApplyForm(request.POST, patient=patient)
        patch_test = submit(
            form,
            lambda data: patch_tests.apply_patch_test(
                acting_user=request.user,
                via=Interface.WEB,
                patient=patient,
                lots=data["lots"],
                site=data["site"],
                site_note=data["site_note"],
                applied_at=_aware(data["applied_at"]),
                backdate_reason=data["backdate_reason"],
            ),
        )
        if patch_test is not None:
            messages.success(request, _("Patch test applied."))
            return redirect("care:patch_test", pk=patch_test.pk)
        audit_shown(request.user, patient)
        return self._render(request, patient, form, status=400)


def _detail(request, patch_test, form=None, status=200):
    opens, closes = patch_tests.window_of(patch_test)
    now = timezone.now()
    context = {
        "patch_test": patch_test,
        "patient": patch_test.patient,
        "opens": opens,
        "closes": closes,
        "window_state": "before" if now < opens else "open" if now <= closes else "closed",
        "form": form or PatchTestReadForm(),
        "can_read": patch_test.result == PatchTest.Result.PENDING
        and bool(steps_for(request.user, patch_test.clinic_id).get("patch_test")),
    }
    return no_store(render(request, "care/patch_test.html", context, status=status))


class PatchTestDetailView(ClinicalReadMixin, View):
    def get(self, request, pk):
        patch_test = selectors.get_patch_test_for_user(request.user, pk, via=Interface.WEB)
        return _detail(request, patch_test)


class PatchTestReadView(ClinicalWriteMixin, View):
    def post(self, request, pk):
        patch_test = selectors.get_patch_test_for_user(
            request.user, pk, via=Interface.WEB, audit=False
        )
        form = PatchTestReadForm(request.POST)
        read = submit(
            form,
            lambda data: patch_tests.read_patch_test(
                acting_user=request.user,
                via=Interface.WEB,
                patch_test=patch_test,
                result=data["result"],
                reaction=data["reaction"],
                read_at=_aware(data["read_at"]),
            ),
        )
        if read is not None:
            messages.success(request, _("Reading recorded."))
            return redirect("care:patch_test", pk=patch_test.pk)
        audit_shown(request.user, patch_test)
        return _detail(request, patch_test, form, status=400)
