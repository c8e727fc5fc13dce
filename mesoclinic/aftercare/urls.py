"""Aftercare's staff pages, under /aftercare/."""

from django.urls import path

from mesoclinic.aftercare.views import events

app_name = "aftercare"

urlpatterns = [
    path("events/<int:pk>/", events.EventView.as_view(), name="event"),
    path("alerts/<int:pk>/", events.AlertView.as_view(), name="alert"),
]
