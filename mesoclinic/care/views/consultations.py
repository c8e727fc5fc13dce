"""Consultation pages: record one (with the live screening decision), read it, justify
relative reasons, and add or view baseline photos."""

import logging

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from mesoclinic.audit.services import Interface
from mesoclinic.care import access, labels, selectors
from mesoclinic.care.forms import ConsultationForm, JustifyForm, PhotoForm, initial_from
from mesoclinic.care.services import screening
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
from mesoclinic.formulary.selectors import ingredient_names
from mesoclinic.patients.selectors import get_patient_for_user

logger = logging.getLogger(__name__)


def _form_context(patient, form, evaluation=None):
    return {
        "patient": patient,
        "form": form,
        "allergies": selectors.standing_allergies(patient),
        "evaluation": evaluation,
        "decision_labels": labels.DECISIONS,
    }


class ConsultationCreateView(ClinicalWriteMixin, View):
    def get(self, request, patient_pk):
        patient = get_patient_for_user(request.user, patient_pk, via=Interface.WEB)
        form = ConsultationForm(
            patient=patient, initial=initial_from(selectors.latest_consultation(patient))
        )
        context = _form_context(patient, form)
        context["refusal"] = refusal(request.user, patient.registered_clinic_id, Step.CONSULTATION)
        return render(request, "care/consultation_form.html", context)

    def post(self, request, patient_pk):
        patient = get_patient_for_user(request.user, patient_pk, via=Interface.WEB, action="")
        form = ConsultationForm(request.POST, patient=patient)
        consultation = submit(
            form,
            lambda _data: screening.record_consultation(
                acting_user=request.user, via=Interface.WEB, patient=patient, data=form.to_input()
            ),
        )
        if consultation is not None:
            messages.success(request, _("Consultation recorded."))
            return redirect("care:consultation", pk=consultation.pk)
        audit_shown(request.user, patient)
        return render(
            request, "care/consultation_form.html", _form_context(patient, form), status=400
        )


class ScreeningPreviewView(ClinicalWriteMixin, View):
    """The engine's decision on the facts typed so far (htmx, on every change). Nothing is
    saved; the read is audited like any other, since the reasons reveal stored allergies and
    patch-test results. Until the three pregnancy questions are answered the card says so,
    rather than "eligible"."""

    def post(self, request, patient_pk):
        patient = get_patient_for_user(request.user, patient_pk, via=Interface.WEB)
        form = ConsultationForm(request.POST, patient=patient)
        form.is_valid()  # partial data is fine: only complete fields are evaluated
        _facts, evaluation = screening.screen(patient, form.preview_input())
        unanswered = [
            form[name].label
            for name in ("pregnant", "breastfeeding", "may_become_pregnant")
            if not request.POST.get(name)
        ]
        return render(
            request,
            "care/_decision.html",
            {
                "evaluation": evaluation,
                "decision_labels": labels.DECISIONS,
                "live": True,
                "unanswered": unanswered,
            },
        )


class ConsultationDetailView(ClinicalReadMixin, View):
    def get(self, request, pk):
        consultation = selectors.get_consultation_for_user(request.user, pk, via=Interface.WEB)
        return no_store(
            render(request, "care/consultation.html", _detail_context(request, consultation))
        )


def _ingredient_names(*code_lists) -> list[list[str]]:
    """Each list of ingredient codes as the formulary's names, in the page's language (one
    query); a code the formulary no longer knows stays as it is."""
    codes = {code for codes in code_lists for code in codes}
    names = ingredient_names(codes)
    return [[names.get(code, code) for code in codes] for codes in code_lists]


def _detail_context(request, consultation, *, justify_form=None, photo_form=None):
    allergies, positive, planned = _ingredient_names(
        consultation.allergies, consultation.positive_patch_tests, consultation.planned_ingredients
    )
    return {
        "allergy_labels": allergies,
        "positive_labels": positive,
        "planned_labels": planned,
        "consultation": consultation,
        "patient": consultation.patient,
        "decision_labels": labels.DECISIONS,
        "indication_label": labels.INDICATIONS.get(
            consultation.indication, consultation.indication
        ),
        "condition_labels": [labels.CONDITIONS.get(c, c) for c in consultation.conditions],
        "medication_labels": [labels.MEDICATIONS.get(m, m) for m in consultation.medications],
        "can_justify": consultation.needs_review and access.can_justify(request.user) is not None,
        "can_record": bool(steps_for(request.user, consultation.clinic_id).get("consultation")),
        "justify_form": justify_form or JustifyForm(),
        "photo_form": photo_form or PhotoForm(),
    }


class JustifyView(ClinicalReadMixin, View):
    def post(self, request, pk):
        consultation = selectors.get_consultation_for_user(
            request.user, pk, via=Interface.WEB, audit=False
        )
        form = JustifyForm(request.POST)
        justified = submit(
            form,
            lambda data: screening.justify(
                acting_user=request.user,
                via=Interface.WEB,
                consultation=consultation,
                note=data["review_note"],
            ),
        )
        if justified is not None:
            messages.success(request, _("Justification recorded."))
            return redirect("care:consultation", pk=consultation.pk)
        audit_shown(request.user, consultation)
        context = _detail_context(request, consultation, justify_form=form)
        return render(request, "care/consultation.html", context, status=400)


class PhotoUploadView(ClinicalWriteMixin, View):
    def post(self, request, pk):
        consultation = selectors.get_consultation_for_user(
            request.user, pk, via=Interface.WEB, audit=False
        )
        form = PhotoForm(request.POST, request.FILES)
        photo = submit(
            form,
            lambda data: screening.add_photo(
                acting_user=request.user,
                via=Interface.WEB,
                consultation=consultation,
                upload=data["photo"],
                label=data["label"],
            ),
        )
        if photo is not None:
            messages.success(request, _("Photo added."))
            return redirect("care:consultation", pk=consultation.pk)
        audit_shown(request.user, consultation)
        context = _detail_context(request, consultation, photo_form=form)
        return render(request, "care/consultation.html", context, status=400)


class PhotoView(ClinicalReadMixin, View):
    """A baseline photo, only through here: access checked, read audited, never cached."""

    def get(self, request, pk):
        photo = selectors.get_photo_for_user(request.user, pk, via=Interface.WEB)
        try:
            handle = photo.file.open("rb")
        except OSError as exc:  # missing, unreadable or a broken disk: never a 500
            logger.warning("photo %s: cannot open its file (%s)", photo.pk, type(exc).__name__)
            raise Http404("The photo file is missing.") from None
        response = FileResponse(handle, content_type=photo.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Disposition"] = "inline"
        return no_store(response)
