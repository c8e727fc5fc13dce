"""Forms for the clinical pathway: screening (consultation, patch test, consent) and plans and
sessions. They check shape and completeness; the services decide what is allowed."""

from mesoclinic.care.forms.screening import (
    AllergyRetractForm,
    ConsentForm,
    ConsultationForm,
    JustifyForm,
    PatchTestApplyForm,
    PatchTestReadForm,
    PhotoForm,
    initial_from,
)
from mesoclinic.care.forms.sessions import (
    CourseForm,
    SessionForm,
    SessionLineFormSet,
    SessionStartForm,
)

__all__ = [
    "AllergyRetractForm",
    "ConsentForm",
    "ConsultationForm",
    "CourseForm",
    "JustifyForm",
    "PatchTestApplyForm",
    "PatchTestReadForm",
    "PhotoForm",
    "SessionForm",
    "SessionLineFormSet",
    "SessionStartForm",
    "initial_from",
]
