"""The "Book the whole course" page and POST /api/v1/courses/<id>/book/: receptionists book
from the schedule (no clinical detail shown), outsiders get 404, a refusal names every
clashing date with its alternatives (clickable on the page, listed in the API's 409)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mesoclinic.appointments import services as appointment_services
from mesoclinic.appointments.models import Appointment, Series
from mesoclinic.appointments.tests.fixtures import at
from mesoclinic.audit.models import AuditEvent
from mesoclinic.care.tests.test_course_booking import first_start

pytestmark = pytest.mark.django_db


def page(course):
    return reverse("care:course_book", args=[course.pk])


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def api_url(course):
    return f"/api/v1/courses/{course.pk}/book/"


def form(start, **extra):
    local = start.astimezone(at(date.today(), 0).tzinfo)
    return {"date": local.strftime("%Y-%m-%d"), "time": local.strftime("%H:%M"), **extra}


def taken_at_session_3(course, user, make_patient):
    start = at(date.fromisoformat(course.session_dates[2]) + timedelta(days=7), 11)
    return appointment_services.book(
        acting_user=user,
        clinic=course.clinic,
        appointment_type=course.clinic.appointment_types.get(code="session"),
        start=start,
        patient=make_patient(course.clinic),
    )


def test_it_shows_a_receptionist_every_proposed_date_without_clinical_detail(
    client, receptionist, course_to_book
):
    client.force_login(receptionist)

    response = client.get(page(course_to_book), form(first_start()))

    text = response.content.decode()
    assert response.status_code == 200
    assert course_to_book.patient.mrn in text
    for label in ("Session 1 of 4", "Session 4 of 4", "Maintenance"):
        assert label in text
    assert course_to_book.protocol_version.protocol.display_name not in text
    nonsense = {"date": "2026-13-45", "time": "25:99"}
    assert client.get(page(course_to_book), nonsense).status_code == 200


def test_it_books_the_whole_course_for_a_receptionist(client, receptionist, course_to_book):
    client.force_login(receptionist)

    response = client.post(page(course_to_book), form(first_start(), book="1"))

    assert response.status_code == 200
    assert 'id="booked"' in response.content.decode()
    assert Appointment.objects.filter(series__course_id=course_to_book.pk).count() == 5
    # Shown again later: the booked appointments, not a new proposal.
    again = client.get(page(course_to_book))
    assert 'id="booked"' in again.content.decode()


def test_it_answers_404_to_an_outsider_and_audits_it(client, outsider, course_to_book):
    client.force_login(outsider)

    assert client.get(page(course_to_book)).status_code == 404
    assert client.post(page(course_to_book), form(first_start(), book="1")).status_code == 404
    assert not Series.objects.exists()
    assert AuditEvent.objects.filter(action="denied", object_type="care.course").exists()


def test_it_shows_the_refusal_with_clickable_alternatives(
    client, receptionist, course_to_book, make_patient
):
    taken_at_session_3(course_to_book, receptionist, make_patient)
    client.force_login(receptionist)

    refused = client.post(page(course_to_book), form(first_start(), book="1"))

    text = refused.content.decode()
    assert refused.status_code == 409
    assert 'id="booking-refused"' in text and "Session 3 of 4 (" in text
    assert not Series.objects.exists()
    picks = [
        line.split('value="')[1].split('"')[0]
        for line in text.split("<button")
        if 'name="pick"' in line
    ]
    assert picks and all(p.startswith("2|") for p in picks)

    picked = client.post(page(course_to_book), form(first_start(), pick=picks[0]))
    assert 'name="start_2"' in picked.content.decode()

    booked = client.post(
        page(course_to_book), form(first_start(), book="1", start_2=picks[0].split("|")[1])
    )
    assert booked.status_code == 200 and 'id="booked"' in booked.content.decode()
    assert Appointment.objects.filter(series__course_id=course_to_book.pk).count() == 5


def test_the_api_books_the_course_with_201(receptionist, course_to_book):
    response = api(receptionist).post(
        api_url(course_to_book), {"first_start": first_start().isoformat()}, format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert [a["label"] for a in body["appointments"]][-1] == "Maintenance"
    assert len(body["appointments"]) == 5
    assert body["course"] == course_to_book.pk
    assert (
        AuditEvent.objects.filter(
            action="create", object_type="appointments.appointment", interface="api"
        ).count()
        == 5
    )


def test_the_api_answers_409_with_every_clash_and_its_alternatives(
    receptionist, course_to_book, make_patient
):
    taken_at_session_3(course_to_book, receptionist, make_patient)

    response = api(receptionist).post(
        api_url(course_to_book), {"first_start": first_start().isoformat()}, format="json"
    )

    assert response.status_code == 409
    refusals = response.json()["refusals"]
    assert {r["occurrence"].split(" (")[0] for r in refusals} == {"Session 3 of 4"}
    assert refusals[0]["alternatives"] and "start" in refusals[0]["alternatives"][0]
    assert not Series.objects.exists()


def test_the_api_answers_404_to_an_outsider_and_400_to_nonsense(
    outsider, receptionist, course_to_book
):
    body = {"first_start": first_start().isoformat()}
    assert api(outsider).post(api_url(course_to_book), body, format="json").status_code == 404
    assert (
        api(receptionist).post("/api/v1/courses/99999999/book/", body, format="json").status_code
        == 404
    )
    bad = api(receptionist).post(api_url(course_to_book), {"first_start": "soon"}, format="json")
    assert bad.status_code == 400
    assert not Series.objects.exists()


def test_the_booking_endpoint_is_in_the_schema(admin_client):
    # The schema is behind sign-in (issue 20).
    schema = admin_client.get(
        "/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    ).json()

    operation = schema["paths"]["/api/v1/courses/{id}/book/"]["post"]
    assert set(operation["responses"]) >= {"201", "404", "409"}
