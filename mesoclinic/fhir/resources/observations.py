"""Observation from three sources, each with its id prefix: outcome scores ("score-12"), the
consultation's Fitzpatrick skin type ("fitz-12") and the consultation's baseline grade
("baseline-12"). A search pages across them in that order (`selectors.search_page`); every
source answers every declared parameter. Clinical records: a receptionist sees none."""

from django.db.models import Q

from mesoclinic.aftercare.models import OutcomeScore
from mesoclinic.care.models import Consultation
from mesoclinic.fhir import filters
from mesoclinic.fhir.mapping.observations import (
    OBSERVATION_CATEGORY,
    OUTCOME_SCALE,
    PATIENT_RATED,
    SKIN_TYPE,
    score_resource,
    screening_baseline_resource,
    skin_type_resource,
)
from mesoclinic.fhir.registry import (
    ResourceType,
    SearchParam,
    Source,
    everything,
    nothing,
    register,
)
from mesoclinic.fhir.resources.clinical import SP, fixed, patient_param

#: The consultation baselines served as Observations: a MASI/mMASI value or a hair-loss stage.
#: A GAIS baseline is a note, not a score: it stays in the consultation.
GRADED = Q(baseline_scale__in=("masi", "mmasi"), baseline_value__isnull=False) | Q(
    baseline_scale__in=("norwood", "ludwig")
)


def visible_scores(user):
    return OutcomeScore.objects.for_user(user)


def visible_skin_types(user):
    return Consultation.objects.for_user(user).filter(fitzpatrick_type__isnull=False)


def visible_baselines(user):
    return Consultation.objects.for_user(user).filter(GRADED)


def _code(field: str | None):
    """`code` on a source: its scale field, or (None) the one code the source has."""

    def codes(system: str | None, code: str) -> Q:
        if system not in (None, OUTCOME_SCALE):
            return nothing()
        if field is None:
            return everything() if code == SKIN_TYPE else nothing()
        return Q(**{field: code})

    return filters.token(codes)


SURVEY_SCORE = Q(rater=OutcomeScore.Rater.PATIENT) | Q(scale__in=sorted(PATIENT_RATED))
ANSWERED = Q(fitzpatrick_answers__isnull=False)


def _category(survey: Q):
    def codes(system: str | None, code: str) -> Q:
        if system not in (None, OBSERVATION_CATEGORY):
            return nothing()
        return {"survey": survey, "exam": ~survey}.get(code, nothing())

    return filters.token(codes)


def _filters(*, date: str, code, survey: Q) -> dict:
    return {
        "patient": filters.reference("patient_id", "Patient"),
        "subject": filters.reference("patient_id", "Patient"),
        "code": code,
        "date": filters.date(date),
        "category": _category(survey),
        "status": fixed(None, "final"),
    }


OBSERVATION = register(
    ResourceType(
        name="Observation",
        documentation=(
            "Outcome scores (baseline and at sessions), the Fitzpatrick skin type and the "
            f"screening's baseline grade; scales are codes of {OUTCOME_SCALE}."
        ),
        sources=(
            Source(
                prefix="score",
                queryset=visible_scores,
                to_resource=lambda row: score_resource(row, f"score-{row.pk}"),
                updated="scored_at",
                patient="patient_id",
                clinic="patient__registered_clinic_id",
                filters=_filters(date="scored_at", code=_code("scale"), survey=SURVEY_SCORE),
            ),
            Source(
                prefix="fitz",
                queryset=visible_skin_types,
                to_resource=lambda row: skin_type_resource(row, f"fitz-{row.pk}"),
                updated="entered_at",
                patient="patient_id",
                clinic="patient__registered_clinic_id",
                filters=_filters(date="recorded_at", code=_code(None), survey=ANSWERED),
            ),
            Source(
                prefix="baseline",
                queryset=visible_baselines,
                to_resource=lambda row: screening_baseline_resource(row, f"baseline-{row.pk}"),
                updated="entered_at",
                patient="patient_id",
                clinic="patient__registered_clinic_id",
                filters=_filters(
                    date="recorded_at", code=_code("baseline_scale"), survey=nothing()
                ),
            ),
        ),
        params=(
            patient_param("patient", "clinical-patient"),
            SearchParam("subject", "reference", "The patient.", SP + "Observation-subject"),
            SearchParam(
                "code",
                "token",
                f"The scale ({OUTCOME_SCALE}): masi, mmasi, gais, norwood, ludwig, hair_count, "
                f"glogau, satisfaction, fitzpatrick, {SKIN_TYPE}.",
                SP + "clinical-code",
            ),
            SearchParam("date", "date", "When it was scored.", SP + "clinical-date"),
            SearchParam("category", "token", "survey or exam.", SP + "Observation-category"),
            SearchParam("status", "token", "final.", SP + "Observation-status"),
        ),
    )
)
