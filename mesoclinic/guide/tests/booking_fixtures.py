"""Shared set-up for the public booking tests (page tests and the browser journey): a clinic
open every day 09:00–17:00 with a verified dermatologist, and the steps of a visitor's booking
done over HTTP."""

from mesoclinic.appointments.facts import local_zone
from mesoclinic.appointments.tests.fixtures import open_every_day
from mesoclinic.notifications.models import Message

VISITOR = {
    "name": "Ayesha Khan",
    "mobile": "0300-1234567",
    "preferred_language": "en",
    "agree": "on",
}


def bookable(clinic, make_practitioner, *, username="drsana", number="12345-P"):
    """`clinic` open every day with one verified dermatologist (who takes consultations)."""
    doctor = make_practitioner(username, clinic, number=number)
    open_every_day(clinic, [doctor])
    return doctor


def param(moment) -> str:
    """A start as the slot links carry it (Karachi wall clock)."""
    return moment.astimezone(local_zone()).strftime("%Y-%m-%dT%H:%M")


def sent_code(booking) -> str:
    """The code as it waits in the outbox for the SMS channel (the console in development)."""
    return Message.objects.get(idempotency_key=f"visitor-code-{booking.pk}").values["code"]
