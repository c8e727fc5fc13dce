"""Clinical records as FHIR R4: Condition (the consultation's indication), AllergyIntolerance,
Consent and QuestionnaireResponse (the consultation's screening answers). Pure.

A consultation is never edited (new facts mean a new consultation) and a dermatologist's
justification, its only later change, is none of these resources' content: the resources made
from a consultation are stamped with its entry time. Allergies and consents carry their own
`updated_at` (a retraction, an ending, a PDF copy stored)."""

from dataclasses import dataclass

from mesoclinic.fhir.mapping.common import (
    BASE,
    CODE_SYSTEM,
    ICD10,
    LOINC,
    SNOMED,
    coding,
    concept,
    drop_empty,
    instant,
    meta,
    reference,
)

#: Our indication codes (care.vocabulary.INDICATIONS), the ingredient codes of the formulary
#: and the screening vocabulary (conditions, medications), as code systems of our own.
INDICATION_SYSTEM = f"{CODE_SYSTEM}/indication"
INGREDIENT_SYSTEM = f"{CODE_SYSTEM}/ingredient"
SCREENING_CONDITION_SYSTEM = f"{CODE_SYSTEM}/screening-condition"
MEDICATION_SYSTEM = f"{CODE_SYSTEM}/screening-medication"
SCREENING_QUESTIONNAIRE = f"{BASE}/Questionnaire/screening"
CONSENT_TEXT = f"{BASE}/consent-text"  # + /<procedure>/<version>: the wording signed

CLINICAL_STATUS = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VERIFICATION_STATUS = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
ALLERGY_CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
ALLERGY_VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
#: LOINC 59284-0, the code of FHIR's own Consent examples and of the consent-category value set.
CONSENT_CATEGORY = "59284-0"


@dataclass(frozen=True)
class Indication:
    text: str
    snomed: str | None = None


#: Each indication as a Condition names it: English text and, where CLINICAL.md ("Standards")
#: gives one, the SNOMED CT concept. The ICD-10 code is clinic data: stored on the consultation
#: when it is recorded (`Consultation.icd10`, from `care.vocabulary.ICD10`), read from there.
#: No SNOMED code is given here that the source does not give.
INDICATIONS = {
    "melasma": Indication("Melasma"),
    "hyperpigmentation": Indication("Hyperpigmentation"),
    "skin_rejuvenation": Indication("Skin rejuvenation (ageing)"),
    "androgenetic_alopecia": Indication("Androgenetic alopecia", "87872006"),
    "alopecia_areata": Indication("Alopecia areata", "68225006"),
    "localized_fat": Indication("Localized fat"),
    "cellulite": Indication("Cellulite"),
}


def indication_concept(code: str, icd10: str) -> dict:
    indication = INDICATIONS.get(code, Indication(code))
    codings = []
    if icd10:
        codings.append(coding(ICD10, icd10))
    if indication.snomed:
        codings.append(coding(SNOMED, indication.snomed))
    codings.append(coding(INDICATION_SYSTEM, code, indication.text))
    return concept(*codings, text=indication.text)


def condition_resource(consultation) -> dict:
    """The indication the consultation was for, as diagnosed at that encounter. Whether it has
    since resolved is not recorded, so it stays `active`."""
    return drop_empty(
        {
            "resourceType": "Condition",
            "id": str(consultation.pk),
            "meta": meta(consultation.entered_at),
            "clinicalStatus": concept(coding(CLINICAL_STATUS, "active", "Active")),
            "verificationStatus": concept(coding(VERIFICATION_STATUS, "confirmed", "Confirmed")),
            "category": [
                concept(coding(CONDITION_CATEGORY, "encounter-diagnosis", "Encounter Diagnosis"))
            ],
            "code": indication_concept(consultation.indication, consultation.icd10),
            "subject": reference("Patient", consultation.patient_id),
            "recordedDate": instant(consultation.recorded_at),
        }
    )


def allergy_resource(allergy) -> dict:
    """A patient's allergy to a formulary ingredient. Confirmed when a positive patch test
    found it, unconfirmed when only reported; a retracted one was recorded in error."""
    if allergy.retracted_at is not None:
        verification = coding(ALLERGY_VERIFICATION, "entered-in-error", "Entered in Error")
        clinical = None
        notes = [{"text": f"Retracted: {allergy.retraction_reason}"}]
    else:
        confirmed = allergy.source == "patch_test"
        verification = coding(
            ALLERGY_VERIFICATION,
            "confirmed" if confirmed else "unconfirmed",
            "Confirmed" if confirmed else "Unconfirmed",
        )
        clinical = concept(coding(ALLERGY_CLINICAL, "active", "Active"))
        notes = []
    ingredient = allergy.ingredient
    reactions = []
    if allergy.reaction:
        reactions.append({"manifestation": [concept(text=allergy.reaction)]})
    return drop_empty(
        {
            "resourceType": "AllergyIntolerance",
            "id": str(allergy.pk),
            "meta": meta(allergy.updated_at),
            "clinicalStatus": clinical,
            "verificationStatus": concept(verification),
            "type": "allergy",
            "category": ["medication"],
            "code": concept(
                coding(INGREDIENT_SYSTEM, ingredient.code, ingredient.name), text=ingredient.name
            ),
            "patient": reference("Patient", allergy.patient_id),
            "recordedDate": instant(allergy.recorded_at),
            "reaction": reactions,
            "note": notes,
        }
    )


def consent_resource(consent, *, pdf_url: str) -> dict:
    """A signed consent to treatment: active until it ends. `pdf_url` is where staff open the
    signed PDF copy (the resource layer builds it; it needs a staff session, not a token).
    A consent signed by a parent or guardian names the signer as they typed their name."""
    text = consent.text
    if consent.signer_relation:
        performer = {"display": f"{consent.signer_name} ({consent.signer_relation})"}
    else:
        performer = reference("Patient", consent.patient_id)
    period = {"start": instant(consent.signed_at)}
    if consent.invalidated_at is not None:
        period["end"] = instant(consent.invalidated_at)
    return drop_empty(
        {
            "resourceType": "Consent",
            "id": str(consent.pk),
            "meta": meta(consent.updated_at),
            "status": "active" if consent.invalidated_at is None else "inactive",
            "scope": concept(coding(CONSENT_SCOPE, "treatment", "Treatment")),
            "category": [concept(coding(LOINC, CONSENT_CATEGORY), text="Consent to treatment")],
            "patient": reference("Patient", consent.patient_id),
            "dateTime": instant(consent.signed_at),
            "performer": [performer],
            "organization": [reference("Organization", consent.clinic_id)],
            "sourceAttachment": {
                "contentType": "application/pdf",
                "language": consent.language,
                "url": pdf_url,
                "title": f"{text.title_en} (v{text.version})",
                "creation": instant(consent.signed_at),
            },
            "policy": [{"uri": f"{CONSENT_TEXT}/{text.procedure}/{text.version}"}],
            "provision": {
                "type": "permit",
                "period": period,
                "provision": [
                    {
                        "type": "permit" if consent.photo_consent else "deny",
                        "code": [concept(text="Clinical photographs")],
                    }
                ],
            },
        }
    )


def _item(link_id: str, text: str, *answers: dict) -> dict:
    return {"linkId": link_id, "text": text, "answer": list(answers)}


def _booleans(consultation) -> list[dict]:
    questions = (
        ("pregnant", "Pregnant"),
        ("breastfeeding", "Breastfeeding"),
        ("may_become_pregnant", "May become pregnant"),
        ("unspecified_allergy", "Reaction to an unknown medicine"),
    )
    return [
        _item(name, text, {"valueBoolean": bool(getattr(consultation, name))})
        for name, text in questions
    ]


def questionnaire_response_resource(consultation) -> dict:
    """The screening answers given at the consultation, against our screening questionnaire.
    A list question none of whose choices applied has no answer. The engine's decision is not
    an answer and is not here."""
    items = [
        _item(
            "indication",
            "Indication",
            {"valueCoding": coding(INDICATION_SYSTEM, consultation.indication)},
        ),
        *_booleans(consultation),
        _item(
            "conditions",
            "Conditions",
            *(
                {"valueCoding": coding(SCREENING_CONDITION_SYSTEM, code)}
                for code in consultation.conditions
            ),
        ),
        _item(
            "medications",
            "Medications",
            *(
                {"valueCoding": coding(MEDICATION_SYSTEM, code)}
                for code in consultation.medications
            ),
        ),
        _item(
            "allergies",
            "Allergies to formulary ingredients",
            *({"valueCoding": coding(INGREDIENT_SYSTEM, code)} for code in consultation.allergies),
        ),
    ]
    for name, text in (
        ("concerns", "Concerns, in the patient's words"),
        ("medical_history", "Medical history"),
        ("medication_notes", "Current medications"),
        ("other_allergies", "Other allergies"),
    ):
        value = getattr(consultation, name)
        items.append(_item(name, text, *([{"valueString": value}] if value else [])))
    if consultation.fitzpatrick_answers:
        items.append(
            {
                "linkId": "fitzpatrick",
                "text": "Fitzpatrick skin-type questionnaire (10 items, each 0-4)",
                "item": [
                    _item(f"fitzpatrick.{number}", f"Item {number}", {"valueInteger": answer})
                    for number, answer in enumerate(consultation.fitzpatrick_answers, start=1)
                ],
            }
        )
    return drop_empty(
        {
            "resourceType": "QuestionnaireResponse",
            "id": str(consultation.pk),
            "meta": meta(consultation.entered_at),
            "questionnaire": SCREENING_QUESTIONNAIRE,
            "status": "completed",
            "subject": reference("Patient", consultation.patient_id),
            "authored": instant(consultation.recorded_at),
            "item": items,
        }
    )
