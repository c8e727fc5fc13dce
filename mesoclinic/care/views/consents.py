"""Consent pages: read the current text with the patient in English or Urdu, sign on the
screen, and download the printed copy."""

import logging

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from mesoclinic.audit.services import Interface
from mesoclinic.care import access, consent_plan, labels, pdf, selectors, signature
from mesoclinic.care.forms import ConsentForm
from mesoclinic.care.services import consents
from mesoclinic.care.views.common import ConsentMixin, audit_shown, no_store, pdf_unavailable
from mesoclinic.care.vocabulary import PROCEDURE_FOR_INDICATION
from mesoclinic.core.encrypted_storage import UndecryptableFile
from mesoclinic.core.pages import submit
from mesoclinic.patients.selectors import get_patient_for_user

logger = logging.getLogger(__name__)


class ConsentCreateView(ConsentMixin, View):
    def _context(self, patient, form):
        consultation = selectors.latest_consultation(patient)
        course = selectors.consent_course(consultation)
        blockers = consents.consent_blockers(consultation, course)
        text, plan, digest = None, {}, ""
        if not blockers:
            procedure = PROCEDURE_FOR_INDICATION[consultation.indication]
            text = selectors.current_consent_text(procedure)
            blockers = consents.text_blockers(text)
            if blockers:
                text = None
            else:
                plan, digest = consents.plan_to_consent(course)
        return {
            "patient": patient,
            "form": form,
            # Below it a parent or guardian signs: the clinic's adult age (the same one that
            # sends a minor's screening to a dermatologist).
            "adult_age": selectors.adult_age(patient.registered_clinic_id),
            "consultation": consultation,
            "course": course,
            "plan_digest": digest,
            "blockers": blockers,
            "text": text,
            "body_en": text and consent_plan.fill(text.body_en, plan, "en"),
            "body_ur": text and consent_plan.fill(text.body_ur, plan, "ur"),
            "procedure_label": text and labels.PROCEDURES[text.procedure],
            "pad": {"width": signature.WIDTH, "height": signature.HEIGHT},
            "can_witness": access.can_witness_consent(self.request.user),
        }

    def get(self, request, patient_pk):
        patient = get_patient_for_user(request.user, patient_pk, via=Interface.WEB)
        context = self._context(patient, None)
        consultation = context["consultation"]
        context["form"] = ConsentForm(
            adult_age=context["adult_age"],
            initial={
                "language": patient.preferred_language,
                "consultation": consultation.pk if consultation else None,
                "plan": context["plan_digest"],
            },
        )
        return render(request, "care/consent_form.html", context)

    def post(self, request, patient_pk):
        patient = get_patient_for_user(request.user, patient_pk, via=Interface.WEB, action="")
        context = self._context(patient, None)
        form = context["form"] = ConsentForm(request.POST, adult_age=context["adult_age"])
        consent = None
        if context["text"] is not None:
            consent = submit(
                form,
                lambda data: consents.sign_consent(
                    acting_user=request.user,
                    via=Interface.WEB,
                    patient=patient,
                    text=context["text"],
                    language=data["language"],
                    signer_name=data["signer_name"],
                    signature_data=data["signature"],
                    photo_consent=data["photo_consent"] == "yes",
                    consultation_id=data["consultation"],
                    plan_digest=data["plan"] or None,
                    signer_relation=data["signer_relation"],
                ),
            )
        if consent is not None:
            messages.success(request, _("Consent signed."))
            return redirect("care:consent", pk=consent.pk)
        audit_shown(request.user, patient)
        return render(request, "care/consent_form.html", context, status=400)


class ConsentDetailView(ConsentMixin, View):
    def get(self, request, pk):
        consent = selectors.get_consent_for_user(request.user, pk, via=Interface.WEB)
        strokes = signature.parse(consent.signature)
        context = {
            "consent": consent,
            "patient": consent.patient,
            "procedure_label": labels.PROCEDURES[consent.text.procedure],
            "signature_path": signature.svg_path(strokes),
            "pad": {"width": signature.WIDTH, "height": signature.HEIGHT},
        }
        return no_store(render(request, "care/consent.html", context))


class ConsentPdfView(ConsentMixin, View):
    """The stored PDF copy (printed again if the first printing failed or the file is gone),
    audited, not cached. A printer that cannot print answers 503: try again later."""

    def get(self, request, pk):
        consent = selectors.get_consent_for_user(request.user, pk, via=Interface.WEB)
        try:
            handle = consent.pdf.open("rb") if consent.pdf else None
        except FileNotFoundError:
            logger.warning("consent %s: PDF file missing, printing it again", consent.pk)
            consents.forget_missing_pdf(
                acting_user=request.user, via=Interface.WEB, consent=consent
            )
            handle = None
        except UndecryptableFile:
            # The signed copy is there but will not decrypt (a key missing from
            # MESOCLINIC_FILES_KEYS, or the file altered): never print over it; say so.
            logger.error("consent %s: stored PDF cannot be decrypted", consent.pk)
            return pdf_unavailable(request)
        if handle is None:
            try:
                consents.store_pdf(consent, acting_user=request.user, via=Interface.WEB)
                handle = consent.pdf.open("rb")
            except (pdf.PdfUnavailable, OSError):
                return pdf_unavailable(request)
        response = FileResponse(
            handle,
            content_type="application/pdf",
            filename=f"consent-{consent.patient.mrn}-{consent.pk}.pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return no_store(response)
