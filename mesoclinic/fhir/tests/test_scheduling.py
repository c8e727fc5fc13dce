"""Appointment, Schedule and Slot reads and searches through the book's scoping (receptionists
included), free Slots computed and re-checked, and versions that move when an appointment
changes. Booking: test_scheduling_booking.py."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from mesoclinic.appointments import services
from mesoclinic.appointments.facts import local_midnight
from mesoclinic.appointments.models import Series, Status
from mesoclinic.appointments.tests.fixtures import at
from mesoclinic.fhir.mapping.common import instant
from mesoclinic.fhir.mapping.scheduling import (
    APPOINTMENT_TYPE_SYSTEM,
    STATUSES,
    SlotKey,
    parse_slot_id,
)
from mesoclinic.fhir.tests.scheduling import book_fixture, booked, get_ok, ids  # noqa: F401
from mesoclinic.fhir.tests.validator import assert_valid
from mesoclinic.restapi.testing import TOKEN_QUERIES

pytestmark = pytest.mark.django_db


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
    # Every schedule is active: "true,false" (either) finds them all, "false" none.
    assert len(ids(get_ok(api, "Schedule", {"active": "true,false"}))) == 2
    assert ids(get_ok(api, "Schedule", {"active": "false"})) == []
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
        "_id",
        "schedule",
        "start",
        "status",
        "service-type",
    ]
    assert [i["code"] for i in slot["interaction"]] == ["read", "search-type"]
    assert "create" in [i["code"] for i in resources["Appointment"]["interaction"]]
    assert "_id" in [p["name"] for p in resources["Schedule"]["searchParam"]]
    assert_valid(statement)
