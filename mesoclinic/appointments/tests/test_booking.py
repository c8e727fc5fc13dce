"""Booking, rescheduling and the status changes, through the services: every refusal names its
reason and changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mesoclinic.appointments import services
from mesoclinic.appointments.models import Appointment, Break, Closure, Leave, Status
from mesoclinic.appointments.tests.fixtures import at, come_the_day, open_every_day
from mesoclinic.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def book(ready, user, code="session", hour=10, minute=0, **extra):
    fields = {
        "acting_user": user,
        "clinic": ready.clinic,
        "appointment_type": ready.type(code),
        "start": at(ready.day, hour, minute),
        "patient": ready.patient,
    }
    return services.book(**(fields | extra))


def refusal_of(call) -> services.BookingRefused:
    before = Appointment.objects.count()
    with pytest.raises(services.BookingRefused) as caught:
        call()
    assert Appointment.objects.count() == before
    return caught.value


def test_it_books_a_session_with_a_free_practitioner_and_room(ready, receptionist):
    appointment = book(ready, receptionist)

    assert appointment.practitioner == ready.doctor
    assert appointment.room == ready.room
    assert appointment.ends_at - appointment.starts_at == timedelta(minutes=45)
    assert appointment.blocked_from == appointment.starts_at - timedelta(minutes=5)
    assert appointment.blocked_until == appointment.ends_at + timedelta(minutes=10)
    assert AuditEvent.objects.filter(
        object_type="appointments.appointment", object_id=str(appointment.pk), action="create"
    ).exists()


def test_it_stores_utc_and_keeps_the_karachi_wall_clock(ready, receptionist):
    appointment = book(ready, receptionist, code="consultation", hour=9)

    assert appointment.starts_at.astimezone(timezone.UTC).hour == 4
    assert timezone.localtime(appointment.starts_at).hour == 9


def test_it_refuses_a_partial_overlap_naming_the_practitioner_and_time(
    ready, receptionist, make_patient
):
    book(ready, receptionist, hour=10)
    other = make_patient(ready.clinic)

    refused = refusal_of(
        lambda: book(
            ready, receptionist, hour=10, minute=30, patient=other, practitioner=ready.doctor
        )
    )

    assert refused.clash
    assert {r.resource for r in refused.refusals} >= {"practitioner"}
    assert any("10:00–10:45" in m for m in refused.messages), refused.messages


def test_it_refuses_the_buffer_after_as_well_as_the_appointment(ready, receptionist, make_patient):
    book(ready, receptionist, hour=10)  # 10:00–10:45, holds until 10:55
    other = make_patient(ready.clinic)

    refused = refusal_of(lambda: book(ready, receptionist, hour=10, minute=45, patient=other))

    assert refused.clash


def test_it_refuses_the_same_patient_twice_at_once(ready, receptionist, make_practitioner):
    second = make_practitioner("derm_two", ready.clinic)
    open_every_day(ready.clinic, [second], rooms=("Room 2",))
    book(ready, receptionist, hour=11)

    refused = refusal_of(lambda: book(ready, receptionist, hour=11, minute=15, practitioner=second))

    assert any(r.resource == "patient" for r in refused.refusals)


def test_it_refuses_the_past_outside_hours_leave_and_a_closure(ready, receptionist):
    yesterday = timezone.localdate() - timedelta(days=1)
    assert "passed" in " ".join(
        refusal_of(lambda: book(ready, receptionist, start=at(yesterday, 10))).messages
    )
    assert refusal_of(lambda: book(ready, receptionist, hour=18)).refusals

    Leave.objects.create(
        practitioner=ready.doctor,
        starts_at=at(ready.day, 0),
        ends_at=at(ready.day + timedelta(days=1), 0),
        reason="Training",
    )
    on_leave = refusal_of(lambda: book(ready, receptionist, practitioner=ready.doctor, hour=12))
    assert {r.code for r in on_leave.refusals} == {"leave"}
    assert not on_leave.clash

    Closure.objects.create(
        clinic=ready.clinic, first=ready.day, last=ready.day, label="Eid ul-Fitr"
    )
    closed = refusal_of(lambda: book(ready, receptionist, practitioner=ready.doctor, hour=12))
    assert "closure" in {r.code for r in closed.refusals}
    assert any("Eid ul-Fitr" in m for m in closed.messages)


def test_it_refuses_a_break(ready, receptionist):
    Break.objects.create(
        clinic=ready.clinic,
        starts=at(ready.day, 13).time(),
        ends=at(ready.day, 14).time(),
        label="Prayer",
    )

    refused = refusal_of(
        lambda: book(ready, receptionist, practitioner=ready.doctor, hour=13, minute=30)
    )

    assert {r.code for r in refused.refusals} == {"break"}


def test_it_says_nobody_is_free_when_every_practitioner_is_booked(
    ready, receptionist, make_patient, make_practitioner
):
    second = make_practitioner("derm_two", ready.clinic)
    open_every_day(ready.clinic, [second], rooms=("Room 2",))
    book(ready, receptionist, hour=10)
    book(ready, receptionist, hour=10, patient=make_patient(ready.clinic))

    refused = refusal_of(
        lambda: book(ready, receptionist, hour=10, patient=make_patient(ready.clinic))
    )

    assert refused.clash
    assert refused.messages == ["Everyone who may take it is already booked then."]


def test_it_refuses_a_session_with_an_uncredentialed_practitioner(
    ready, receptionist, make_practitioner
):
    unverified = make_practitioner("new_nurse", ready.clinic, verified=False, qualification="nurse")

    refused = refusal_of(lambda: book(ready, receptionist, practitioner=unverified))

    assert [r.code for r in refused.refusals] == ["uncredentialed"]
    assert "not credentialed" in refused.messages[0]


def test_it_refuses_a_consultation_with_a_nurse(ready, receptionist, make_practitioner):
    nurse = make_practitioner("nurse_a", ready.clinic, qualification="nurse")

    refused = refusal_of(lambda: book(ready, receptionist, code="consultation", practitioner=nurse))

    assert [r.code for r in refused.refusals] == ["qualification"]


def test_it_reschedules_and_refuses_a_taken_time_changing_nothing(
    ready, receptionist, make_patient
):
    first = book(ready, receptionist, hour=10)
    second = book(ready, receptionist, hour=12, patient=make_patient(ready.clinic))

    moved = services.reschedule(
        acting_user=receptionist, appointment=second, start=at(ready.day, 14)
    )
    assert timezone.localtime(moved.starts_at).hour == 14
    assert moved.version == 2

    with pytest.raises(services.BookingRefused) as caught:
        services.reschedule(
            acting_user=receptionist, appointment=moved, start=at(ready.day, 10, 15)
        )
    assert caught.value.clash
    moved.refresh_from_db()
    assert timezone.localtime(moved.starts_at).hour == 14
    assert moved.version == 2
    first.refresh_from_db()
    assert first.status == Status.BOOKED


def test_it_cancels_only_with_a_reason_and_frees_the_time(ready, receptionist, make_patient):
    appointment = book(ready, receptionist, hour=10)
    with pytest.raises(services.BookingRefused):
        services.cancel(acting_user=receptionist, appointment=appointment, reason="  ")

    services.cancel(acting_user=receptionist, appointment=appointment, reason="Patient travelling")

    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED
    assert book(ready, receptionist, hour=10, patient=make_patient(ready.clinic)).pk


def test_it_marks_no_show_only_after_the_start_and_checks_in_only_on_the_day(ready, receptionist):
    appointment = book(ready, receptionist, hour=10)

    with pytest.raises(services.BookingRefused, match="still to come"):
        services.mark_no_show(acting_user=receptionist, appointment=appointment)
    with pytest.raises(services.BookingRefused, match="on the day"):
        services.check_in(acting_user=receptionist, appointment=appointment)


def test_it_completes_and_then_refuses_to_move_or_cancel(ready, receptionist):
    appointment = come_the_day(book(ready, receptionist, hour=10))
    services.complete(acting_user=receptionist, appointment=appointment)

    with pytest.raises(services.BookingRefused, match="completed"):
        services.cancel(acting_user=receptionist, appointment=appointment, reason="x")
    with pytest.raises(services.BookingRefused, match="completed"):
        services.reschedule(
            acting_user=receptionist, appointment=appointment, start=at(ready.day, 15)
        )
