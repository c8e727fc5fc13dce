"""No double booking under concurrent requests: the database has the last word (exclusion
constraints on PostgreSQL, a serialized write transaction on SQLite), and every loser gets a
clean refusal naming the clash."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from mesoclinic.appointments import services
from mesoclinic.appointments.models import ACTIVE, Appointment
from mesoclinic.appointments.tests.fixtures import at
from mesoclinic.notifications.tests.helpers import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)

REQUESTS = 20


def patients(make_patient, clinic, n):
    return [make_patient(clinic) for _ in range(n)]


def race(ready, user, starts, people):
    calls = iter(zip(starts, people, strict=True))
    lock = __import__("threading").Lock()

    def one():
        with lock:
            start, patient = next(calls)
        return services.book(
            acting_user=user,
            clinic=ready.clinic,
            appointment_type=ready.type("session"),
            start=start,
            patient=patient,
            practitioner=ready.doctor,
        )

    return run_at_once(one, times=len(starts))


def assert_one_won(results, errors):
    assert len(results) == 1, errors
    assert len(errors) == REQUESTS - 1
    assert all(isinstance(e, services.BookingRefused) and e.clash for e in errors), errors
    assert all(e.messages for e in errors)
    assert Appointment.objects.filter(status__in=ACTIVE).count() == 1


def test_it_books_one_of_twenty_requests_for_one_slot(ready, receptionist, make_patient):
    people = patients(make_patient, ready.clinic, REQUESTS)

    results, errors = race(ready, receptionist, [at(ready.day, 10)] * REQUESTS, people)

    assert_one_won(results, errors)


def test_it_books_one_of_twenty_partly_overlapping_requests(ready, receptionist, make_patient):
    people = patients(make_patient, ready.clinic, REQUESTS)
    starts = [at(ready.day, 10) + timedelta(minutes=3 * n) for n in range(REQUESTS)]  # 10:00–10:57

    results, errors = race(ready, receptionist, starts, people)

    assert_one_won(results, errors)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_database_itself_refuses_an_overlap_the_services_did_not_check(ready, receptionist):
    booked = services.book(
        acting_user=receptionist,
        clinic=ready.clinic,
        appointment_type=ready.type("session"),
        start=at(ready.day, 10),
        patient=ready.patient,
    )
    for overlap in (timedelta(0), timedelta(minutes=20), timedelta(minutes=-30)):
        clone = Appointment(
            clinic=booked.clinic,
            type=booked.type,
            enquiry=None,
            patient=None,
            practitioner=booked.practitioner,
            room=None,
            starts_at=booked.starts_at + overlap,
            ends_at=booked.ends_at + overlap,
            blocked_from=booked.blocked_from + overlap,
            blocked_until=booked.blocked_until + overlap,
        )
        clone.patient = booked.patient if overlap == timedelta(0) else None
        clone.enquiry_id = None
        with pytest.raises(IntegrityError), transaction.atomic():
            if clone.patient is None:
                # a visitor's booking: an enquiry instead of a patient
                from mesoclinic.patients.models import Enquiry

                clone.enquiry = Enquiry.objects.create(
                    clinic=booked.clinic, name="V", mobile="+923001112223", preferred_language="en"
                )
            clone.save()
    assert connection.vendor == "postgresql"


def test_it_gives_racing_any_practitioner_bookings_the_next_free_one(
    ready, receptionist, make_patient, make_practitioner
):
    from mesoclinic.appointments.tests.fixtures import open_every_day

    second = make_practitioner("derm_two", ready.clinic)
    open_every_day(ready.clinic, [second], rooms=("Room 2",))
    people = iter(patients(make_patient, ready.clinic, 2))
    lock = __import__("threading").Lock()

    def one():
        with lock:
            patient = next(people)
        return services.book(
            acting_user=receptionist,
            clinic=ready.clinic,
            appointment_type=ready.type("session"),
            start=at(ready.day, 10),
            patient=patient,
        )

    results, errors = run_at_once(one, times=2)

    assert errors == []
    assert {a.practitioner_id for a in results} == {ready.doctor.pk, second.pk}
    assert len({a.room_id for a in results}) == 2
