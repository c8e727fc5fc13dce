"""Consent pages: read the current text with the patient in English or Urdu, sign on the
screen, and download the printed copy."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from mesoclinic.audit.services import Interface
from mesoclinic.care import access, labels, pdf, selectors, signature
from mesoclinic.care.forms import ConsentForm
from mesoclinic.care.services import consents
from mesoclinic.care.views.common import ConsentMixin, no_store
from mesoclinic.care.vocabulary import PROCEDURE_FOR_INDICATION
from mesoclinic.core.pages import add_service_errors
from mesoclinic.patients.selectors import get_patient_for_user


class ConsentCreateView(ConsentMixin, View):
    def _context(self, patient, form):
        consultation = selectors.latest_consultation(patient)
        blockers = consents.consent_blockers(consultation)
        text = None
        if not blockers:
            procedure = PROCEDURE_FOR_INDICATION[consultation.indication]
            text = selectors.current_consent_text(procedure)
            if text is None:
                blockers = [_("No consent text is published for this procedure.")]
        return {
            "patient": patient,
            "form": form,
            "consultation": consultation,
            "blockers": blockers,
            "text": text,
            "procedure_label": text and labels.PROCEDURES[text.procedure],
            "pad": {"width": signature.WIDTH, "height": signature.HEIGHT},
            "can_witness": access.can_witness_consent(self.request.user),
        }

    def get(self, request, patient_pk):
        patient = get_patient_for_user(request.user, patient_pk, via=Interface.WEB)
        initial = {"language": patient.preferred_language}
        return render(
            request, "care/consent_form.html", self._context(patient, ConsentForm(initial=initial))
        )

    def post(self, request, patient_pk):
        patient = get_patient_for_user(request.user, patient_pk, via=Interface.WEB, action="")
        form = ConsentForm(request.POST)
        context = self._context(patient, form)
        if form.is_valid() and context["text"] is not None:
            try:
                consent = consents.sign_consent(
                    acting_user=request.user,
                    via=Interface.WEB,
                    patient=patient,
                    text=context["text"],
                    language=form.cleaned_data["language"],
                    signer_name=form.cleaned_data["signer_name"],
                    signature_data=form.cleaned_data["signature"],
                    photo_consent=form.cleaned_data["photo_consent"] == "yes",
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Consent signed."))
                return redirect("care:consent", pk=consent.pk)
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
    """The stored PDF copy (printed again if the first printing failed), audited, not cached."""

    def get(self, request, pk):
        consent = selectors.get_consent_for_user(request.user, pk, via=Interface.WEB)
        if not consent.pdf:
            try:
                consents.store_pdf(consent)
            except pdf.PdfUnavailable:
                raise Http404(_("The PDF copy could not be printed; try again later.")) from None
        response = FileResponse(
            consent.pdf.open("rb"),
            content_type="application/pdf",
            filename=f"consent-{consent.patient.mrn}-{consent.pk}.pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return no_store(response)
