"""Signing a consent, and its PDF copy.

A consent is given against the patient's latest screening, for the procedure of its
indication, on the current published text, and on the patient's planned course for that
indication: the text names the plan's products, number of sessions and interval, and the
consent keeps them with their fingerprint (`care.consent_plan`). So the pathway is screen,
patch test, plan, consent, session; changing the plan's products, sessions or interval ends
the consent (`end_consents_on_plan_change`, called by `services.courses.update_course`).

The signature is checked (an empty pad is refused) before anything is written; the PDF is
printed by the background worker (`print_consent_pdf`, queued once the row is committed), so
Chromium never runs in the web request and a printer failure never loses a signature: the
download view prints it when the copy is still missing. The task lives here, beside the
service that queues it and the one it runs (a `care.tasks` module would import this one and be
imported by it: the no-circles contract).
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mesoclinic.audit.services import Action, Interface, record_event, save_audited
from mesoclinic.care import access, consent_plan, labels, pdf, rules, selectors, signature
from mesoclinic.care.models import Consent, ConsentText, Course
from mesoclinic.care.models.consents import PLAN_CHANGED
from mesoclinic.care.services.patient_lock import locked_patient as _locked_patient
from mesoclinic.care.services.screening import invalidate_consents
from mesoclinic.care.storage import private_storage, random_name, sha256_of
from mesoclinic.care.vocabulary import PROCEDURE_FOR_INDICATION

logger = logging.getLogger(__name__)


SIGNATURE_ERRORS = {
    "empty": lambda: _("Please sign in the box."),
    "unreadable": lambda: _("The signature could not be read; please clear it and sign again."),
    "too_long": lambda: _("The signature is too long; please clear it and sign again."),
    "too_small": lambda: _("That is too small to be a signature; please sign across the box."),
}


def consent_blockers(consultation, course=None) -> list[str]:
    """Why no consent can be taken on this screening and course (empty when it can): the
    consent names the plan, so the course is planned first."""
    if consultation is None:
        return [_("Record a consultation first: consent is given on a screening.")]
    if consultation.decision == rules.Decision.CONTRAINDICATED:
        return [_("The latest screening found a contraindication: treatment cannot go ahead.")]
    if selectors.screening_outdated(consultation):
        return [
            _(
                "An allergy or a positive patch test was recorded after the latest screening: "
                "record a new consultation first."
            )
        ]
    if course is None:
        return [
            _(
                "Plan the course first: the consent names its products, number of sessions "
                "and interval."
            )
        ]
    return []


def text_blockers(text: ConsentText | None) -> list[str]:
    """Why this text cannot be signed on a plan (empty when it can)."""
    if text is None:
        return [_("No consent text is published for this procedure.")]
    if text.missing_placeholders:
        return [
            _(
                "The published consent text does not name the plan (its products, number of "
                "sessions and interval): publish a version that does."
            )
        ]
    return []


def plan_to_consent(course: Course) -> tuple[dict, str]:
    """The plan the consent names and its fingerprint."""
    plan = selectors.plan_for_consent(course)
    return plan, consent_plan.digest(plan)


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
    consultation_id: int | None = None,
    plan_digest: str | None = None,
    signer_relation: str = "",
) -> Consent:
    """Store the signed, witnessed consent on the planned course and print its PDF once
    committed.

    `signature_data` is the pad's JSON (strokes); an empty or unreadable signature is refused.
    `consultation_id` is the screening the page showed and `plan_digest` the plan it showed:
    if a newer screening was recorded or the plan changed meanwhile, the patient has not
    consented on it and the consent is refused. A patient under the clinic's adult age (the
    same age below which their screening needs a dermatologist's review,
    `selectors.adult_age`) is signed for by a parent or guardian, whose relation is required.
    """
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
        adult_age = selectors.adult_age(patient.registered_clinic_id)
        if patient.age < adult_age and not signer_relation.strip():
            errors["signer_relation"] = [
                _("The patient is under %(age)s: a parent or guardian signs; give their relation.")
                % {"age": adult_age}
            ]
        consultation = selectors.latest_consultation(patient)
        course = selectors.consent_course(consultation)
        if course is not None:
            # Locked: a plan change waits for the signature, and sees it (and ends it).
            course = Course.objects.select_for_update().get(pk=course.pk)
        plan, digest = plan_to_consent(course) if course is not None else ({}, "")
        if blockers := consent_blockers(consultation, course):
            errors["__all__"] = blockers
        elif consultation_id is not None and consultation.pk != consultation_id:
            errors["__all__"] = [
                _("A newer consultation was recorded: read the consent again with the patient.")
            ]
        elif plan_digest is not None and plan_digest != digest:
            errors["__all__"] = [
                _("The plan has changed: read the consent again with the patient.")
            ]
        else:
            procedure = PROCEDURE_FOR_INDICATION[consultation.indication]
            current = selectors.current_consent_text(procedure)
            if current is None or current.pk != text.pk:
                errors["text"] = [
                    _("The consent text has changed: read the current version with the patient.")
                ]
            elif blockers := text_blockers(current):
                errors["text"] = blockers
            elif standing := Consent.objects.filter(
                Q(consultation=consultation, text=text) | Q(course=course),
                invalidated_at__isnull=True,
            ).first():
                errors["__all__"] = [
                    _("This consent is already signed (consent %(number)s).")
                    % {"number": standing.pk}
                ]
        if errors:
            raise ValidationError(errors)
        consent = Consent.objects.create(
            patient=patient,
            clinic_id=patient.registered_clinic_id,
            consultation=consultation,
            text=text,
            course=course,
            plan=plan,
            plan_digest=digest,
            language=language,
            signer_name=signer_name.strip()[:160],
            signer_relation=signer_relation.strip()[:60],
            signature=signature.as_json(strokes),
            photo_consent=photo_consent,
            witness=acting_user,
            signed_at=timezone.now(),
        )
        record_event(actor=acting_user, action=Action.CREATE, via=via, instance=consent)
        # Printed by the worker once the consent is committed, never inside the transaction or
        # the request; if the task cannot be queued or the printer fails, the consent stands
        # and its PDF is printed on first download.
        transaction.on_commit(lambda: print_consent_pdf.enqueue(consent.pk), robust=True)
    return consent


def end_consents_on_plan_change(acting_user, via: str, course: Course) -> int:
    """The standing consent on `course` ends when the plan it named changed (products, number
    of sessions or interval), so the gate asks for a new one; a change to anything the consent
    does not name (volumes, maintenance, the first date) keeps it. Call inside the transaction
    that changed the plan, after saving it; each ended consent is audited."""
    digest = selectors.plan_digest(course)
    return invalidate_consents(
        acting_user,
        via,
        Consent.objects.filter(course=course, invalidated_at__isnull=True).exclude(
            plan_digest=digest
        ),
        when=timezone.now(),
        reason=f"{PLAN_CHANGED} {course.pk} changed (products, sessions or interval).",
        detail={"course": course.pk},
    )


class ConsentNotPrinted(Exception):
    """The printer or the disk failed; the message is the kind of error only."""


@task()
def print_consent_pdf(consent_pk: int) -> bool:
    """The worker's task: print a committed consent unless a copy exists (the download printed
    it first); whether it printed. A failure is logged and recorded on the task by the kind of
    error only (the original's text or traceback could carry patient text)."""
    consent = (
        Consent.objects.select_related("patient__registered_clinic", "text", "witness")
        .filter(pk=consent_pk)
        .first()
    )
    if consent is None or consent.pdf:
        return False
    try:
        store_pdf(consent)
    except Exception as exc:  # a printer or disk failure leaves the consent standing
        kind = type(exc).__name__
        logger.warning("consent %s PDF not printed: %s", consent_pk, kind)
        raise ConsentNotPrinted(kind) from None
    return True


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
            "body_en": consent.body("en"),
            "body_ur": consent.body("ur"),
            "signature_path": signature.svg_path(strokes),
            "signature_box": f"0 0 {signature.WIDTH} {signature.HEIGHT}",
            "font": pdf.nastaliq_data_uri(),
        },
    )


def forget_missing_pdf(*, acting_user, via: str, consent: Consent) -> Consent:
    """The stored PDF copy's file is gone (a lost disk, a restore without the media): clear the
    row's reference to it, audited, so the copy is printed again (`store_pdf`). Only the file
    seen missing is forgotten: a copy another request printed meanwhile is kept. Refuses a
    consent `acting_user` may not see (PermissionDenied)."""
    missing = consent.pdf.name
    with transaction.atomic():
        # "self": the scoping join to the patient is not locked.
        locked = (
            Consent.objects.for_user(acting_user)
            .select_for_update(of=("self",))
            .filter(pk=consent.pk)
            .first()
        )
        if locked is None:
            raise PermissionDenied
        if missing and locked.pdf.name == missing:
            locked.pdf.name, locked.pdf_sha256 = "", ""
            save_audited(
                locked,
                actor=acting_user,
                via=via,
                fields=["pdf", "pdf_sha256", "updated_at"],
                detail={"pdf_missing": True},
            )
    consent.pdf.name, consent.pdf_sha256 = locked.pdf.name, locked.pdf_sha256
    return consent


def store_pdf(consent: Consent, *, acting_user=None, via: str = "") -> Consent:
    """Print the consent and keep the file and its checksum on the row, once: if another
    request stored a copy meanwhile, this one's file is removed and the stored one kept."""
    data = pdf.print_pdf(consent_html(consent))
    storage = private_storage()
    name = storage.save(random_name("consents", "pdf"), ContentFile(data))
    stored = Consent.objects.filter(pk=consent.pk, pdf="").update(
        pdf=name, pdf_sha256=sha256_of(data), updated_at=timezone.now()
    )
    if not stored:
        storage.delete(name)
        consent.refresh_from_db(fields=["pdf", "pdf_sha256"])
        return consent
    consent.pdf.name, consent.pdf_sha256 = name, sha256_of(data)
    record_event(
        actor=acting_user,
        action=Action.UPDATE,
        via=via or Interface.CLI,
        instance=consent,
        changed_fields=["pdf", "pdf_sha256"],
    )
    return consent
