"""The booking page: from the patient, a type, a practitioner or anyone and a day, to free
times as buttons, to a booking; refusals on the page with every reason, never a 500."""

import pytest
from django.utils import timezone

from mesoclinic.appointments.models import Appointment
from mesoclinic.appointments.tests.fixtures import at
from mesoclinic.appointments.tests.pages import book

pytestmark = pytest.mark.django_db


def url(ready):
    return f"/appointments/{ready.clinic.slug}/book/"


def search(ready, **extra):
    return {
        "patient": ready.patient.pk,
        "type": ready.type("consultation").pk,
        "practitioner": "",
        "date": ready.day.isoformat(),
        **extra,
    }


@pytest.fixture(params=["receptionist", "practitioner_user", "manager"])
def staff(request):
    return request.getfixturevalue(request.param)


def test_it_offers_the_free_times_of_the_day(client, ready, staff):
    client.force_login(staff)

    response = client.get(url(ready), search(ready))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Zainab Qureshi" in html
    assert f'value="{ready.day.isoformat()}T09:00"' in html


def test_it_leaves_out_a_taken_time(client, ready, receptionist, make_patient):
    book(ready, receptionist, hour=9, patient=make_patient(ready.clinic))
    client.force_login(receptionist)

    html = client.get(url(ready), search(ready)).content.decode()

    assert f'value="{ready.day.isoformat()}T09:00"' not in html


def test_it_books_the_chosen_time(client, ready, staff):
    client.force_login(staff)

    response = client.post(url(ready), search(ready, start=f"{ready.day.isoformat()}T11:15"))

    appointment = Appointment.objects.get()
    assert response["Location"] == f"/appointments/{appointment.pk}/"
    assert timezone.localtime(appointment.starts_at) == at(ready.day, 11, 15)
    assert appointment.patient == ready.patient
    assert appointment.practitioner == ready.doctor


def test_it_refuses_a_taken_time_with_its_reason(client, ready, receptionist, make_patient):
    book(ready, receptionist, hour=11, patient=make_patient(ready.clinic))
    client.force_login(receptionist)

    response = client.post(
        url(ready),
        search(ready, practitioner=ready.doctor.pk, start=f"{ready.day.isoformat()}T11:15"),
    )

    assert response.status_code == 400
    assert "already booked" in response.content.decode()
    assert Appointment.objects.count() == 1


def test_it_refuses_a_time_outside_the_hours_and_a_missing_patient(client, ready, receptionist):
    client.force_login(receptionist)

    late = client.post(url(ready), search(ready, start=f"{ready.day.isoformat()}T22:00"))
    nobody = client.post(
        url(ready), search(ready, patient="", start=f"{ready.day.isoformat()}T10:00")
    )

    assert late.status_code == 400 and "not open" in late.content.decode()
    assert nobody.status_code == 400 and "Choose the patient" in nobody.content.decode()
    assert not Appointment.objects.exists()


def test_it_refuses_a_search_over_a_garbled_form_without_a_500(client, ready, receptionist):
    client.force_login(receptionist)

    response = client.get(url(ready), search(ready, type="x", date="tomorrow"))

    assert response.status_code == 200
    assert not response.context["slots"]


def test_it_answers_404_for_another_clinics_patient_or_clinic(
    client, ready, receptionist, outsider, patient_b
):
    client.force_login(receptionist)
    assert client.get(url(ready), search(ready, patient=patient_b.pk)).status_code == 404
    client.force_login(outsider)
    assert client.get(url(ready)).status_code == 404
