"""Clinical care: the screening policy, consultations, allergies, patch tests, consent,
plans and their dose overrides, and sessions."""

from mesoclinic.care.models.adverse import AdverseEvent
from mesoclinic.care.models.consents import Consent, ConsentText
from mesoclinic.care.models.consultations import (
    Allergy,
    BaselinePhoto,
    Consultation,
    PatientRecordQuerySet,
)
from mesoclinic.care.models.courses import (
    AftercareText,
    Course,
    CourseComponent,
    SessionProduct,
    TreatmentSession,
)
from mesoclinic.care.models.overrides import DoseOverride
from mesoclinic.care.models.patch import PatchTest, PatchTestItem
from mesoclinic.care.models.policy import CareSettings, ContraindicationRule

__all__ = [
    "AdverseEvent",
    "AftercareText",
    "Allergy",
    "BaselinePhoto",
    "CareSettings",
    "Consent",
    "ConsentText",
    "Consultation",
    "ContraindicationRule",
    "Course",
    "CourseComponent",
    "DoseOverride",
    "PatchTest",
    "PatchTestItem",
    "PatientRecordQuerySet",
    "SessionProduct",
    "TreatmentSession",
]
