"""Aftercare's staff pages, under /aftercare/."""

from django.urls import path

from mesoclinic.aftercare.views import checkins, clinic, events

app_name = "aftercare"

urlpatterns = [
    path("events/<int:pk>/", events.EventView.as_view(), name="event"),
    path("alerts/<int:pk>/", events.AlertView.as_view(), name="alert"),
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
