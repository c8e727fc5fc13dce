"""What the book refuses besides a clash: a course's visit moved out of its interval (unless
the following ones move with it), a completion before the day, a time beyond reach; and the
words of a refusal (the booking's own times, a closure's days)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mesoclinic.appointments import services
from mesoclinic.appointments.models import Closure, Status
from mesoclinic.appointments.tests.fixtures import at
from mesoclinic.appointments.tests.test_series_booking import book_series, sessions
from mesoclinic.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_it_refuses_to_move_a_course_visit_out_of_its_interval(ready, receptionist):
    booked = list(book_series(ready, receptionist, sessions(ready, count=3)).appointments.all())
    second = booked[1]

    with pytest.raises(services.BookingRefused) as caught:
        services.reschedule(
            acting_user=receptionist,
            appointment=second,
            start=at(ready.day + timedelta(days=1), 11),
        )

    assert caught.value.refusals[0].code == "gap"
    assert "Session 2 of 3" in caught.value.messages[0]
    assert "14 to 28" in caught.value.messages[0]
    second.refresh_from_db()
    assert second.starts_at == at(ready.day + timedelta(days=14), 11)


def test_the_move_page_shifts_the_following_visits_when_asked(ready, receptionist, client):
    booked = list(book_series(ready, receptionist, sessions(ready, count=3)).appointments.all())
    client.force_login(receptionist)
    later = at(ready.day + timedelta(days=14 + 10), 11)  # session 2 moved 10 days later

    client.post(
        f"/appointments/{booked[1].pk}/reschedule/",
        {"start": later.strftime("%Y-%m-%dT%H:%M"), "shift_following": "1"},
    )

    for row in booked:
        row.refresh_from_db()
    assert booked[1].starts_at == later
    assert (
        timezone.localtime(booked[2].starts_at).date() - timezone.localtime(later).date()
    ).days == 14


def test_it_refuses_to_complete_an_appointment_before_its_day(ready, receptionist):
    appointment = services.book(
        acting_user=receptionist,
        clinic=ready.clinic,
        appointment_type=ready.type("session"),
        start=at(ready.day, 10),
        patient=ready.patient,
    )

    with pytest.raises(services.BookingRefused, match="still to come"):
        services.complete(acting_user=receptionist, appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_it_refuses_a_time_beyond_reach_without_an_error_page(ready, receptionist, client):
    with pytest.raises(services.BookingRefused, match="two years"):
        services.book(
            acting_user=receptionist,
            clinic=ready.clinic,
            appointment_type=ready.type("session"),
            start=at(timezone.localdate().replace(year=9999), 10),
            patient=ready.patient,
        )
    client.force_login(receptionist)
    assert client.get(f"/appointments/{ready.clinic.slug}/day/9999-12-31/").status_code == 404
    assert client.get(f"/appointments/{ready.clinic.slug}/week/0001-01-01/").status_code == 404
    page = client.get(
        f"/appointments/{ready.clinic.slug}/book/",
        {"type": ready.type("session").pk, "date": "9999-12-31", "patient": ready.patient.pk},
    )
    assert page.status_code in (200, 400)


def test_a_clash_names_the_booking_own_times_and_a_closure_its_days_once(
    ready, receptionist, make_patient
):
    services.book(
        acting_user=receptionist,
        clinic=ready.clinic,
        appointment_type=ready.type("session"),
        start=at(ready.day, 10),
        patient=ready.patient,
    )
    with pytest.raises(services.BookingRefused) as clash:
        services.book(
            acting_user=receptionist,
            clinic=ready.clinic,
            appointment_type=ready.type("session"),
            start=at(ready.day, 10, 30),
            patient=make_patient(ready.clinic),
            practitioner=ready.doctor,
        )
    assert any("10:00–10:45" in m for m in clash.value.messages), clash.value.messages

    Closure.objects.create(
        clinic=ready.clinic,
        first=ready.day + timedelta(days=1),
        last=ready.day + timedelta(days=3),
        label="Eid ul-Adha",
    )
    with pytest.raises(services.BookingRefused) as closed:
        services.book(
            acting_user=receptionist,
            clinic=ready.clinic,
            appointment_type=ready.type("session"),
            start=at(ready.day + timedelta(days=2), 10),
            patient=ready.patient,
            practitioner=ready.doctor,
        )
    eid = [m for m in closed.value.messages if "Eid ul-Adha" in m]
    assert len(eid) == 1, closed.value.messages
    assert "00:00" not in eid[0]


def test_opening_an_appointment_page_is_an_audited_read(ready, receptionist, client):
    appointment = services.book(
        acting_user=receptionist,
        clinic=ready.clinic,
        appointment_type=ready.type("session"),
        start=at(ready.day, 10),
        patient=ready.patient,
    )
    client.force_login(receptionist)

    client.get(f"/appointments/{appointment.pk}/")

    assert AuditEvent.objects.filter(
        action="view", object_type="appointments.appointment", object_id=str(appointment.pk)
    ).exists()


def test_a_deactivated_practitioner_is_refused_as_no_longer_working_here(ready, receptionist):
    ready.doctor.user.is_active = False
    ready.doctor.user.save(update_fields=["is_active"])

    with pytest.raises(services.BookingRefused) as caught:
        services.book(
            acting_user=receptionist,
            clinic=ready.clinic,
            appointment_type=ready.type("consultation"),
            start=at(ready.day, 10),
            patient=ready.patient,
            practitioner=ready.doctor,
        )

    assert caught.value.refusals[0].code == "not_member"
