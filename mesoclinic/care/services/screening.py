"""Recording a consultation and its screening, a dermatologist's justification, and photos.

A consultation is one transaction: the patient row is locked (so two screenings of the same
patient, or a screening and a consent, cannot interleave), reported allergies are added, the
engine runs on the stored facts, and consents given on different facts are invalidated.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.audit.services import Action, record_event
from mesoclinic.care import access, fitzpatrick, rules, scores, selectors
from mesoclinic.care.facts import Facts
from mesoclinic.care.models import Allergy, BaselinePhoto, Consent, Consultation
from mesoclinic.care.services import recording
from mesoclinic.care.services.patient_lock import locked_patient
from mesoclinic.care.storage import private_storage, random_name, sha256_of
from mesoclinic.care.vocabulary import ICD10
from mesoclinic.clinics.credentials import Step
from mesoclinic.core import images
from mesoclinic.patients.models import Patient


@dataclass
class ConsultationInput:
    """What the consultation form gathered (codes from the vocabulary, ingredients as models)."""

    indication: str
    pregnant: bool
    breastfeeding: bool
    may_become_pregnant: bool
    unspecified_allergy: bool = False
    conditions: list[str] = field(default_factory=list)
    medications: list[str] = field(default_factory=list)
    new_allergies: list = field(default_factory=list)  # formulary Ingredients
    planned_ingredients: list[str] = field(default_factory=list)
    fitzpatrick_answers: list[int] | None = None
    fitzpatrick_type: int | None = None
    baseline_scale: str = ""
    baseline_grades: dict | None = None  # region -> RegionGrades, for MASI/mMASI
    baseline_stage: str = ""  # Norwood / Ludwig stage
    text: dict = field(default_factory=dict)  # concerns, medical_history, ... free text


TEXT_FIELDS = (
    "concerns",
    "medical_history",
    "medication_notes",
    "other_allergies",
    "exam_notes",
    "baseline_note",
)


def facts_digest(facts: Facts, *, indication: str = "", ingredients=()) -> str:
    """A fingerprint of what the patient declared, what tests found and what is planned (the
    indication and the cocktail's ingredients; not age, which moves on its own): a consent
    stays valid while a new screening has the same digest. A new ingredient brings risks the
    patient did not consent to."""
    canonical = {
        "indication": indication,
        "ingredients": sorted(set(ingredients)),
        "sex": facts.sex,
        "pregnant": facts.pregnant,
        "breastfeeding": facts.breastfeeding,
        "may_become_pregnant": facts.may_become_pregnant,
        "unspecified_allergy": facts.unspecified_allergy,
        "allergies": sorted(facts.allergies),
        "conditions": sorted(facts.conditions),
        "medications": sorted(facts.medications),
        "positive_patch_tests": sorted(facts.positive_patch_tests),
    }
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def reasons_as_data(evaluation: rules.Evaluation) -> list[dict]:
    return [
        {
            "code": reason.code,
            "severity": reason.severity.value,
            "message_en": reason.message_en,
            "message_ur": reason.message_ur,
            "source": reason.source,
            "unverified": reason.unverified,
            "ingredients": list(reason.ingredients),
        }
        for reason in evaluation.reasons
    ]


def screen(patient, data: ConsultationInput, *, policy=None) -> tuple[Facts, rules.Evaluation]:
    """The facts the consultation would store and the engine's answer, without saving: the
    form's live decision and the recorded one come from here. The patient's age is their age
    today, from their date of birth: below the clinic's adult age the "minor" rule fires."""
    allergies = set(selectors.allergy_codes(patient)) | {i.code for i in data.new_allergies}
    facts = Facts(
        sex=patient.sex,
        age=patient.age_on(timezone.localdate()),
        pregnant=data.pregnant,
        breastfeeding=data.breastfeeding,
        may_become_pregnant=data.may_become_pregnant,
        unspecified_allergy=data.unspecified_allergy,
        allergies=allergies,
        conditions=data.conditions,
        medications=data.medications,
        positive_patch_tests=selectors.positive_patch_test_codes(patient),
    )
    evaluation = rules.evaluate(
        facts,
        # The clinic's own policy: its adult age decides who is screened as a minor.
        policy or selectors.clinic_policy(patient.registered_clinic_id),
        ingredients=data.planned_ingredients,
        indication=data.indication,
    )
    return facts, evaluation


def _fitzpatrick(data: ConsultationInput) -> dict:
    if data.fitzpatrick_answers is not None:
        try:
            result = fitzpatrick.score(data.fitzpatrick_answers)
        except fitzpatrick.InvalidAnswers as exc:
            raise ValidationError({"fitzpatrick_type": str(exc)}) from None
        return {
            "fitzpatrick_answers": list(data.fitzpatrick_answers),
            "fitzpatrick_total": result.total,
            "fitzpatrick_type": result.skin_type,
            "fitzpatrick_banding": result.banding,
        }
    if data.fitzpatrick_type is None:
        raise ValidationError(
            {"fitzpatrick_type": _("Give the skin type, or answer the questionnaire.")}
        )
    return {"fitzpatrick_type": data.fitzpatrick_type}


def _baseline(data: ConsultationInput) -> dict:
    scale = data.baseline_scale
    if scale in (Consultation.Scale.MASI, Consultation.Scale.MMASI):
        grades = data.baseline_grades or {}
        calculate = scores.masi if scale == Consultation.Scale.MASI else scores.mmasi
        try:
            value = calculate(grades)
        except scores.InvalidGrades as exc:
            raise ValidationError({"baseline_scale": str(exc)}) from None
        detail = {region: vars(grade) for region, grade in grades.items()}
        return {"baseline_value": value, "baseline_detail": detail}
    if scale in (Consultation.Scale.NORWOOD, Consultation.Scale.LUDWIG):
        if not data.baseline_stage:
            raise ValidationError({"baseline_stage": _("Choose the stage.")})
        return {"baseline_detail": {"stage": data.baseline_stage}}
    return {}


def record_consultation(*, acting_user, via: str, patient, data: ConsultationInput):
    """Store the consultation and its screening; returns it. Raises ValidationError naming
    the fields, and nothing is saved."""
    if not access.can_record_clinical(acting_user):
        raise PermissionDenied
    with transaction.atomic():
        patient = locked_patient(acting_user, patient)
        recording.ensure_may_record(acting_user, patient.registered_clinic_id, Step.CONSULTATION)
        extra = {**_fitzpatrick(data), **_baseline(data)}
        now = timezone.now()
        for ingredient in data.new_allergies:
            # A retracted allergy stays as it is; reported again, it is a new record.
            allergy, created = Allergy.objects.standing().get_or_create(
                patient=patient,
                ingredient=ingredient,
                defaults={
                    "source": Allergy.Source.REPORTED,
                    "recorded_by": acting_user,
                    "recorded_at": now,
                },
            )
            if created:
                record_event(
                    actor=acting_user,
                    action=Action.CREATE,
                    via=via,
                    instance=allergy,
                    clinic_id=patient.registered_clinic_id,
                )
        facts, evaluation = screen(patient, data)
        consultation = Consultation.objects.create(
            patient=patient,
            clinic_id=patient.registered_clinic_id,
            recorded_by=acting_user,
            recorded_at=now,
            indication=data.indication,
            icd10=ICD10.get(data.indication, ""),
            pregnant=facts.pregnant,
            breastfeeding=facts.breastfeeding,
            may_become_pregnant=facts.may_become_pregnant,
            unspecified_allergy=facts.unspecified_allergy,
            conditions=sorted(facts.conditions),
            medications=sorted(facts.medications),
            allergies=sorted(facts.allergies),
            positive_patch_tests=sorted(facts.positive_patch_tests),
            planned_ingredients=sorted(set(data.planned_ingredients)),
            baseline_scale=data.baseline_scale,
            decision=evaluation.decision.value,
            reasons=reasons_as_data(evaluation),
            facts_digest=facts_digest(
                facts, indication=data.indication, ingredients=data.planned_ingredients
            ),
            **{name: data.text.get(name, "") for name in TEXT_FIELDS},
            **extra,
        )
        record_event(actor=acting_user, action=Action.CREATE, via=via, instance=consultation)
        if patient.fitzpatrick_type != consultation.fitzpatrick_type:
            patient.fitzpatrick_type = consultation.fitzpatrick_type
            patient.save(update_fields=["fitzpatrick_type", "updated_at"])
            record_event(
                actor=acting_user,
                action=Action.UPDATE,
                via=via,
                instance=patient,
                changed_fields=["fitzpatrick_type"],
            )
        _invalidate_consents(acting_user, via, consultation)
    return consultation


def _invalidate_consents(acting_user, via: str, consultation: Consultation) -> int:
    """Consents given on other facts no longer stand: the patient consented knowing those. A
    contraindicated screening ends every consent, whatever the facts: treatment cannot go on."""
    stale = Consent.objects.filter(patient=consultation.patient, invalidated_at__isnull=True)
    if consultation.decision != rules.Decision.CONTRAINDICATED:
        stale = stale.exclude(consultation__facts_digest=consultation.facts_digest)
    return invalidate_consents(
        acting_user,
        via,
        stale,
        when=consultation.recorded_at,
        reason=(
            f"Consultation {consultation.pk} found a contraindication."
            if consultation.decision == rules.Decision.CONTRAINDICATED
            else f"Screening facts changed at consultation {consultation.pk}."
        ),
        detail={"consultation": consultation.pk},
    )


def invalidate_consents(acting_user, via: str, consents, *, when, reason: str, detail) -> int:
    """Mark the given standing consents invalid, each audited. Call inside the transaction
    that changed the facts."""
    stale = list(consents.only("id", "clinic_id", "patient_id"))
    for consent in stale:
        Consent.objects.filter(pk=consent.pk).update(
            invalidated_at=when, invalidated_reason=reason, updated_at=timezone.now()
        )
        record_event(
            actor=acting_user,
            action=Action.UPDATE,
            via=via,
            instance=consent,
            changed_fields=["invalidated_at", "invalidated_reason"],
            detail=detail,
        )
    return len(stale)


def justify(*, acting_user, via: str, consultation: Consultation, note: str) -> Consultation:
    """A credentialed dermatologist records why treatment may go ahead despite relative
    reasons. Absolute reasons cannot be justified, and a justification is given once."""
    errors = []
    if access.can_justify(acting_user) is None:
        errors.append(_("Only a credentialed dermatologist may justify treatment."))
    if consultation.decision != rules.Decision.NEEDS_REVIEW:
        errors.append(_("Only a screening that needs review can be justified."))
    if not note.strip():
        errors.append(_("Write the justification."))
    if errors:
        raise ValidationError({"review_note": errors})
    with transaction.atomic():
        locked_patient(acting_user, consultation.patient)
        updated = Consultation.objects.filter(pk=consultation.pk, reviewed_at__isnull=True).update(
            review_note=note.strip(), reviewed_by=acting_user, reviewed_at=timezone.now()
        )
        if not updated:
            raise ValidationError({"review_note": _("This screening has already been justified.")})
        record_event(
            actor=acting_user,
            action=Action.UPDATE,
            via=via,
            instance=consultation,
            changed_fields=["review_note", "reviewed_by", "reviewed_at"],
        )
    consultation.refresh_from_db()
    return consultation


def add_photo(*, acting_user, via: str, consultation: Consultation, upload, label: str = ""):
    """Store a baseline photo in the private storage under a random name, decoded and
    re-encoded first (`core.images`: a JPEG, PNG or WebP within the size and pixel limits;
    its EXIF, GPS position and anything appended after the pixels do not survive)."""
    if not access.can_record_clinical(acting_user):
        raise PermissionDenied
    if not Patient.objects.for_user(acting_user).filter(pk=consultation.patient_id).exists():
        raise ValidationError({"patient": _("This patient is not registered at your clinics.")})
    # Photos belong to the consultation: whoever may record one may add its photos.
    recording.ensure_may_record(acting_user, consultation.clinic_id, Step.CONSULTATION)
    try:
        clean = images.clean(upload, thumbnail=False)
    except images.ImageRefused as refused:
        raise ValidationError({"photo": str(refused)}) from None
    data = clean.data
    content_type, extension = clean.content_type, clean.extension
    storage = private_storage()
    name = storage.save(random_name("photos", extension), ContentFile(data))
    try:
        with transaction.atomic():
            photo = BaselinePhoto.objects.create(
                consultation=consultation,
                patient_id=consultation.patient_id,
                file=name,
                content_type=content_type,
                size=len(data),
                sha256=sha256_of(data),
                label=label[:80],
                uploaded_by=acting_user,
            )
            record_event(
                actor=acting_user,
                action=Action.CREATE,
                via=via,
                instance=photo,
                clinic_id=consultation.clinic_id,
            )
    except Exception:
        storage.delete(name)  # no orphan file when the row could not be written
        raise
    return photo
