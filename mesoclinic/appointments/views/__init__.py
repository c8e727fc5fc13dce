"""The staff pages of the appointment book (see each module's docstring)."""

from mesoclinic.appointments.views.appointment import (
    AppointmentView,
    CancelView,
    RescheduleView,
    StatusView,
)
from mesoclinic.appointments.views.booking import BookView
from mesoclinic.appointments.views.calendar import DayView, TodayView, WeekView

__all__ = [
    "AppointmentView",
    "BookView",
    "CancelView",
    "DayView",
    "RescheduleView",
    "StatusView",
    "TodayView",
    "WeekView",
]
