"""What the scheduling tests share: a clinic with a practitioner's book, a booking helper, and
reads that check every resource with the validator."""

from dataclasses import dataclass
from datetime import date

import pytest

from mesoclinic.appointments import services
from mesoclinic.appointments.tests.fixtures import at, day_ahead, open_every_day, type_at
from mesoclinic.clinics.models import Membership
from mesoclinic.fhir.tests.validator import assert_valid


@dataclass
class Book:
    clinic: object
    doctor: object
    patient: object
    day: date
    schedule: int  # the doctor's Schedule id (their membership of the clinic)


@pytest.fixture(name="book")
def book_fixture(clinic_a, make_practitioner, patient_a):
    """Clinic A open every day 09:00–17:00 with a room, Dr Derm_A working those hours."""
    doctor = make_practitioner("derm_a", clinic_a)
    open_every_day(clinic_a, [doctor])
    membership = Membership.objects.get(user=doctor.user, clinic=clinic_a)
    return Book(clinic_a, doctor, patient_a, day_ahead(), membership.pk)


def booked(book, user, hour, *, code="consultation", patient=None, **extra):
    return services.book(
        acting_user=user,
        clinic=book.clinic,
        appointment_type=type_at(book.clinic, code),
        start=at(book.day, hour),
        patient=patient or book.patient,
        practitioner=book.doctor,
        **extra,
    )


def ids(bundle) -> list[str]:
    return [e["resource"]["id"] for e in bundle.get("entry", []) if e["search"]["mode"] == "match"]


def get_ok(api, path, data=None) -> dict:
    response = api.fhir_get(path, data)
    assert response.status_code == 200, response.json()
    assert_valid(response.json())
    return response.json()
