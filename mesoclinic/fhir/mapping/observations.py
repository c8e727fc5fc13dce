"""Observation from three records: an outcome score (`aftercare.OutcomeScore`, at a session or
as a course's baseline), the consultation's Fitzpatrick skin type, and the consultation's
baseline score (MASI/mMASI value, Norwood/Ludwig stage). Pure.

Codes: none of our scales has a LOINC or SNOMED CT code we could confirm, so every scale is a
code of our own system `OUTCOME_SCALE` (the keys of `aftercare.scales.SCALES`, plus
`fitzpatrick-skin-type` for the type I-VI itself), each stage or skin type a code of a system
named for its scale. Categories are FHIR's: `survey` for what the patient answers or rates,
`exam` for what the clinician grades."""

from decimal import Decimal

from mesoclinic.fhir.mapping.common import (
    CODE_SYSTEM,
    UCUM,
    coding,
    concept,
    drop_empty,
    instant,
    meta,
    reference,
)

OUTCOME_SCALE = f"{CODE_SYSTEM}/outcome-scale"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
SKIN_TYPE = "fitzpatrick-skin-type"
SKIN_TYPES = ("I", "II", "III", "IV", "V", "VI")

SCALE_NAMES = {
    "masi": "Melasma Area and Severity Index (MASI)",
    "mmasi": "Modified MASI (mMASI)",
    "fitzpatrick": "Fitzpatrick skin-type questionnaire total",
    "gais": "Global Aesthetic Improvement Scale (GAIS)",
    "norwood": "Norwood-Hamilton stage",
    "ludwig": "Ludwig stage",
    "hair_count": "Hair density in a marked area",
    "glogau": "Glogau photoageing type",
    "satisfaction": "Patient satisfaction (0-10)",
    SKIN_TYPE: "Fitzpatrick skin type",
}
#: Scales whose result is a stage, not a quantity: the value is the stage as published.
STAGED = frozenset({"norwood", "ludwig", "glogau"})
#: Scales the patient rates whoever enters them.
PATIENT_RATED = frozenset({"satisfaction"})


def scale_concept(scale: str) -> dict:
    name = SCALE_NAMES.get(scale, scale)
    return concept(coding(OUTCOME_SCALE, scale, name), text=name)


def category(code: str) -> list[dict]:
    display = {"survey": "Survey", "exam": "Exam"}[code]
    return [concept(coding(OBSERVATION_CATEGORY, code, display))]


def score_category(scale: str, rater: str) -> str:
    return "survey" if rater == "patient" or scale in PATIENT_RATED else "exam"


def _number(value: Decimal) -> int | float:
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _value(scale: str, value, band: str) -> dict:
    """value[x] of a score: the stage for a staged scale, else the number (its band, where the
    scale has a cited one, as the interpretation)."""
    if scale in STAGED and band:
        return {"valueCodeableConcept": concept(coding(f"{CODE_SYSTEM}/{scale}", band), text=band)}
    if scale == "hair_count":
        quantity = {"value": _number(value), "unit": "hairs/cm2", "system": UCUM, "code": "/cm2"}
    else:
        quantity = {"value": _number(value), "unit": "score", "system": UCUM, "code": "{score}"}
    found = {"valueQuantity": quantity}
    if band:
        found["interpretation"] = [concept(text=band)]
    return found


def score_resource(score, ident: str) -> dict:
    """An outcome score at a session or, without one, the course's baseline. A corrected score
    (scored again) keeps its id and moves its version: `scored_at` moves with every change."""
    baseline = score.session_id is None
    return drop_empty(
        {
            "resourceType": "Observation",
            "id": ident,
            "meta": meta(score.scored_at),
            "status": "final",
            "category": category(score_category(score.scale, score.rater)),
            "code": scale_concept(score.scale),
            "subject": reference("Patient", score.patient_id),
            "effectiveDateTime": instant(score.scored_at),
            "issued": instant(score.scored_at),
            **_value(score.scale, score.value, score.band),
            "note": [{"text": "Baseline, before the course's first session."}] if baseline else [],
            "method": concept(text=f"Rated by the {score.rater}"),
        }
    )


def skin_type_resource(consultation, ident: str) -> dict:
    """The Fitzpatrick skin type found at a consultation: from the 10-item questionnaire
    (its total as a component, its banding as the method, derived from the screening's
    QuestionnaireResponse) or, without answers, as the clinician judged it."""
    skin_type = SKIN_TYPES[consultation.fitzpatrick_type - 1]
    answered = bool(consultation.fitzpatrick_answers)
    components = []
    if consultation.fitzpatrick_total is not None:
        components.append(
            {"code": scale_concept("fitzpatrick"), "valueInteger": consultation.fitzpatrick_total}
        )
    return drop_empty(
        {
            "resourceType": "Observation",
            "id": ident,
            "meta": meta(consultation.entered_at),
            "status": "final",
            "category": category("survey" if answered else "exam"),
            "code": scale_concept(SKIN_TYPE),
            "subject": reference("Patient", consultation.patient_id),
            "effectiveDateTime": instant(consultation.recorded_at),
            "issued": instant(consultation.entered_at),
            "valueCodeableConcept": concept(
                coding(f"{CODE_SYSTEM}/{SKIN_TYPE}", skin_type, f"Type {skin_type}"),
                text=f"Fitzpatrick type {skin_type}",
            ),
            "method": concept(text=consultation.fitzpatrick_banding)
            if answered
            else concept(text="Clinician's assessment"),
            "derivedFrom": [reference("QuestionnaireResponse", consultation.pk)]
            if answered
            else [],
            "component": components,
        }
    )


def screening_baseline_resource(consultation, ident: str) -> dict:
    """The baseline the consultation graded before any course: a MASI/mMASI value or a
    Norwood/Ludwig stage."""
    scale = consultation.baseline_scale
    band = (consultation.baseline_detail or {}).get("stage", "")
    return drop_empty(
        {
            "resourceType": "Observation",
            "id": ident,
            "meta": meta(consultation.entered_at),
            "status": "final",
            "category": category("exam"),
            "code": scale_concept(scale),
            "subject": reference("Patient", consultation.patient_id),
            "effectiveDateTime": instant(consultation.recorded_at),
            "issued": instant(consultation.entered_at),
            **_value(scale, consultation.baseline_value or 0, band),
            "note": [{"text": "Baseline, graded at the screening consultation."}],
        }
    )
