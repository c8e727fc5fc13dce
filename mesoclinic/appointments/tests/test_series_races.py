"""A course booking racing a single booking for one of its times: never both. The loser is
refused cleanly; a refused course leaves nothing behind."""

import threading
from datetime import timedelta

import pytest

from mesoclinic.appointments import series_booking, services
from mesoclinic.appointments.models import ACTIVE, Appointment, Series
from mesoclinic.appointments.tests.test_series_booking import sessions
from mesoclinic.audit.services import Interface
from mesoclinic.notifications.tests.helpers import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 3


def test_it_never_books_both_a_course_and_a_single_booking_racing_it(
    ready, receptionist, make_patient
):
    for round_number in range(ROUNDS):
        first_day = ready.day + timedelta(days=round_number)
        course = sessions(ready, first_day=first_day, hour=11 + 2 * round_number)
        other = make_patient(ready.clinic)
        contested = course[2].start + timedelta(minutes=15)  # a partial overlap with session 3
        callers = iter(["course", "single"])
        lock = threading.Lock()

        def one(course=course, other=other, contested=contested, callers=callers, lock=lock):
            with lock:
                who = next(callers)
            if who == "course":
                return series_booking.book_series(
                    acting_user=receptionist,
                    clinic=ready.clinic,
                    patient=ready.patient,
                    occurrences=course,
                    via=Interface.WEB,
                )
            return services.book(
                acting_user=receptionist,
                clinic=ready.clinic,
                appointment_type=ready.type("session"),
                start=contested,
                patient=other,
                practitioner=ready.doctor,
            )

        course_rows = Appointment.objects.filter(patient=ready.patient, series__isnull=False)
        held_before = course_rows.count()

        results, errors = run_at_once(one, times=2)

        assert len(results) == 1, errors
        (error,) = errors
        assert isinstance(error, services.BookingRefused) and error.messages
        series_won = isinstance(results[0], Series)
        single = Appointment.objects.filter(patient=other, status__in=ACTIVE)
        if series_won:
            assert course_rows.count() == held_before + 4 and not single.exists()
            assert error.clash
        else:
            assert single.count() == 1 and course_rows.count() == held_before
            assert any("Session 3 of 4" in m for m in error.messages), error.messages
