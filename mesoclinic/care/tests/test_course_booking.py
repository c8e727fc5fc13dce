"""Booking a whole course from its plan (care builds the occurrences, appointments books them
all or none), and a charted session completing its appointment."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from mesoclinic.appointments import services as appointment_services
from mesoclinic.appointments.models import Appointment, Series, Status
from mesoclinic.appointments.tests.fixtures import at, open_every_day
from mesoclinic.audit.services import Interface
from mesoclinic.care.services import booking
from mesoclinic.care.tests.conftest import chart_session

pytestmark = pytest.mark.django_db


def first_start(days=7, hour=11):
    return at(timezone.localdate() + timedelta(days=days), hour)


def book(user, course, start=None, **extra):
    return booking.book_course(
        acting_user=user,
        course=course,
        first_start=start or first_start(),
        via=Interface.WEB,
        **extra,
    )


def test_it_books_every_session_and_the_maintenance_visit(course_to_book, receptionist):
    series = book(receptionist, course_to_book)

    rows = list(series.appointments.order_by("starts_at"))
    assert series.course_id == course_to_book.pk
    assert [r.label for r in rows] == [
        "Session 1 of 4",
        "Session 2 of 4",
        "Session 3 of 4",
        "Session 4 of 4",
        "Maintenance",
    ]
    targets = [date.fromisoformat(d) + timedelta(days=7) for d in course_to_book.session_dates]
    assert [timezone.localtime(r.starts_at).date() for r in rows[:4]] == targets
    assert all(timezone.localtime(r.starts_at).hour == 11 for r in rows)
    assert timezone.localtime(rows[4].starts_at).date() == (
        course_to_book.maintenance_due + timedelta(days=7)
    )
    assert (rows[1].gap_min_days, rows[1].gap_max_days) == (14, 28)
    assert (rows[4].gap_min_days, rows[4].gap_max_days) == (90, 180)


def test_it_books_the_patch_read_inside_its_window_before_session_one(
    course_to_book, receptionist, apply_test
):
    test = apply_test(course_to_book.patient, 0)  # read 24–72 h from now

    series = book(receptionist, course_to_book)

    read = series.appointments.order_by("starts_at").first()
    assert read.type.code == "patch_read" and read.label == "Patch-test reading"
    opens = test.applied_at + timedelta(hours=test.window_opens_hours)
    closes = test.applied_at + timedelta(hours=test.window_closes_hours)
    assert opens <= read.starts_at < closes
    assert read.starts_at < first_start()


def test_it_refuses_the_whole_course_for_one_clash_naming_it(
    course_to_book, receptionist, make_patient
):
    session_3 = at(date.fromisoformat(course_to_book.session_dates[2]) + timedelta(days=7), 11)
    other = make_patient(course_to_book.clinic)
    appointment_services.book(
        acting_user=receptionist,
        clinic=course_to_book.clinic,
        appointment_type=course_to_book.clinic.appointment_types.get(code="session"),
        start=session_3,
        patient=other,
    )

    with pytest.raises(appointment_services.BookingRefused) as caught:
        book(receptionist, course_to_book)

    assert {r.occurrence.split(" (")[0] for r in caught.value.refusals} == {"Session 3 of 4"}
    assert caught.value.refusals[0].alternatives
    assert not Series.objects.exists() and Appointment.objects.count() == 1


def test_it_uses_a_picked_alternative(course_to_book, receptionist):
    picked = first_start(days=7 + 21 + 2, hour=14)

    series = book(receptionist, course_to_book, starts={1: picked})

    assert series.appointments.order_by("starts_at")[1].starts_at == picked


def test_it_refuses_to_book_a_course_twice_or_for_an_outsider(
    course_to_book, receptionist, outsider
):
    book(receptionist, course_to_book)

    with pytest.raises(appointment_services.BookingRefused) as caught:
        book(receptionist, course_to_book, start=first_start(days=8))
    assert caught.value.refusals[0].code == "booked"
    with pytest.raises(PermissionDenied):
        book(outsider, course_to_book)
    assert Series.objects.count() == 1


def test_a_charted_session_completes_its_appointment(make_ready, patient_a, dermatologist, lot_a):
    course = make_ready(patient_a)
    open_every_day(course.clinic, [dermatologist])
    series = book(dermatologist.user, course, start=first_start(days=1))
    first = series.appointments.order_by("starts_at").first()
    # The day of the appointment has come: it is now under way.
    now = timezone.now()
    Appointment.objects.filter(pk=first.pk).update(
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(minutes=35),
        blocked_from=now - timedelta(minutes=15),
        blocked_until=now + timedelta(minutes=45),
    )

    chart_session(dermatologist.user, course, lot_a)

    first.refresh_from_db()
    assert first.status == Status.COMPLETED
    later = series.appointments.exclude(pk=first.pk)
    assert set(later.values_list("status", flat=True)) == {Status.BOOKED}


def test_the_next_session_keeps_its_interval_from_the_last_one_charted(
    make_ready, patient_a, dermatologist, lot_a, receptionist
):
    course = make_ready(patient_a)
    open_every_day(course.clinic, [dermatologist])
    chart_session(dermatologist.user, course, lot_a)
    version = course.protocol_version

    with pytest.raises(appointment_services.BookingRefused) as caught:
        book(receptionist, course, start=first_start(days=1))

    assert any("Session 2" in m for m in caught.value.messages), caught.value.messages
    assert not Appointment.objects.exists()
    series = book(receptionist, course, start=first_start(days=version.interval_days_min))
    second = series.appointments.order_by("starts_at").first()
    assert second.window_opens_at is not None


def test_it_refuses_a_first_date_beyond_two_years(course_to_book, receptionist):
    with pytest.raises(appointment_services.BookingRefused, match="two years"):
        book(receptionist, course_to_book, start=at(date(9999, 12, 1), 11))
