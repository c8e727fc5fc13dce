"""An archived patient is out of the day's work everywhere, not only in the patient list:
clinic staff get 404 for their course, booking and session pages and cannot book them
(the reviewer's reproduction, issue 20); the booking services refuse them for every role;
administrators still read the record. Archiving cancels the appointments still to come and
every message not yet sent, so someone who asked to leave hears nothing more."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mesoclinic.appointments import services as appointment_services
from mesoclinic.appointments.models import Appointment, Series, Status
from mesoclinic.appointments.refusals import BookingRefused
from mesoclinic.audit.services import Interface
from mesoclinic.care.tests.test_course_booking import book, first_start
from mesoclinic.care.tests.test_course_booking_pages import form
from mesoclinic.notifications.models import Message
from mesoclinic.patients import services as patients

pytestmark = pytest.mark.django_db


def archive(patient, administrator):
    return patients.archive_patient(
        acting_user=administrator, via=Interface.WEB, patient=patient, reason="Asked to leave"
    )


def queued(patient):
    return Message.objects.filter(patient_id=patient.pk, status=Message.Status.QUEUED)


def test_it_refuses_the_reviewers_reproduction(
    client, receptionist, dermatologist, administrator, course_to_book
):
    archive(course_to_book.patient, administrator)
    client.force_login(receptionist)
    booking_page = reverse("care:course_book", args=[course_to_book.pk])

    assert client.get(booking_page, form(first_start())).status_code == 404
    assert client.post(booking_page, form(first_start(), book="1")).status_code == 404
    assert not Series.objects.exists() and not Appointment.objects.exists()
    assert not queued(course_to_book.patient).exists()
    response = APIClient()
    response.force_authenticate(receptionist)
    answer = response.post(
        f"/api/v1/courses/{course_to_book.pk}/book/",
        {"first_start": first_start().isoformat()},
        format="json",
    )
    assert answer.status_code == 404 and not Series.objects.exists()

    client.force_login(dermatologist.user)
    assert client.get(reverse("care:course", args=[course_to_book.pk])).status_code == 404


def test_an_administrator_still_reads_the_course_but_cannot_book_it(
    client, administrator, course_to_book
):
    archive(course_to_book.patient, administrator)
    client.force_login(administrator)

    assert client.get(reverse("care:course", args=[course_to_book.pk])).status_code == 200
    with pytest.raises(BookingRefused) as refused:
        book(administrator, course_to_book)
    assert [r.code for r in refused.value.refusals] == ["archived"]
    assert not Series.objects.exists()


def test_the_booking_service_refuses_an_archived_patient(
    receptionist, administrator, course_to_book
):
    patient = course_to_book.patient
    stale = type(patient).objects.get(pk=patient.pk)  # read before the archiving
    archive(patient, administrator)

    with pytest.raises(BookingRefused) as refused:
        appointment_services.book(
            acting_user=receptionist,
            clinic=course_to_book.clinic,
            appointment_type=course_to_book.clinic.appointment_types.get(code="session"),
            start=first_start(),
            patient=stale,
        )
    assert "archived" in refused.value.messages[0]
    assert not Appointment.objects.exists()


def test_archiving_cancels_the_appointments_to_come_and_the_messages_not_sent(
    receptionist, administrator, course_to_book
):
    patient = course_to_book.patient
    book(receptionist, course_to_book)
    assert Appointment.objects.filter(patient=patient, status=Status.BOOKED).count() == 5
    assert queued(patient).exists()

    archive(patient, administrator)

    cancelled = Appointment.objects.filter(patient=patient)
    assert {a.status for a in cancelled} == {Status.CANCELLED}
    assert {a.cancel_reason for a in cancelled} == {"patient archived"}
    assert not queued(patient).exists()
    assert Message.objects.filter(patient_id=patient.pk, status="cancelled").exists()


def test_restoring_does_not_bring_back_what_archiving_cancelled(
    receptionist, administrator, course_to_book
):
    patient = course_to_book.patient
    book(receptionist, course_to_book)
    archive(patient, administrator)

    patients.restore_patient(acting_user=administrator, via=Interface.WEB, patient=patient)

    assert not Appointment.objects.filter(patient=patient, status=Status.BOOKED).exists()
    # Back in care: the course can be booked again.
    assert book(receptionist, course_to_book).pk
