"""/api/v1/slots/ and /api/v1/appointments/: the same scoping, services, refusals and audit as
the pages, as JSON; 409 names the clash, 400 says why a time can never be booked."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from mesoclinic.appointments import services
from mesoclinic.appointments.models import Appointment, Leave, Status
from mesoclinic.appointments.tests.fixtures import at, come_the_day
from mesoclinic.audit.models import AuditEvent
from mesoclinic.notifications.models import Message
from mesoclinic.restapi.testing import SESSION_QUERIES

pytestmark = pytest.mark.django_db

SLOTS = "/api/v1/slots/"
LIST = "/api/v1/appointments/"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def slots_query(ready, **overrides):
    day = ready.day.isoformat()
    return {"clinic": ready.clinic.slug, "type": "session", "from": day, "to": day} | overrides


def payload(ready, hour=10, minute=0, **overrides):
    return {
        "patient": ready.patient.pk,
        "clinic": ready.clinic.slug,
        "practitioner": ready.doctor.pk,
        "type": "session",
        "start": at(ready.day, hour, minute).isoformat(),
    } | overrides


def booked(ready, user, hour=10, **extra):
    fields = {
        "acting_user": user,
        "clinic": ready.clinic,
        "appointment_type": ready.type("session"),
        "start": at(ready.day, hour),
        "patient": ready.patient,
    }
    return services.book(**(fields | extra))


# --- slots ----------------------------------------------------------------------------------


def test_it_lists_free_slots_with_start_end_practitioner_and_room(ready, receptionist):
    booked(ready, receptionist, hour=10)

    response = client_for(receptionist).get(SLOTS, slots_query(ready))

    assert response.status_code == 200, response.json()
    slots = response.json()["slots"]
    assert slots and response.json()["truncated"] is False
    first = slots[0]
    assert set(first) == {"start", "end", "practitioner", "room"}
    assert first["practitioner"] == ready.doctor.pk and first["room"] == ready.room.pk
    assert first["start"] == at(ready.day, 9).isoformat()
    starts = {s["start"] for s in slots}
    # 10:00 is booked (09:55–10:55 held); a session starting 10:15 would overlap.
    assert at(ready.day, 10).isoformat() not in starts
    assert at(ready.day, 10, 15).isoformat() not in starts
    assert at(ready.day, 11).isoformat() in starts


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"type": "massage"}, "type"),
        ({"from": "2026-02-30"}, "from"),
        ({"to": "tomorrow"}, "to"),
        ({"to": "1999-01-01"}, "to"),
        ({"practitioner": "x"}, "practitioner"),
        ({"clinic": ""}, "clinic"),
    ],
)
def test_it_answers_400_naming_a_bad_parameter(ready, receptionist, overrides, field):
    response = client_for(receptionist).get(SLOTS, slots_query(ready, **overrides))

    assert response.status_code == 400
    assert field in response.json()


def test_it_refuses_a_range_too_long_or_backwards(ready, receptionist):
    client = client_for(receptionist)
    later = (ready.day + timedelta(days=40)).isoformat()
    earlier = (ready.day - timedelta(days=1)).isoformat()

    too_long = client.get(SLOTS, slots_query(ready, to=later))
    backwards = client.get(SLOTS, slots_query(ready, to=earlier))

    assert too_long.status_code == 400 and "31 days" in too_long.json()["to"][0]
    assert backwards.status_code == 400 and "before" in backwards.json()["to"][0]


def test_an_outsider_gets_404_for_another_clinics_slots(ready, outsider):
    assert client_for(outsider).get(SLOTS, slots_query(ready)).status_code == 404


def test_a_role_without_the_appointment_book_gets_403(ready, make_user):
    patient_user = make_user("pat", "patient", [ready.clinic])

    assert client_for(patient_user).get(SLOTS, slots_query(ready)).status_code == 403
    assert client_for(patient_user).get(LIST).status_code == 403
    assert client_for(patient_user).post(LIST, payload(ready), format="json").status_code == 403


def test_it_answers_401_without_credentials(ready):
    assert APIClient().get(LIST).status_code == 401


# --- booking --------------------------------------------------------------------------------


def test_a_receptionist_books_and_gets_201_with_the_appointment(ready, receptionist):
    response = client_for(receptionist).post(LIST, payload(ready), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    appointment = Appointment.objects.get()
    assert body["id"] == appointment.pk
    assert body["type"] == "session" and body["status"] == "booked"
    assert body["practitioner"] == ready.doctor.pk and body["room"] == ready.room.pk
    assert body["start"] == at(ready.day, 10).isoformat()
    assert body["patient"] == ready.patient.pk
    assert "Zainab" not in str(body)
    event = AuditEvent.objects.get(
        object_type="appointments.appointment", object_id=str(appointment.pk), action="create"
    )
    assert event.interface == "api"
    assert Message.objects.filter(idempotency_key=f"appt-{appointment.pk}-v1-booked").exists()


def test_a_taken_time_answers_409_naming_the_clash(ready, receptionist, make_patient):
    booked(ready, receptionist, hour=10)
    other = make_patient(ready.clinic)

    response = client_for(receptionist).post(
        LIST, payload(ready, hour=10, minute=30, patient=other.pk), format="json"
    )

    assert response.status_code == 409
    refusals = response.json()["refusals"]
    assert {r["code"] for r in refusals} == {"clash"}
    practitioner = next(r for r in refusals if r["resource"] == "practitioner")
    # The booking's own time, not the buffers it holds around it.
    assert practitioner["start"] == at(ready.day, 10).isoformat()
    assert "10:00–10:45" in practitioner["message"]
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(
    "when, code",
    [
        (lambda ready: at(ready.day, 20), "outside_hours"),
        (lambda ready: at(ready.day - timedelta(days=14), 10), "past"),
        (lambda ready: at(ready.day, 12), "leave"),
    ],
)
def test_a_time_that_can_never_be_booked_answers_400_with_the_reason(
    ready, receptionist, when, code
):
    Leave.objects.create(
        practitioner=ready.doctor,
        starts_at=at(ready.day, 12),
        ends_at=at(ready.day, 13),
        reason="training",
    )
    start = when(ready).isoformat()

    response = client_for(receptionist).post(LIST, payload(ready, start=start), format="json")

    assert response.status_code == 400, response.json()
    assert code in {r["code"] for r in response.json()["refusals"]}
    assert not Appointment.objects.exists()


def test_an_uncredentialed_practitioner_answers_400(ready, receptionist, make_practitioner):
    novice = make_practitioner("novice", ready.clinic, verified=False)

    response = client_for(receptionist).post(
        LIST, payload(ready, practitioner=novice.pk), format="json"
    )

    assert response.status_code == 400
    assert response.json()["refusals"][0]["code"] == "uncredentialed"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"start": "9999-12-31T23:59:59Z"}, "start"),
        ({"start": "not a time"}, "start"),
        ({"patient": 2**63}, "patient"),
        ({"type": "massage"}, "type"),
        ({"clinic": "clinic-b"}, "clinic"),
        ({"practitioner": 2**62}, "practitioner"),
        ({"room": 999999}, "room"),
    ],
)
def test_impossible_values_answer_400_by_field(ready, receptionist, clinic_b, overrides, field):
    response = client_for(receptionist).post(LIST, payload(ready, **overrides), format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_an_outsider_cannot_book_another_clinics_patient(ready, outsider):
    response = client_for(outsider).post(LIST, payload(ready), format="json")

    assert response.status_code == 400
    assert not Appointment.objects.exists()


# --- reading --------------------------------------------------------------------------------


def test_the_list_is_scoped_filtered_and_audited(ready, receptionist, outsider, make_patient):
    first = booked(ready, receptionist, hour=10)
    booked(ready, receptionist, hour=14, patient=make_patient(ready.clinic))

    mine = client_for(receptionist).get(LIST, {"patient": ready.patient.pk})
    theirs = client_for(outsider).get(LIST)

    assert [row["id"] for row in mine.json()["results"]] == [first.pk]
    assert theirs.json()["results"] == []
    assert AuditEvent.objects.filter(
        actor=receptionist, action="list", object_type="appointments.appointment"
    ).exists()


def test_the_list_filters_by_local_dates(ready, receptionist):
    booked(ready, receptionist, hour=10)
    client = client_for(receptionist)
    day = ready.day

    assert len(client.get(LIST, {"from": day, "to": day}).json()["results"]) == 1
    assert client.get(LIST, {"from": day + timedelta(days=1)}).json()["results"] == []
    assert client.get(LIST, {"to": day - timedelta(days=1)}).json()["results"] == []
    assert client.get(LIST, {"clinic": "2" * 30}).status_code == 400


@pytest.mark.parametrize("count", [1, 6])
def test_the_list_costs_the_same_whatever_its_length(
    ready, receptionist, make_patient, django_assert_num_queries, count
):
    for n in range(count):
        booked(ready, receptionist, hour=9 + n, patient=make_patient(ready.clinic))
    client = client_for(receptionist)

    # The user's roles; the page (type, practitioner and user, room joined); the audit row; the
    # throttle (restapi/testing.py).
    with django_assert_num_queries(3 + SESSION_QUERIES):
        response = client.get(LIST)
    assert len(response.json()["results"]) == count


def test_one_appointment_is_read_audited_and_404_outside_scope(ready, receptionist, outsider):
    appointment = booked(ready, receptionist)

    assert client_for(receptionist).get(f"{LIST}{appointment.pk}/").status_code == 200
    assert client_for(outsider).get(f"{LIST}{appointment.pk}/").status_code == 404
    assert client_for(receptionist).get(f"{LIST}{2**64}/").status_code == 404
    assert AuditEvent.objects.filter(
        actor=receptionist, action="view", object_id=str(appointment.pk)
    ).exists()
    assert AuditEvent.objects.filter(
        actor=outsider, action="denied", object_id=str(appointment.pk)
    ).exists()


# --- changes --------------------------------------------------------------------------------


def test_it_reschedules_and_replaces_the_reminders(ready, receptionist):
    appointment = booked(ready, receptionist, hour=10)

    response = client_for(receptionist).post(
        f"{LIST}{appointment.pk}/reschedule/",
        {"start": at(ready.day, 14).isoformat()},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["start"] == at(ready.day, 14).isoformat()
    assert response.json()["version"] == 2
    assert Message.objects.filter(
        idempotency_key=f"appt-{appointment.pk}-v1-24h", status="cancelled"
    ).exists()


def test_a_reschedule_into_a_taken_time_answers_409(ready, receptionist, make_patient):
    appointment = booked(ready, receptionist, hour=10)
    booked(ready, receptionist, hour=14, patient=make_patient(ready.clinic))

    response = client_for(receptionist).post(
        f"{LIST}{appointment.pk}/reschedule/",
        {"start": at(ready.day, 14, 30).isoformat()},
        format="json",
    )

    assert response.status_code == 409
    appointment.refresh_from_db()
    assert appointment.starts_at == at(ready.day, 10)


def test_it_cancels_with_a_reason_and_refuses_without(ready, receptionist):
    appointment = booked(ready, receptionist)
    client = client_for(receptionist)
    url = f"{LIST}{appointment.pk}/cancel/"

    assert client.post(url, {"reason": ""}, format="json").status_code == 400
    response = client.post(url, {"reason": "patient is travelling"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert client.post(url, {"reason": "again"}, format="json").status_code == 400


def test_the_status_actions_answer_with_the_appointment_or_the_reason(ready, receptionist):
    appointment = booked(ready, receptionist)
    client = client_for(receptionist)

    assert client.post(f"{LIST}{appointment.pk}/check-in/").status_code == 400  # not today
    assert client.post(f"{LIST}{appointment.pk}/no-show/").status_code == 400  # still to come
    assert client.post(f"{LIST}{appointment.pk}/complete/").status_code == 400  # not its day
    come_the_day(appointment)
    response = client.post(f"{LIST}{appointment.pk}/complete/")

    assert response.status_code == 200
    assert response.json()["status"] == Status.COMPLETED


def test_an_outsider_cannot_change_another_clinics_appointment(ready, receptionist, outsider):
    appointment = booked(ready, receptionist)
    client = client_for(outsider)

    assert client.post(f"{LIST}{appointment.pk}/cancel/", {"reason": "x"}).status_code == 404
    assert client.post(f"{LIST}{appointment.pk}/complete/").status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_the_list_filters_by_any_date_in_the_calendar(ready, receptionist):
    """Issue 21: the list's date filters take any date (the book keeps its history), where they
    used to refuse one more than two years away; the calendar's ends leave nothing out."""
    booked(ready, receptionist, hour=10)
    client = client_for(receptionist)

    for query in ({"from": "2000-01-01"}, {"from": "0001-01-01", "to": "9999-12-31"}):
        response = client.get(LIST, query)
        assert response.status_code == 200
        assert len(response.json()["results"]) == 1
    assert client.get(LIST, {"to": "2000-01-01"}).json()["results"] == []


@pytest.mark.parametrize("value", ["", "null", "2026-02-30"])
def test_a_list_date_filter_that_is_not_a_date_is_a_400_naming_it(ready, receptionist, value):
    response = client_for(receptionist).get(LIST, {"to": value})

    assert response.status_code == 400
    assert response.json() == {"to": ["Give a date as YYYY-MM-DD."]}
