from mesoclinic.care.views.allergies import AllergyRetractView
from mesoclinic.care.views.booking import CourseBookingView
from mesoclinic.care.views.consents import ConsentCreateView, ConsentDetailView, ConsentPdfView
from mesoclinic.care.views.consultations import (
    ConsultationCreateView,
    ConsultationDetailView,
    JustifyView,
    PhotoUploadView,
    PhotoView,
    ScreeningPreviewView,
)
from mesoclinic.care.views.courses import (
    ChartView,
    CourseCreateView,
    CourseDetailView,
    CourseEditView,
    CoursePreviewView,
    CourseStatusView,
)
from mesoclinic.care.views.patch_tests import (
    PatchTestCreateView,
    PatchTestDetailView,
    PatchTestReadView,
)
from mesoclinic.care.views.sessions import (
    AftercarePdfView,
    AftercareView,
    SessionCreateView,
    SessionDetailView,
    SessionStartView,
)

__all__ = [
    "AftercarePdfView",
    "AftercareView",
    "AllergyRetractView",
    "ChartView",
    "ConsentCreateView",
    "ConsentDetailView",
    "ConsentPdfView",
    "ConsultationCreateView",
    "ConsultationDetailView",
    "CourseBookingView",
    "CourseCreateView",
    "CourseDetailView",
    "CourseEditView",
    "CoursePreviewView",
    "CourseStatusView",
    "JustifyView",
    "PatchTestCreateView",
    "PatchTestDetailView",
    "PatchTestReadView",
    "PhotoUploadView",
    "PhotoView",
    "ScreeningPreviewView",
    "SessionCreateView",
    "SessionDetailView",
    "SessionStartView",
]
