"""Staff pages of the appointment book, under /appointments/."""

from django.urls import path

from mesoclinic.appointments import feed_views

app_name = "appointments"

urlpatterns = [
    path("calendar-addresses/", feed_views.FeedsView.as_view(), name="feeds"),
]
