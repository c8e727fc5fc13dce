"""Condition, AllergyIntolerance, Consent and QuestionnaireResponse: read and search through the
care records' own scoped querysets (`PatientRecordQuerySet.for_user`, the one scoping rule).
Consultations and allergies are clinical records: a receptionist's searches hold none and
reads answer 404. Consents are consent records: receptionists witness them and see them.
Archived patients' records are out of staff reach, as on the pages."""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from mesoclinic.care.models import Allergy, Consent, Consultation
from mesoclinic.fhir import filters
from mesoclinic.fhir.mapping.clinical import (
    ALLERGY_CLINICAL,
    ALLERGY_VERIFICATION,
    CLINICAL_STATUS,
    CONDITION_CATEGORY,
    CONSENT_CATEGORY,
    INDICATION_SYSTEM,
    INDICATIONS,
    INGREDIENT_SYSTEM,
    SCREENING_QUESTIONNAIRE,
    VERIFICATION_STATUS,
    allergy_resource,
    condition_resource,
    consent_resource,
    questionnaire_response_resource,
)
from mesoclinic.fhir.mapping.common import ICD10, LOINC, SNOMED
from mesoclinic.fhir.registry import (
    ResourceType,
    SearchParam,
    Source,
    everything,
    nothing,
    register,
)

SP = "http://hl7.org/fhir/SearchParameter/"


def fixed(system: str | None, value: str):
    """A token every row of the source has (`system|value`): all rows, or none for another."""

    def codes(asked_system: str | None, code: str) -> Q:
        if code == value and asked_system in (None, system):
            return everything()
        return nothing()

    return filters.token(codes)


def patient_param(name: str, definition: str) -> SearchParam:
    return SearchParam(name, "reference", "The patient (Patient/<id>).", SP + definition)


# --- Condition ----------------------------------------------------------------------------


def visible_consultations(user):
    return Consultation.objects.for_user(user)


def _indication(system: str | None, code: str) -> Q:
    """ICD-10 (`Consultation.icd10`, as recorded), SNOMED CT (CLINICAL.md's concepts) or our
    own indication codes; without a system, any of them."""
    by_snomed = [key for key, item in INDICATIONS.items() if item.snomed == code]
    conditions = {
        ICD10: Q(icd10=code),
        SNOMED: Q(indication__in=by_snomed),
        INDICATION_SYSTEM: Q(indication=code),
    }
    if system is None:
        return conditions[ICD10] | conditions[SNOMED] | conditions[INDICATION_SYSTEM]
    return conditions.get(system, nothing())


CONDITION = register(
    ResourceType(
        name="Condition",
        documentation=(
            "The indication each consultation was for (encounter-diagnosis), coded in ICD-10 as "
            "recorded, in SNOMED CT where one is given, and in our indication codes."
        ),
        sources=(
            Source(
                queryset=visible_consultations,
                to_resource=condition_resource,
                updated="entered_at",
                patient="patient_id",
                clinic="patient__registered_clinic_id",
                filters={
                    "patient": filters.reference("patient_id", "Patient"),
                    "subject": filters.reference("patient_id", "Patient"),
                    "code": filters.token(_indication),
                    "recorded-date": filters.date("recorded_at"),
                    "category": fixed(CONDITION_CATEGORY, "encounter-diagnosis"),
                    "clinical-status": fixed(CLINICAL_STATUS, "active"),
                    "verification-status": fixed(VERIFICATION_STATUS, "confirmed"),
                },
            ),
        ),
        params=(
            patient_param("patient", "clinical-patient"),
            SearchParam("subject", "reference", "The patient.", SP + "Condition-subject"),
            SearchParam(
                "code",
                "token",
                f"ICD-10 ({ICD10}), SNOMED CT or {INDICATION_SYSTEM}.",
                SP + "clinical-code",
            ),
            SearchParam(
                "recorded-date", "date", "When it was recorded.", SP + "Condition-recorded-date"
            ),
            SearchParam("category", "token", "encounter-diagnosis.", SP + "Condition-category"),
            SearchParam("clinical-status", "token", "active.", SP + "Condition-clinical-status"),
            SearchParam(
                "verification-status",
                "token",
                "confirmed.",
                SP + "Condition-verification-status",
            ),
        ),
    )
)


# --- QuestionnaireResponse ----------------------------------------------------------------

QUESTIONNAIRE_RESPONSE = register(
    ResourceType(
        name="QuestionnaireResponse",
        documentation=f"The screening answers of each consultation ({SCREENING_QUESTIONNAIRE}).",
        sources=(
            Source(
                queryset=visible_consultations,
                to_resource=questionnaire_response_resource,
                updated="entered_at",
                patient="patient_id",
                clinic="patient__registered_clinic_id",
                filters={
                    "patient": filters.reference("patient_id", "Patient"),
                    "subject": filters.reference("patient_id", "Patient"),
                    "authored": filters.date("recorded_at"),
                    "status": fixed(None, "completed"),
                    "questionnaire": filters.token(
                        lambda _system, code: (
                            everything() if code == SCREENING_QUESTIONNAIRE else nothing()
                        )
                    ),
                },
            ),
        ),
        params=(
            patient_param("patient", "QuestionnaireResponse-patient"),
            SearchParam(
                "subject", "reference", "The patient.", SP + "QuestionnaireResponse-subject"
            ),
            SearchParam(
                "authored", "date", "When it was answered.", SP + "QuestionnaireResponse-authored"
            ),
            SearchParam("status", "token", "completed.", SP + "QuestionnaireResponse-status"),
            SearchParam(
                "questionnaire",
                "reference",
                SCREENING_QUESTIONNAIRE,
                SP + "QuestionnaireResponse-questionnaire",
            ),
        ),
    )
)


# --- AllergyIntolerance -------------------------------------------------------------------


def visible_allergies(user):
    return Allergy.objects.for_user(user).select_related("ingredient")


STANDING = Q(retracted_at__isnull=True)


def _clinical_status(system: str | None, code: str) -> Q:
    if system not in (None, ALLERGY_CLINICAL):
        return nothing()
    return STANDING if code == "active" else nothing()


def _verification_status(system: str | None, code: str) -> Q:
    if system not in (None, ALLERGY_VERIFICATION):
        return nothing()
    return {
        "confirmed": STANDING & Q(source=Allergy.Source.PATCH_TEST),
        "unconfirmed": STANDING & Q(source=Allergy.Source.REPORTED),
        "entered-in-error": ~STANDING,
    }.get(code, nothing())


def _ingredient(system: str | None, code: str) -> Q:
    return Q(ingredient__code=code) if system in (None, INGREDIENT_SYSTEM) else nothing()


ALLERGY_INTOLERANCE = register(
    ResourceType(
        name="AllergyIntolerance",
        documentation="Allergies to formulary ingredients, reported or found by a patch test.",
        sources=(
            Source(
                queryset=visible_allergies,
                to_resource=allergy_resource,
                patient="patient_id",
                clinic="patient__registered_clinic_id",
                filters={
                    "patient": filters.reference("patient_id", "Patient"),
                    "code": filters.token(_ingredient),
                    "date": filters.date("recorded_at"),
                    "clinical-status": filters.token(_clinical_status),
                    "verification-status": filters.token(_verification_status),
                    "category": fixed(None, "medication"),
                    "type": fixed(None, "allergy"),
                },
            ),
        ),
        params=(
            patient_param("patient", "clinical-patient"),
            SearchParam("code", "token", f"{INGREDIENT_SYSTEM} code.", SP + "clinical-code"),
            SearchParam("date", "date", "When it was recorded.", SP + "clinical-date"),
            SearchParam(
                "clinical-status",
                "token",
                "active (standing).",
                SP + "AllergyIntolerance-clinical-status",
            ),
            SearchParam(
                "verification-status",
                "token",
                "confirmed (patch test), unconfirmed (reported), entered-in-error (retracted).",
                SP + "AllergyIntolerance-verification-status",
            ),
            SearchParam("category", "token", "medication.", SP + "AllergyIntolerance-category"),
            SearchParam("type", "token", "allergy.", SP + "AllergyIntolerance-type"),
        ),
    )
)


# --- Consent ------------------------------------------------------------------------------


def visible_consents(user):
    return Consent.objects.for_user(user).select_related("text")


def consent_pdf_url(pk: int) -> str:
    """The staff page that serves the signed PDF (printed again if the copy is missing), on
    the public address of the staff site: it opens in a signed-in staff session, not with an
    API token, and audits the read like any other."""
    return f"{settings.PUBLIC_BASE_URL}{reverse('care:consent_pdf', args=[pk])}"


def consent_as_resource(consent) -> dict:
    return consent_resource(consent, pdf_url=consent_pdf_url(consent.pk))


STANDING_CONSENT = Q(invalidated_at__isnull=True)


def _consent_status(_system: str | None, code: str) -> Q:
    return {"active": STANDING_CONSENT, "inactive": ~STANDING_CONSENT}.get(code, nothing())


CONSENT = register(
    ResourceType(
        name="Consent",
        documentation=(
            "Signed consents to treatment, with the signed PDF as sourceAttachment (a staff "
            "page: it opens in a signed-in staff session)."
        ),
        sources=(
            Source(
                queryset=visible_consents,
                to_resource=consent_as_resource,
                patient="patient_id",
                clinic="patient__registered_clinic_id",
                filters={
                    "patient": filters.reference("patient_id", "Patient"),
                    "status": filters.token(_consent_status),
                    "date": filters.date("signed_at"),
                    "category": fixed(LOINC, CONSENT_CATEGORY),
                    "organization": filters.reference("clinic_id", "Organization"),
                },
            ),
        ),
        params=(
            patient_param("patient", "clinical-patient"),
            SearchParam("status", "token", "active or inactive (ended).", SP + "Consent-status"),
            SearchParam("date", "date", "When it was signed.", SP + "clinical-date"),
            SearchParam(
                "category", "token", f"{LOINC}|{CONSENT_CATEGORY}.", SP + "Consent-category"
            ),
            SearchParam(
                "organization",
                "reference",
                "The clinic it was given at.",
                SP + "Consent-organization",
            ),
        ),
    )
)
