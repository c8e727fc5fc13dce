"""Aftercare's staff pages, under /aftercare/."""

from django.urls import path

from mesoclinic.aftercare.views import checkins, clinic, events, photos, progress, scores

app_name = "aftercare"

urlpatterns = [
    path("events/<int:pk>/", events.EventView.as_view(), name="event"),
    path("alerts/<int:pk>/", events.AlertView.as_view(), name="alert"),
    path("sessions/<int:pk>/scores/", scores.SessionScoresView.as_view(), name="score"),
    path("courses/<int:pk>/baseline/", scores.BaselineScoresView.as_view(), name="baseline"),
    path("scores/preview/<str:scale>/", scores.ScorePreviewView.as_view(), name="score_preview"),
    path("courses/<int:course_id>/", progress.ProgressView.as_view(), name="progress"),
    path("courses/<int:course_id>/compare/", photos.CompareView.as_view(), name="compare"),
    path("courses/<int:course_id>/photos/", photos.PhotoUploadView.as_view(), name="photo_upload"),
    path(
        "courses/<int:course_id>/summary.pdf",
        progress.SummaryPdfView.as_view(),
        name="summary_pdf",
    ),
    path(
        "courses/<int:course_id>/marketing-consent/",
        photos.MarketingConsentView.as_view(),
        name="marketing_consent",
    ),
    path("photos/<int:pk>/", photos.PhotoView.as_view(), name="photo"),
    path("photos/<int:pk>/thumbnail/", photos.PhotoThumbnailView.as_view(), name="photo_thumbnail"),
    # B: the clinic's side of aftercare.
    path("clinics/<int:clinic_id>/queue/", clinic.QueueView.as_view(), name="queue"),
    path("clinics/<int:clinic_id>/overdue/", clinic.OverdueView.as_view(), name="overdue"),
    path("clinics/<int:clinic_id>/adverse-events/", clinic.RegisterView.as_view(), name="register"),
    # Every clinic the user reads: the formulary's product page links here by product.
    path("adverse-events/", clinic.RegisterView.as_view(), name="register_all"),
    path(
        "sessions/<int:session_id>/check-in/",
        checkins.RecordCheckInView.as_view(),
        name="record_check_in",
    ),
    path("check-ins/<int:pk>/", checkins.ReviewView.as_view(), name="review"),
    path("check-ins/<int:pk>/photo/", checkins.CheckInPhotoView.as_view(), name="check_in_photo"),
]
