"""Signing a consent, and its PDF copy.

A consent is given against the patient's latest screening, for the procedure of its
indication, on the current published text. The signature is checked (an empty pad is refused)
before anything is written; the PDF is printed after the row is committed, so a printer failure
never loses a signature: the download view prints it again when the copy is missing.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mesoclinic.audit.services import Action, record_event
from mesoclinic.care import access, labels, pdf, rules, selectors, signature
from mesoclinic.care.models import Consent, ConsentText
from mesoclinic.care.services.screening import _locked_patient
from mesoclinic.care.storage import private_storage, random_name, sha256_of
from mesoclinic.care.vocabulary import PROCEDURE_FOR_INDICATION

logger = logging.getLogger(__name__)


SIGNATURE_ERRORS = {
    "empty": lambda: _("Please sign in the box."),
    "unreadable": lambda: _("The signature could not be read; please clear it and sign again."),
    "too_long": lambda: _("The signature is too long; please clear it and sign again."),
    "too_small": lambda: _("That is too small to be a signature; please sign across the box."),
}


def consent_blockers(consultation) -> list[str]:
    """Why no consent can be taken on this screening (empty when it can)."""
    if consultation is None:
        return [_("Record a consultation first: consent is given on a screening.")]
    if consultation.decision == rules.Decision.CONTRAINDICATED:
        return [_("The latest screening found a contraindication: treatment cannot go ahead.")]
    return []


def sign_consent(
    *,
    acting_user,
    via: str,
    patient,
    text: ConsentText,
    language: str,
    signer_name: str,
    signature_data,
    photo_consent: bool,
) -> Consent:
    """Store the signed, witnessed consent and print its PDF. `signature_data` is the pad's
    JSON (strokes); an empty or unreadable signature is refused with the reason."""
    if not access.can_witness_consent(acting_user):
        raise PermissionDenied
    errors: dict[str, list] = {}
    try:
        strokes = signature.parse(signature_data or "")
    except signature.InvalidSignature as exc:
        errors["signature"] = [SIGNATURE_ERRORS[exc.code]()]
    if not signer_name.strip():
        errors["signer_name"] = [_("The patient types their name.")]
    if language not in Consent.Language.values:
        errors["language"] = [_("Choose the language the patient read.")]
    with transaction.atomic():
        patient = _locked_patient(acting_user, patient)
        consultation = selectors.latest_consultation(patient)
        if blockers := consent_blockers(consultation):
            errors["__all__"] = blockers
        else:
            procedure = PROCEDURE_FOR_INDICATION[consultation.indication]
            current = selectors.current_consent_text(procedure)
            if current is None or current.pk != text.pk:
                errors["text"] = [
                    _("The consent text has changed: read the current version with the patient.")
                ]
        if errors:
            raise ValidationError(errors)
        consent = Consent.objects.create(
            patient=patient,
            clinic_id=patient.registered_clinic_id,
            consultation=consultation,
            text=text,
            language=language,
            signer_name=signer_name.strip()[:160],
            signature=signature.as_json(strokes),
            photo_consent=photo_consent,
            witness=acting_user,
            signed_at=timezone.now(),
        )
        record_event(actor=acting_user, action=Action.CREATE, via=via, instance=consent)
    try:
        store_pdf(consent)
    except pdf.PdfUnavailable as exc:
        logger.warning("consent %s PDF not printed: %s", consent.pk, exc)
    return consent


def consent_html(consent: Consent) -> str:
    strokes = signature.parse(consent.signature)
    with translation.override("en"):
        procedure = str(labels.PROCEDURES[consent.text.procedure])
    return render_to_string(
        "care/consent_pdf.html",
        {
            "consent": consent,
            "patient": consent.patient,
            "text": consent.text,
            "procedure": procedure,
            "signature_path": signature.svg_path(strokes),
            "signature_box": f"0 0 {signature.WIDTH} {signature.HEIGHT}",
            "font": pdf.nastaliq_data_uri(),
        },
    )


def store_pdf(consent: Consent) -> Consent:
    """Print the consent and keep the file and its checksum on the row."""
    data = pdf.print_pdf(consent_html(consent))
    name = private_storage().save(random_name("consents", "pdf"), ContentFile(data))
    Consent.objects.filter(pk=consent.pk).update(pdf=name, pdf_sha256=sha256_of(data))
    consent.pdf.name, consent.pdf_sha256 = name, sha256_of(data)
    return consent
