"""Twenty clients posting for one slot at once, through the API: one 201, nineteen clean 409s
naming the clash, one appointment (the database has the last word)."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from mesoclinic.appointments.models import ACTIVE, Appointment
from mesoclinic.appointments.tests.fixtures import at
from mesoclinic.notifications.tests.helpers import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)

REQUESTS = 20


def race(ready, user, bodies):
    """POST each body from its own thread and client, released together."""
    pending = iter(bodies)
    lock = __import__("threading").Lock()

    def one():
        with lock:
            body = next(pending)
        client = APIClient()
        client.force_authenticate(user)
        return client.post("/api/v1/appointments/", body, format="json")

    responses, errors = run_at_once(one, times=len(bodies))
    assert not errors, errors
    return responses


def body(ready, patient, start):
    return {
        "patient": patient.pk,
        "clinic": ready.clinic.slug,
        "practitioner": ready.doctor.pk,
        "type": "session",
        "start": start.isoformat(),
    }


def assert_one_201_and_the_rest_409(responses):
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * (REQUESTS - 1), [r.json() for r in responses]
    for response in responses:
        if response.status_code == 409:
            refusals = response.json()["refusals"]
            assert refusals and all(r["code"] == "clash" for r in refusals)
            assert all(r["message"] for r in refusals)
    assert Appointment.objects.filter(status__in=ACTIVE).count() == 1


def test_twenty_posts_for_one_slot_give_one_201_and_nineteen_409s(
    ready, receptionist, make_patient
):
    people = [make_patient(ready.clinic) for _ in range(REQUESTS)]

    responses = race(ready, receptionist, [body(ready, p, at(ready.day, 10)) for p in people])

    assert_one_201_and_the_rest_409(responses)


def test_twenty_posts_for_partly_overlapping_times_give_one_201(ready, receptionist, make_patient):
    people = [make_patient(ready.clinic) for _ in range(REQUESTS)]
    starts = [at(ready.day, 10) + timedelta(minutes=3 * n) for n in range(REQUESTS)]

    responses = race(
        ready, receptionist, [body(ready, p, s) for p, s in zip(people, starts, strict=True)]
    )

    assert_one_201_and_the_rest_409(responses)
