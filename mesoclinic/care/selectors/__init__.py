"""Reads for care, one module per concern; callers import them from here (`selectors.chart`).

- `policy`: the screening policy and a clinic's care settings.
- `recording`: who may record which step at a clinic.
- `facts`: a patient's clinical facts as screening reads them.
- `consents`: consent texts, the course a consent is for, the plan it names.
- `lots`: the lots the charting page offers.
- `records`: care records as a user may see them, scoped by `for_user` (`clinics.scoping`).
"""

from mesoclinic.care.selectors.consents import (
    consent_course,
    current_aftercare,
    current_consent_text,
    plan_digest,
    plan_for_consent,
)
from mesoclinic.care.selectors.facts import (
    allergy_codes,
    latest_consultation,
    patch_test_codes,
    positive_patch_test_codes,
    screening_outdated,
    standing_allergies,
)
from mesoclinic.care.selectors.lots import LotOption, session_lot_options
from mesoclinic.care.selectors.policy import (
    FALLBACK_ADULT_AGE,
    accepted_ingredients,
    adult_age,
    care_settings,
    clinic_policy,
    current_policy,
)
from mesoclinic.care.selectors.recording import NOT_ALLOWED, Recorder, recorder, steps_allowed
from mesoclinic.care.selectors.records import (
    HISTORY,
    CareSummary,
    ChartEntry,
    care_panel,
    care_summary,
    chart,
    get_allergy_for_user,
    get_consent_for_user,
    get_consultation_for_user,
    get_course_for_user,
    get_patch_test_for_user,
    get_photo_for_user,
    get_session_for_user,
    planned_components,
)

__all__ = [
    "FALLBACK_ADULT_AGE",
    "HISTORY",
    "NOT_ALLOWED",
    "CareSummary",
    "ChartEntry",
    "LotOption",
    "Recorder",
    "accepted_ingredients",
    "adult_age",
    "allergy_codes",
    "care_panel",
    "care_settings",
    "care_summary",
    "chart",
    "clinic_policy",
    "consent_course",
    "current_aftercare",
    "current_consent_text",
    "current_policy",
    "get_allergy_for_user",
    "get_consent_for_user",
    "get_consultation_for_user",
    "get_course_for_user",
    "get_patch_test_for_user",
    "get_photo_for_user",
    "get_session_for_user",
    "latest_consultation",
    "patch_test_codes",
    "plan_digest",
    "plan_for_consent",
    "planned_components",
    "positive_patch_test_codes",
    "recorder",
    "screening_outdated",
    "session_lot_options",
    "standing_allergies",
    "steps_allowed",
]
