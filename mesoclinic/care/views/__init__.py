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
    AftercarePdfView,
    AftercareView,
    ChartView,
    CourseCreateView,
    CourseDetailView,
    CourseStatusView,
    SessionCreateView,
    SessionDetailView,
)
from mesoclinic.care.views.patch_tests import (
    PatchTestCreateView,
    PatchTestDetailView,
    PatchTestReadView,
)

__all__ = [
    "AftercarePdfView",
    "AftercareView",
    "ChartView",
    "ConsentCreateView",
    "ConsentDetailView",
    "ConsentPdfView",
    "ConsultationCreateView",
    "ConsultationDetailView",
    "CourseCreateView",
    "CourseDetailView",
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
]
