from mesoclinic.care.views.consents import ConsentCreateView, ConsentDetailView, ConsentPdfView
from mesoclinic.care.views.consultations import (
    ConsultationCreateView,
    ConsultationDetailView,
    JustifyView,
    PhotoUploadView,
    PhotoView,
    ScreeningPreviewView,
)
from mesoclinic.care.views.patch_tests import (
    PatchTestCreateView,
    PatchTestDetailView,
    PatchTestReadView,
)

__all__ = [
    "ConsentCreateView",
    "ConsentDetailView",
    "ConsentPdfView",
    "ConsultationCreateView",
    "ConsultationDetailView",
    "JustifyView",
    "PatchTestCreateView",
    "PatchTestDetailView",
    "PatchTestReadView",
    "PhotoUploadView",
    "PhotoView",
    "ScreeningPreviewView",
]
