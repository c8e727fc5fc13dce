"""POST /Appointment: booking through the service the pages use, each refusal an
OperationOutcome naming it (409 for a taken time, 422 otherwise), never a 500."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mesoclinic.appointments.models import Appointment, AppointmentType, Closure
from mesoclinic.appointments.tests.fixtures import at, open_every_day
from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.fhir.mapping.common import instant
from mesoclinic.fhir.mapping.scheduling import APPOINTMENT_TYPE_SYSTEM
from mesoclinic.fhir.tests.scheduling import book_fixture, booked, get_ok, ids  # noqa: F401
from mesoclinic.fhir.tests.validator import assert_valid
from mesoclinic.patients import services as patient_services

pytestmark = pytest.mark.django_db


def new_appointment(book, *, hour=10, code="consultation", patient=None, **changes) -> dict:
    start = at(book.day, hour)
    resource = {
        "resourceType": "Appointment",
        "status": "booked",
        "serviceType": [{"coding": [{"system": APPOINTMENT_TYPE_SYSTEM, "code": code}]}],
        "start": start.isoformat(),
        "participant": [
            {
                "actor": {"reference": f"Patient/{(patient or book.patient).pk}"},
                "status": "accepted",
            },
            {"actor": {"reference": f"Practitioner/{book.doctor.pk}"}, "status": "accepted"},
            {"actor": {"reference": f"Location/{book.clinic.pk}"}, "status": "accepted"},
        ],
    }
    resource.update(changes)
    return resource


def test_it_books_an_appointment_through_the_service(fhir_as, book, receptionist):
    response = fhir_as(receptionist).fhir_post("Appointment", new_appointment(book))
    assert response.status_code == 201, response.json()
    resource = response.json()
    assert_valid(resource)
    appointment = Appointment.objects.get(pk=resource["id"])
    assert (appointment.patient_id, appointment.practitioner_id) == (
        book.patient.pk,
        book.doctor.pk,
    )
    assert appointment.starts_at == at(book.day, 10)
    assert response["Location"].endswith(f"/fhir/R4/Appointment/{appointment.pk}")
    assert AuditEvent.objects.filter(
        action="create", interface=Interface.FHIR, object_id=str(appointment.pk)
    ).exists()


def test_it_books_a_free_slot_by_its_reference(fhir_as, book, receptionist):
    api = fhir_as(receptionist)
    slot = ids(
        get_ok(
            api,
            "Slot",
            {"schedule": f"Schedule/{book.schedule}", "start": book.day.isoformat(),
             "service-type": "follow_up", "_count": 1},
        )
    )[0]  # fmt: skip
    body = {
        "resourceType": "Appointment",
        "status": "booked",
        "slot": [{"reference": f"Slot/{slot}"}],
        "participant": [
            {"actor": {"reference": f"Patient/{book.patient.pk}"}, "status": "accepted"}
        ],
    }
    response = api.fhir_post("Appointment", body)
    assert response.status_code == 201, response.json()
    assert response.json()["start"] == instant(at(book.day, 9))
    assert api.fhir_get(f"Slot/{slot}").status_code == 404  # taken now


def refusal(response, status):
    assert response.status_code == status, response.json()
    body = response.json()
    assert_valid(body)
    assert body["resourceType"] == "OperationOutcome"
    return {
        item.get("details", {}).get("coding", [{}])[0].get("code") for item in body["issue"]
    }, " ".join(item["diagnostics"] for item in body["issue"])


def test_it_refuses_a_taken_time_with_409_naming_the_clash(fhir_as, book, receptionist):
    booked(book, receptionist, 10)
    codes, words = refusal(
        fhir_as(receptionist).fhir_post("Appointment", new_appointment(book)), 409
    )
    assert codes == {"clash"}
    assert "already booked" in words


def test_it_refuses_a_closed_clinic_with_422_naming_the_closure(fhir_as, book, receptionist):
    Closure.objects.create(clinic=book.clinic, first=book.day, last=book.day, label="Eid ul-Fitr")
    codes, words = refusal(
        fhir_as(receptionist).fhir_post("Appointment", new_appointment(book)), 422
    )
    assert "closure" in codes
    assert "Eid ul-Fitr" in words


def test_it_refuses_an_archived_patient(fhir_as, book, receptionist, administrator):
    patient_services.archive_patient(
        acting_user=administrator, via=Interface.CLI, patient=book.patient, reason="Duplicate"
    )
    codes, _words = refusal(
        fhir_as(receptionist).fhir_post("Appointment", new_appointment(book)), 422
    )
    assert codes == {"archived"}


@pytest.mark.parametrize(
    ("when", "code"),
    [("past", "past"), ("evening", "outside_hours"), ("far", "reach")],
)
def test_it_refuses_a_time_that_can_never_be_booked(fhir_as, book, receptionist, when, code):
    starts = {
        "past": at(timezone.localdate() - timedelta(days=1), 10),
        "evening": at(book.day, 18),
        "far": at(book.day + timedelta(days=900), 10),
    }
    body = new_appointment(book, start=starts[when].isoformat())
    codes, _words = refusal(fhir_as(receptionist).fhir_post("Appointment", body), 422)
    assert code in codes


def test_it_refuses_an_uncredentialed_practitioner(fhir_as, book, receptionist, make_practitioner):
    nurse = make_practitioner("nurse_a", book.clinic, verified=False, qualification="nurse")
    open_every_day(book.clinic, [nurse])
    body = new_appointment(book, code="follow_up")
    body["participant"][1] = {
        "actor": {"reference": f"Practitioner/{nurse.pk}"},
        "status": "accepted",
    }
    codes, _words = refusal(fhir_as(receptionist).fhir_post("Appointment", body), 422)
    assert codes == {"uncredentialed"}


def test_it_refuses_a_type_the_clinic_no_longer_books(fhir_as, book, receptionist):
    AppointmentType.objects.filter(clinic=book.clinic, code="follow_up").update(is_active=False)
    response = fhir_as(receptionist).fhir_post(
        "Appointment", new_appointment(book, code="follow_up")
    )
    _codes, words = refusal(response, 422)
    assert "appointment type" in words


@pytest.mark.parametrize(
    "mistake", ["patient_elsewhere", "no_type", "wrong_end", "status", "no_clinic", "stranger"]
)
def test_it_refuses_a_resource_it_cannot_book_with_422(
    fhir_as, book, receptionist, patient_b, make_practitioner, clinic_b, mistake
):
    body = new_appointment(book)
    if mistake == "patient_elsewhere":
        body = new_appointment(book, patient=patient_b)
    elif mistake == "no_type":
        del body["serviceType"]
    elif mistake == "wrong_end":
        body["end"] = at(book.day, 11).isoformat()
    elif mistake == "status":
        body["status"] = "fulfilled"
    elif mistake == "no_clinic":
        body["participant"] = body["participant"][:1]
    elif mistake == "stranger":
        other = make_practitioner("derm_b", clinic_b)
        body["participant"][1] = {
            "actor": {"reference": f"Practitioner/{other.pk}"},
            "status": "accepted",
        }
    refusal(fhir_as(receptionist).fhir_post("Appointment", body), 422)
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    "mangled",
    [
        {"participant": "everyone"},
        {"participant": [1]},
        {"participant": [{"actor": {"reference": "Device/1"}}]},
        {"start": "2026-13-45T10:00:00+05:00"},
        {"start": 1700000000},
        {"end": "soon"},
        {"serviceType": "consultation", "appointmentType": ["x"]},
        {"slot": "Slot/1"},
        {"slot": [{"reference": "Slot/not-a-slot"}]},
        {"status": ["booked"]},
    ],
)
def test_it_answers_a_mangled_booking_with_an_outcome_never_a_500(
    fhir_as, book, receptionist, mangled
):
    response = fhir_as(receptionist).fhir_post("Appointment", new_appointment(book, **mangled))
    assert response.status_code in (400, 422), response.json()
    assert response.json()["resourceType"] == "OperationOutcome"
    assert not Appointment.objects.exists()


def test_it_refuses_a_start_without_a_time_zone_with_400(fhir_as, book, receptionist):
    body = new_appointment(book, start=f"{book.day.isoformat()}T10:00:00")
    assert fhir_as(receptionist).fhir_post("Appointment", body).status_code == 400


def test_it_lets_only_roles_that_book_create(fhir_as, book, make_user, clinic_a):
    nobody = make_user("no_role", None, [clinic_a])
    response = fhir_as(nobody).fhir_post("Appointment", new_appointment(book))
    assert response.status_code == 403
    assert not Appointment.objects.exists()
