"""Aftercare's staff pages, under /aftercare/."""

from django.urls import path

from mesoclinic.aftercare.views import events, scores

app_name = "aftercare"

urlpatterns = [
    path("events/<int:pk>/", events.EventView.as_view(), name="event"),
    path("alerts/<int:pk>/", events.AlertView.as_view(), name="alert"),
    path("sessions/<int:pk>/scores/", scores.SessionScoresView.as_view(), name="score"),
    path("courses/<int:pk>/baseline/", scores.BaselineScoresView.as_view(), name="baseline"),
    path("scores/preview/<str:scale>/", scores.ScorePreviewView.as_view(), name="score_preview"),
]
