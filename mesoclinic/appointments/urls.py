"""Staff pages of the appointment book, under /appointments/."""

from datetime import date

from django.urls import path, register_converter

from mesoclinic.appointments import feed_views, views


class DateConverter:
    """A local date in the path, yyyy-mm-dd (an impossible date is a 404, not a 500)."""

    regex = r"\d{4}-\d{2}-\d{2}"

    #: Days the book's pages open at all: a week's arithmetic near year 1 or 9999 would
    #: overflow, and a clinic has no business there.
    EARLIEST = date(2000, 1, 1)
    LATEST = date(2100, 12, 31)

    def to_python(self, value):
        day = date.fromisoformat(value)  # ValueError: the URL does not match
        if not self.EARLIEST <= day <= self.LATEST:
            raise ValueError(value)
        return day

    def to_url(self, value):
        return value.isoformat() if isinstance(value, date) else str(value)


register_converter(DateConverter, "day")

app_name = "appointments"

urlpatterns = [
    # Before "<clinic_slug>/": a clinic's slug never shadows this page.
    path("calendar-addresses/", feed_views.FeedsView.as_view(), name="feeds"),
    path("<int:pk>/", views.AppointmentView.as_view(), name="detail"),
    path("<int:pk>/reschedule/", views.RescheduleView.as_view(), name="reschedule"),
    path("<int:pk>/cancel/", views.CancelView.as_view(), name="cancel"),
    path("<int:pk>/<slug:action>/", views.StatusView.as_view(), name="status"),
    path("<slug:clinic_slug>/", views.TodayView.as_view(), name="today"),
    path("<slug:clinic_slug>/day/<day:day>/", views.DayView.as_view(), name="day"),
    path("<slug:clinic_slug>/week/<day:day>/", views.WeekView.as_view(), name="week"),
    path("<slug:clinic_slug>/book/", views.BookView.as_view(), name="book"),
]
