"""The patient's messages about an appointment: queued with the booking, replaced by a
reschedule, ended by a cancellation or a no-show, never queued by a booking that rolled back,
and never naming the patient, the type or anything clinical."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from mesoclinic.appointments import reminders, services
from mesoclinic.appointments.models import Appointment
from mesoclinic.appointments.tests.fixtures import at, come_the_day
from mesoclinic.audit.models import AuditEvent
from mesoclinic.notifications import compose, contacts
from mesoclinic.notifications.models import Message

pytestmark = pytest.mark.django_db

QUEUED = Message.Status.QUEUED
CANCELLED = Message.Status.CANCELLED


def book(ready, user, *, code="session", hour=12, **extra):
    return services.book(
        acting_user=user,
        clinic=ready.clinic,
        appointment_type=ready.type(code),
        start=at(ready.day, hour),
        patient=ready.patient,
        **extra,
    )


def messages_of(appointment, **filters):
    return {
        m.idempotency_key: m
        for m in Message.objects.filter(
            subject=f"appointments.appointment:{appointment.pk}", **filters
        )
    }


def test_it_queues_the_confirmation_and_both_reminders_with_their_due_times(ready, receptionist):
    before = timezone.now()
    appointment = book(ready, receptionist, hour=12)

    queued = messages_of(appointment, status=QUEUED)
    prefix = f"appt-{appointment.pk}-v1-"
    assert set(queued) == {prefix + "booked", prefix + "24h", prefix + "2h"}
    assert before <= queued[prefix + "booked"].due_at <= timezone.now()
    assert queued[prefix + "24h"].due_at == appointment.starts_at - timedelta(hours=24)
    assert queued[prefix + "2h"].due_at == appointment.starts_at - timedelta(hours=2)
    confirmation = queued[prefix + "booked"]
    assert confirmation.template == "appointment-booked"
    assert confirmation.channel == "sms"
    assert confirmation.address == ready.patient.mobile
    assert confirmation.patient_id == ready.patient.pk
    assert confirmation.clinic_id == ready.clinic.pk
    # In the patient's language (Urdu by default), Karachi's wall clock: "پیر 14 دسمبر 2026, 12:00".
    when = confirmation.values["when"]
    assert when.endswith(", 12:00") and f" {ready.day.day} " in when


def test_it_sends_by_whatsapp_to_a_patient_who_opted_in(ready, receptionist):
    contacts.opt_in(
        patient_id=ready.patient.pk,
        clinic_id=ready.clinic.pk,
        channel="whatsapp",
        method="in_person",
        acting_user=receptionist,
        via="web",
    )
    appointment = book(ready, receptionist)

    assert {m.channel for m in messages_of(appointment).values()} == {"whatsapp"}


def test_a_patch_test_reading_is_reminded_that_it_cannot_wait(ready, receptionist):
    appointment = book(ready, receptionist, code="patch_read", hour=12)

    templates = {k.rsplit("-v1-")[1]: m.template for k, m in messages_of(appointment).items()}
    assert templates == {
        "booked": "appointment-booked",
        "read-due": "patch-read-due",
        "2h": "appointment-reminder",
    }


def test_it_skips_reminders_already_past_and_a_2h_one_in_the_quiet_hours():
    now = timezone.now()
    soon = reminders.plan(
        starts_at=now + timedelta(hours=3), type_code="session", now=now, first="booked"
    )
    assert [p.suffix for p in soon if p.suffix != "2h"] == ["booked"]

    # 09:30 in two days: its 2 h point, 07:30, is in the quiet hours.
    early_start = at(timezone.localdate() + timedelta(days=2), 9, 30)
    early = reminders.plan(starts_at=early_start, type_code="session", now=now, first="booked")
    assert [p.suffix for p in early] == ["booked", "24h"]


def test_a_reschedule_replaces_the_reminders_without_duplicates(ready, receptionist):
    appointment = book(ready, receptionist, hour=12)

    services.reschedule(acting_user=receptionist, appointment=appointment, start=at(ready.day, 14))

    old = f"appt-{appointment.pk}-v1-"
    new = f"appt-{appointment.pk}-v2-"
    everything = messages_of(appointment)
    assert {k for k, m in everything.items() if m.status == CANCELLED} == {
        old + "booked",
        old + "24h",
        old + "2h",
    }
    queued = {k: m for k, m in everything.items() if m.status == QUEUED}
    assert set(queued) == {new + "moved", new + "24h", new + "2h"}
    assert queued[new + "24h"].due_at == at(ready.day, 14) - timedelta(hours=24)
    assert all(m.last_error == "rescheduled" for m in everything.values() if m.status == CANCELLED)
    assert (
        AuditEvent.objects.filter(
            object_type="notifications.message", action="update", detail__reason="rescheduled"
        ).count()
        == 3
    )

    # Moved again, and back: still one reminder of each kind waiting.
    services.reschedule(acting_user=receptionist, appointment=appointment, start=at(ready.day, 12))
    waiting = messages_of(appointment, status=QUEUED)
    assert sorted(k.rsplit("-", 1)[1] for k in waiting) == ["24h", "2h", "moved"]
    assert all(k.startswith(f"appt-{appointment.pk}-v3-") for k in waiting)


def test_a_cancellation_ends_the_reminders_and_tells_the_patient(ready, receptionist):
    appointment = book(ready, receptionist, hour=12)

    services.cancel(acting_user=receptionist, appointment=appointment, reason="patient called")

    queued = messages_of(appointment, status=QUEUED)
    assert list(queued) == [f"appt-{appointment.pk}-v1-cancelled"]
    assert queued[f"appt-{appointment.pk}-v1-cancelled"].template == "appointment-cancelled"
    assert len(messages_of(appointment, status=CANCELLED)) == 3


def test_a_no_show_gets_a_follow_up(ready, receptionist):
    appointment = book(ready, receptionist, hour=12)
    # The appointment's day has come and gone (moved back in time for the test; the services
    # refuse a booking in the past, as they should).
    back = timedelta(days=8)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=appointment.starts_at - back,
        ends_at=appointment.ends_at - back,
        blocked_from=appointment.blocked_from - back,
        blocked_until=appointment.blocked_until - back,
    )
    appointment.refresh_from_db()

    services.mark_no_show(acting_user=receptionist, appointment=appointment)

    queued = messages_of(appointment, status=QUEUED)
    assert [m.template for m in queued.values()] == ["appointment-missed"]


def test_a_checked_in_or_completed_visit_needs_no_more_reminders(ready, receptionist):
    appointment = come_the_day(book(ready, receptionist, hour=12))

    services.complete(acting_user=receptionist, appointment=appointment)

    assert not messages_of(appointment, status=QUEUED)


def test_nothing_is_queued_when_the_booking_rolls_back(ready, receptionist):
    with pytest.raises(RuntimeError), transaction.atomic():
        book(ready, receptionist)
        raise RuntimeError("the request failed after booking")

    assert not Appointment.objects.exists()
    assert not Message.objects.exists()


def test_a_visitors_booking_gets_no_reminders_from_here(ready, receptionist):
    from mesoclinic.patients.models import Enquiry

    enquiry = Enquiry.objects.create(
        clinic=ready.clinic, name="Visitor", mobile="+923001112223", preferred_language="en"
    )
    services.book(
        acting_user=receptionist,
        clinic=ready.clinic,
        appointment_type=ready.type("consultation"),
        start=at(ready.day, 12),
        enquiry=enquiry,
    )

    assert not Message.objects.exists()


@pytest.mark.parametrize("language", ["en", "ur"])
def test_no_message_names_the_patient_the_type_or_anything_clinical(ready, receptionist, language):
    patient = ready.patient
    patient.preferred_language = language
    patient.save(update_fields=["preferred_language"])
    contacts.opt_in(
        patient_id=patient.pk,
        clinic_id=ready.clinic.pk,
        channel="sms",
        method="in_person",
        acting_user=receptionist,
        via="web",
    )
    appointment = book(ready, receptionist, code="patch_read", hour=12)
    services.reschedule(acting_user=receptionist, appointment=appointment, start=at(ready.day, 13))
    services.cancel(acting_user=receptionist, appointment=appointment, reason="patch test allergy")

    bodies = []
    for message in Message.objects.all():
        prepared = compose.prepare(message, now=timezone.now())
        assert isinstance(prepared, compose.Prepared), prepared
        bodies.append(prepared.outgoing.body)
    assert len(bodies) == 7  # booked, read-due, 2h; moved, read-due, 2h; cancelled
    for body in bodies:
        assert ready.clinic.name in body
        assert ready.clinic.phone_display in body
        for word in (patient.first_name, patient.last_name, "patch", "allergy", "session"):
            assert word.lower() not in body.lower(), body
