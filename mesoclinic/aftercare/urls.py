"""Aftercare's staff pages, under /aftercare/."""

from django.urls import path

from mesoclinic.aftercare.views import events, photos, progress, scores

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
    path("photos/<int:pk>/", photos.PhotoView.as_view(), name="photo"),
    path("photos/<int:pk>/thumbnail/", photos.PhotoThumbnailView.as_view(), name="photo_thumbnail"),
]
