"""Helpers the page tests share: booking through the service and the URLs of a day."""

from mesoclinic.appointments import services
from mesoclinic.appointments.tests.fixtures import at


def book(ready, user, code="consultation", hour=10, minute=0, day=None, **extra):
    fields = {
        "acting_user": user,
        "clinic": ready.clinic,
        "appointment_type": ready.type(code),
        "start": at(day or ready.day, hour, minute),
        "patient": ready.patient,
    }
    return services.book(**(fields | extra))


def day_url(ready, day=None):
    return f"/appointments/{ready.clinic.slug}/day/{(day or ready.day).isoformat()}/"


def week_url(ready, day=None):
    return f"/appointments/{ready.clinic.slug}/week/{(day or ready.day).isoformat()}/"
