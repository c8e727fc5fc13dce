"""Appointment, Schedule and Slot: search and read through the book's scoping (receptionists
included), booking through the service the pages use with each refusal as an OperationOutcome,
free Slots computed and re-checked, and versions that move when an appointment changes."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from mesoclinic.appointments import services
from mesoclinic.appointments.facts import local_midnight
from mesoclinic.appointments.models import Appointment, AppointmentType, Closure, Series, Status
from mesoclinic.appointments.tests.fixtures import at, day_ahead, open_every_day, type_at
from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.clinics.models import Membership
from mesoclinic.fhir.mapping.common import instant
from mesoclinic.fhir.mapping.scheduling import (
    APPOINTMENT_TYPE_SYSTEM,
    STATUSES,
    SlotKey,
    parse_slot_id,
)
from mesoclinic.fhir.tests.validator import assert_valid
from mesoclinic.patients import services as patient_services
from mesoclinic.restapi.testing import TOKEN_QUERIES

pytestmark = pytest.mark.django_db


@dataclass
class Book:
    clinic: object
    doctor: object
    patient: object
    day: date
    schedule: int  # the doctor's Schedule id (their membership of the clinic)


@pytest.fixture
def book(clinic_a, make_practitioner, patient_a):
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


# --- Appointment ----------------------------------------------------------------------------


def test_it_reads_an_appointment_with_its_participants_and_type(fhir_as, book, receptionist):
    appointment = booked(book, receptionist, 10)
    resource = get_ok(fhir_as(receptionist), f"Appointment/{appointment.pk}")
    assert resource["status"] == "booked"
    assert resource["start"] == instant(at(book.day, 10))
    assert resource["end"] == instant(at(book.day, 10, 30))
    assert [p["actor"]["reference"] for p in resource["participant"]] == [
        f"Patient/{book.patient.pk}",
        f"Practitioner/{book.doctor.pk}",
        f"Location/{book.clinic.pk}",
    ]
    assert {p["status"] for p in resource["participant"]} == {"accepted"}
    assert resource["serviceType"][0]["coding"][0] == {
        "system": APPOINTMENT_TYPE_SYSTEM,
        "code": "consultation",
        "display": "Consultation",
    }
    assert "supportingInformation" not in resource


def test_it_names_the_course_care_plan_of_a_course_appointment(fhir_as, book, receptionist):
    series = Series.objects.create(
        clinic=book.clinic, patient=book.patient, course_id=41, booked_by=receptionist
    )
    appointment = booked(book, receptionist, 10, code="follow_up", series=series, label="Visit 1")
    resource = get_ok(fhir_as(receptionist), f"Appointment/{appointment.pk}")
    assert resource["supportingInformation"] == [{"reference": "CarePlan/41"}]
    assert resource["description"] == "Visit 1"


def test_it_answers_another_clinics_appointment_with_404(fhir_as, book, receptionist, outsider):
    appointment = booked(book, receptionist, 10)
    response = fhir_as(outsider).fhir_get(f"Appointment/{appointment.pk}")
    assert response.status_code == 404
    assert ids(get_ok(fhir_as(outsider), "Appointment")) == []


def test_it_searches_appointments_by_each_parameter(
    fhir_as, book, receptionist, make_patient, clinic_a
):
    first = booked(book, receptionist, 10)
    other = make_patient(clinic_a)
    second = booked(book, receptionist, 11, code="follow_up", patient=other)
    services.cancel(acting_user=receptionist, appointment=second, reason="Travelling")
    api = fhir_as(receptionist)
    both = [str(second.pk), str(first.pk)]
    searches = {
        "patient": ({"patient": f"Patient/{other.pk}"}, [str(second.pk)]),
        "practitioner": ({"practitioner": f"Practitioner/{book.doctor.pk}"}, both),
        "location": ({"location": f"Location/{book.clinic.pk}"}, both),
        "date": ({"date": book.day.isoformat()}, both),
        "date-none": ({"date": (book.day + timedelta(days=1)).isoformat()}, []),
        "status": ({"status": "cancelled"}, [str(second.pk)]),
        "status-booked": ({"status": "booked"}, [str(first.pk)]),
        "service-type": (
            {"service-type": f"{APPOINTMENT_TYPE_SYSTEM}|consultation"},
            [str(first.pk)],
        ),
    }
    for name, (params, expected) in searches.items():
        assert ids(get_ok(api, "Appointment", params)) == expected, name
    cancelled = get_ok(api, f"Appointment/{second.pk}")
    assert cancelled["cancelationReason"] == {"text": "Travelling"}


def test_it_maps_every_status_to_the_required_value_set():
    appointmentstatus = {
        "proposed", "pending", "booked", "arrived", "fulfilled", "cancelled", "noshow",
        "entered-in-error", "checked-in", "waitlist",
    }  # fmt: skip
    assert set(STATUSES) == set(Status.values)
    assert set(STATUSES.values()) <= appointmentstatus


def test_it_moves_the_version_after_a_cancellation(fhir_as, book, receptionist):
    appointment = booked(book, receptionist, 10)
    api = fhir_as(receptionist)
    before = get_ok(api, f"Appointment/{appointment.pk}")["meta"]
    services.cancel(acting_user=receptionist, appointment=appointment, reason="Unwell")
    after = get_ok(api, f"Appointment/{appointment.pk}")
    assert after["status"] == "cancelled"
    assert after["meta"]["versionId"] != before["versionId"]
    assert after["meta"]["lastUpdated"] > before["lastUpdated"]


def test_it_moves_the_version_after_a_reschedule(fhir_as, book, receptionist):
    appointment = booked(book, receptionist, 10)
    api = fhir_as(receptionist)
    before = get_ok(api, f"Appointment/{appointment.pk}")["meta"]["versionId"]
    services.reschedule(acting_user=receptionist, appointment=appointment, start=at(book.day, 12))
    assert get_ok(api, f"Appointment/{appointment.pk}")["meta"]["versionId"] != before


def test_it_searches_a_page_of_appointments_in_constant_queries(
    fhir_as, book, receptionist, make_patient, clinic_a, django_assert_num_queries
):
    api = fhir_as(receptionist)
    booked(book, receptionist, 10)
    api.fhir_get("Appointment")  # warm: the token's first use is stamped once
    for hour in (11, 12, 13):
        booked(book, receptionist, hour, patient=make_patient(clinic_a))
    # TOKEN_QUERIES (the token's lockout read, the throttle), then: 1 the token and its user,
    # 2 the user's roles (scoping), 3 the page of appointments with their types and series
    # (one join), 4 the audit row of the page
    with django_assert_num_queries(4 + TOKEN_QUERIES):
        bundle = api.fhir_get("Appointment", {"_count": 3}).json()
    assert len(ids(bundle)) == 3


# --- Appointment create ---------------------------------------------------------------------


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
    assert response["Location"].endswith(
        f"/fhir/R4/Appointment/{appointment.pk}/_history/{resource['meta']['versionId']}"
    )
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


# --- Schedule -------------------------------------------------------------------------------


def test_it_searches_and_reads_schedules_by_actor(fhir_as, book, receptionist, make_practitioner):
    other = make_practitioner("derm_a2", book.clinic)
    api = fhir_as(receptionist)
    resource = get_ok(api, f"Schedule/{book.schedule}")
    assert resource["actor"] == [
        {"reference": f"Practitioner/{book.doctor.pk}"},
        {"reference": f"Location/{book.clinic.pk}"},
    ]
    assert resource["active"] is True
    today = local_midnight(timezone.localdate())
    assert resource["meta"]["lastUpdated"] == instant(today)
    assert resource["planningHorizon"]["start"] == instant(today)
    assert ids(get_ok(api, "Schedule", {"actor": f"Practitioner/{book.doctor.pk}"})) == [
        str(book.schedule)
    ]
    assert len(ids(get_ok(api, "Schedule", {"actor": f"Location/{book.clinic.pk}"}))) == 2
    assert ids(get_ok(api, "Schedule", {"actor": f"Practitioner/{other.pk}"})) != [
        str(book.schedule)
    ]


def test_it_finds_schedules_by_last_update_the_start_of_today(fhir_as, book, receptionist):
    api = fhir_as(receptionist)
    today = timezone.localdate()
    assert ids(get_ok(api, "Schedule", {"_lastUpdated": f"ge{today.isoformat()}"})) == [
        str(book.schedule)
    ]
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert ids(get_ok(api, "Schedule", {"_lastUpdated": f"ge{tomorrow}"})) == []


def test_it_round_trips_slot_ids():
    key = SlotKey(12, 3, at(date(2026, 12, 15), 10))
    assert key.ident == "12-3-202612150500"
    assert parse_slot_id(key.ident) == key
    for nonsense in ("12-3-202613150500", "12-3", "a-b-c", "12-3-2026121505000"):
        assert parse_slot_id(nonsense) is None


def test_it_answers_another_clinics_schedule_with_404(fhir_as, book, outsider):
    assert fhir_as(outsider).fhir_get(f"Schedule/{book.schedule}").status_code == 404
    assert ids(get_ok(fhir_as(outsider), "Schedule")) == []


def test_it_searches_schedules_in_constant_queries(
    fhir_as, book, receptionist, make_practitioner, django_assert_num_queries
):
    api = fhir_as(receptionist)
    api.fhir_get("Schedule")
    make_practitioner("derm_a3", book.clinic)
    # TOKEN_QUERIES, then: 1 the token and its user, 2 the user's roles, 3 the memberships
    # with their practitioners (no audit: the directory of who books is not patient data)
    with django_assert_num_queries(3 + TOKEN_QUERIES):
        bundle = api.fhir_get("Schedule").json()
    assert len(ids(bundle)) == 2


# --- Slot -----------------------------------------------------------------------------------


def slot_search(api, book, **params) -> dict:
    return get_ok(api, "Slot", {"schedule": f"Schedule/{book.schedule}", **params})


def test_it_offers_the_free_slots_of_a_schedule_and_leaves_out_booked_times(
    fhir_as, book, receptionist
):
    booked(book, receptionist, 10)
    api = fhir_as(receptionist)
    bundle = slot_search(
        api, book, start=book.day.isoformat(), **{"service-type": "consultation", "_count": 200}
    )
    starts = [e["resource"]["start"] for e in bundle["entry"]]
    assert instant(at(book.day, 9)) in starts
    assert instant(at(book.day, 10)) not in starts  # booked
    assert instant(at(book.day, 10, 30)) not in starts  # the 5-minute buffer after it
    assert instant(at(book.day, 10, 45)) in starts
    resource = bundle["entry"][0]["resource"]
    assert resource["status"] == "free"
    assert resource["schedule"] == {"reference": f"Schedule/{book.schedule}"}
    assert get_ok(api, f"Slot/{resource['id']}") == resource


def test_it_answers_a_slot_taken_since_with_404(fhir_as, book, receptionist):
    api = fhir_as(receptionist)
    bundle = slot_search(api, book, start=book.day.isoformat(), **{"service-type": "consultation"})
    first = bundle["entry"][0]["resource"]
    booked(book, receptionist, 9)
    assert api.fhir_get(f"Slot/{first['id']}").status_code == 404


def test_it_pages_slots_and_filters_by_status_and_type(fhir_as, book, receptionist):
    api = fhir_as(receptionist)
    day = book.day.isoformat()
    page = slot_search(api, book, start=day, _count=5)
    assert len(ids(page)) == 5
    following = next(link["url"] for link in page["link"] if link["relation"] == "next")
    second = api.get(following).json()
    assert_valid(second)
    assert not set(ids(page)) & set(ids(second))
    assert ids(slot_search(api, book, start=day, status="busy")) == []
    assert ids(slot_search(api, book, start=day, status="free", _count=3)) == ids(page)[:3]
    sessions = slot_search(api, book, start=day, **{"service-type": "session"})
    assert {e["resource"]["serviceType"][0]["coding"][0]["code"] for e in sessions["entry"]} == {
        "session"
    }


def test_it_bounds_slot_searches(fhir_as, book, receptionist):
    api = fhir_as(receptionist)
    assert api.fhir_get("Slot").status_code == 400  # no schedule
    far = book.day + timedelta(days=40)
    too_long = api.fhir_get(
        "Slot", [("schedule", str(book.schedule)), ("start", f"lt{far.isoformat()}")]
    )
    assert too_long.status_code == 400
    assert "31 days" in too_long.json()["issue"][0]["diagnostics"]
    next_day = (book.day + timedelta(days=1)).isoformat()
    window = [("schedule", str(book.schedule)), ("start", f"ge{book.day.isoformat()}"),
              ("start", f"lt{next_day}"), ("_count", "200")]  # fmt: skip
    starts = [e["resource"]["start"] for e in api.fhir_get("Slot", window).json()["entry"]]
    assert min(starts) >= instant(at(book.day, 9))
    assert max(starts) < instant(at(book.day + timedelta(days=1), 0))


def test_it_hides_another_clinics_slots(fhir_as, book, receptionist, outsider):
    slot = slot_search(fhir_as(receptionist), book, start=book.day.isoformat())["entry"][0]
    assert fhir_as(outsider).fhir_get(f"Slot/{slot['resource']['id']}").status_code == 404
    assert ids(get_ok(fhir_as(outsider), "Slot", {"schedule": str(book.schedule)})) == []
    for ident in ("nonsense", "1-2-209913011000", f"{book.schedule}-1-2026130110"):
        assert fhir_as(receptionist).fhir_get(f"Slot/{ident}").status_code == 404


def test_it_searches_slots_in_constant_queries(
    fhir_as, book, receptionist, make_patient, clinic_a, django_assert_num_queries
):
    api = fhir_as(receptionist)
    day = book.day.isoformat()
    slot_search(api, book, start=day)
    for hour in (10, 12, 14):
        booked(book, receptionist, hour, patient=make_patient(clinic_a))
    # TOKEN_QUERIES, then: 1 the token and its user, 2 the user's roles, 3 the schedules
    # (memberships), 4 the clinic's active types, 5–9 may the practitioner take each of the
    # five types, 10 the rooms, 11 closures, 12 opening hours, 13 working hours, 14 breaks,
    # 15 one-off changes, 16 leave, 17 the bookings, 18 the room rows (facts.gather)
    with django_assert_num_queries(18 + TOKEN_QUERIES):
        bundle = api.fhir_get("Slot", {"schedule": str(book.schedule), "start": day}).json()
    assert len(ids(bundle)) == 50


def test_it_states_the_computed_slot_truthfully_in_the_capability_statement(client):
    statement = client.get("/fhir/R4/metadata").json()
    resources = {item["type"]: item for item in statement["rest"][0]["resource"]}
    slot = resources["Slot"]
    assert slot["versioning"] == "no-version"
    assert [p["name"] for p in slot["searchParam"]] == [
        "schedule",
        "start",
        "status",
        "service-type",
    ]
    assert [i["code"] for i in slot["interaction"]] == ["read", "search-type"]
    assert "create" in [i["code"] for i in resources["Appointment"]["interaction"]]
    assert "_id" in [p["name"] for p in resources["Schedule"]["searchParam"]]
    assert_valid(statement)
