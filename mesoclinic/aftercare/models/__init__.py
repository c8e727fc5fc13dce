"""Aftercare's records: the clinic's follow-up settings, check-ins and the side effects they
report, cluster alerts, outcome scores and treatment photos. The adverse event itself is a care
record (`care.AdverseEvent`), since the safety gate reads it."""

from mesoclinic.aftercare.models.alerts import ClusterAlert
from mesoclinic.aftercare.models.checkins import CheckIn, SideEffect
from mesoclinic.aftercare.models.photos import CoursePhoto, MarketingConsent
from mesoclinic.aftercare.models.scores import OutcomeScore
from mesoclinic.aftercare.models.settings import AftercareSettings

__all__ = [
    "AftercareSettings",
    "CheckIn",
    "ClusterAlert",
    "CoursePhoto",
    "MarketingConsent",
    "OutcomeScore",
    "SideEffect",
]
