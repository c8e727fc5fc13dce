from django.urls import path

from mesoclinic.care import views

app_name = "care"

urlpatterns = [
    path(
        "patients/<int:patient_pk>/consultations/new/",
        views.ConsultationCreateView.as_view(),
        name="consultation_new",
    ),
    path(
        "patients/<int:patient_pk>/screening/preview/",
        views.ScreeningPreviewView.as_view(),
        name="screening_preview",
    ),
    path("consultations/<int:pk>/", views.ConsultationDetailView.as_view(), name="consultation"),
    path("consultations/<int:pk>/justify/", views.JustifyView.as_view(), name="justify"),
    path("consultations/<int:pk>/photos/", views.PhotoUploadView.as_view(), name="photo_upload"),
    path("photos/<int:pk>/", views.PhotoView.as_view(), name="photo"),
    path(
        "allergies/<int:pk>/retract/",
        views.AllergyRetractView.as_view(),
        name="allergy_retract",
    ),
    path(
        "patients/<int:patient_pk>/patch-tests/new/",
        views.PatchTestCreateView.as_view(),
        name="patch_test_new",
    ),
    path("patch-tests/<int:pk>/", views.PatchTestDetailView.as_view(), name="patch_test"),
    path("patch-tests/<int:pk>/read/", views.PatchTestReadView.as_view(), name="patch_test_read"),
    path(
        "patients/<int:patient_pk>/consents/new/",
        views.ConsentCreateView.as_view(),
        name="consent_new",
    ),
    path("consents/<int:pk>/", views.ConsentDetailView.as_view(), name="consent"),
    path("consents/<int:pk>/pdf/", views.ConsentPdfView.as_view(), name="consent_pdf"),
    path(
        "patients/<int:patient_pk>/courses/new/",
        views.CourseCreateView.as_view(),
        name="course_new",
    ),
    path(
        "plan-preview/<int:version_pk>/",
        views.CoursePreviewView.as_view(),
        name="course_preview",
    ),
    path("courses/<int:pk>/", views.CourseDetailView.as_view(), name="course"),
    # Not under courses/: receptionists book from here and never open the course pages.
    path("book-course/<int:pk>/", views.CourseBookingView.as_view(), name="course_book"),
    path("courses/<int:pk>/edit/", views.CourseEditView.as_view(), name="course_edit"),
    path("courses/<int:pk>/status/", views.CourseStatusView.as_view(), name="course_status"),
    path(
        "courses/<int:pk>/sessions/start/",
        views.SessionStartView.as_view(),
        name="session_start",
    ),
    path("courses/<int:pk>/sessions/new/", views.SessionCreateView.as_view(), name="session_new"),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session"),
    path("sessions/<int:pk>/aftercare/", views.AftercareView.as_view(), name="aftercare"),
    path("sessions/<int:pk>/aftercare.pdf", views.AftercarePdfView.as_view(), name="aftercare_pdf"),
    path("patients/<int:patient_pk>/chart/", views.ChartView.as_view(), name="chart"),
]
