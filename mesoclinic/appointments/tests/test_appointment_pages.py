"""The appointment page and its actions: each a POST through the service, every refusal a
message on the page it returns to (never a 500), and the move endpoint a dropped card posts."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from mesoclinic.appointments.models import Appointment, Status
from mesoclinic.appointments.tests.fixtures import at
from mesoclinic.appointments.tests.pages import book

pytestmark = pytest.mark.django_db


def detail(appointment):
    return f"/appointments/{appointment.pk}/"


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture(params=["receptionist", "practitioner_user", "manager"])
def staff(request):
    return request.getfixturevalue(request.param)


def test_it_shows_the_appointment_to_every_clinic_role(client, ready, staff, receptionist):
    appointment = book(ready, receptionist, hour=10)
    client.force_login(staff)

    response = client.get(detail(appointment))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Zainab Qureshi" in html and "10:00–10:30" in html
    assert 'id="move"' in html


def test_it_answers_404_to_an_outsider_and_403_to_a_role_without_the_schedule(
    client, ready, receptionist, outsider, make_user
):
    appointment = book(ready, receptionist)
    client.force_login(outsider)
    assert client.get(detail(appointment)).status_code == 404
    assert client.post(f"{detail(appointment)}complete/").status_code == 404
    client.force_login(make_user("portal_user", "patient", [ready.clinic]))
    assert client.get(detail(appointment)).status_code == 403


def test_it_lists_the_free_times_for_a_move(client, ready, receptionist):
    appointment = book(ready, receptionist, hour=10)
    client.force_login(receptionist)

    response = client.get(
        detail(appointment),
        {"type": appointment.type_id, "practitioner": ready.doctor.pk, "date": ready.day},
    )

    html = response.content.decode()
    assert f'value="{ready.day.isoformat()}T14:00"' in html


def test_it_moves_an_appointment_through_the_form(client, ready, receptionist):
    appointment = book(ready, receptionist, hour=10)
    client.force_login(receptionist)

    response = client.post(
        f"{detail(appointment)}reschedule/",
        {"start": f"{ready.day.isoformat()}T14:00", "practitioner": ready.doctor.pk},
        follow=True,
    )

    appointment.refresh_from_db()
    assert timezone.localtime(appointment.starts_at) == at(ready.day, 14)
    assert any("Moved to" in m for m in messages_of(response))


def test_it_refuses_a_move_into_a_taken_time_with_its_reason(
    client, ready, receptionist, make_patient
):
    appointment = book(ready, receptionist, hour=10)
    book(ready, receptionist, hour=14, patient=make_patient(ready.clinic))
    client.force_login(receptionist)

    response = client.post(
        f"{detail(appointment)}reschedule/",
        {"start": f"{ready.day.isoformat()}T14:00", "practitioner": ready.doctor.pk},
        follow=True,
    )

    assert response.status_code == 200
    appointment.refresh_from_db()
    assert timezone.localtime(appointment.starts_at) == at(ready.day, 10)
    assert any("already booked" in m for m in messages_of(response))


def test_it_answers_a_dropped_card_with_json(client, ready, receptionist, make_patient):
    appointment = book(ready, receptionist, hour=10)
    book(ready, receptionist, hour=14, patient=make_patient(ready.clinic))
    client.force_login(receptionist)
    url = f"{detail(appointment)}reschedule/"

    refused = client.post(
        url,
        {"start": f"{ready.day.isoformat()}T14:00", "practitioner": ready.doctor.pk},
        headers={"Accept": "application/json"},
    )
    moved = client.post(
        url,
        {"start": f"{ready.day.isoformat()}T15:00", "practitioner": ready.doctor.pk},
        headers={"Accept": "application/json"},
    )
    garbled = client.post(url, {"start": "soon"}, headers={"Accept": "application/json"})

    assert refused.status_code == 400
    assert "already booked" in json.loads(refused.content)["message"]
    assert moved.status_code == 200 and json.loads(moved.content)["ok"] is True
    assert garbled.status_code == 400 and json.loads(garbled.content)["message"]
    appointment.refresh_from_db()
    assert timezone.localtime(appointment.starts_at) == at(ready.day, 15)


def test_it_cancels_with_a_reason_and_refuses_without_one(client, ready, receptionist):
    appointment = book(ready, receptionist)
    client.force_login(receptionist)

    without = client.post(f"{detail(appointment)}cancel/", {"reason": " "}, follow=True)
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED
    assert any("Say why" in m for m in messages_of(without))

    with_reason = client.post(
        f"{detail(appointment)}cancel/", {"reason": "Travelling"}, follow=True
    )
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED
    assert appointment.cancel_reason == "Travelling"
    assert "Cancelled." in messages_of(with_reason)


def test_it_refuses_a_check_in_before_the_day(client, ready, receptionist):
    appointment = book(ready, receptionist)
    client.force_login(receptionist)

    response = client.post(f"{detail(appointment)}check-in/", follow=True)

    assert response.status_code == 200
    assert any("on the day" in m for m in messages_of(response))
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


def test_it_refuses_a_no_show_still_to_come(client, ready, receptionist):
    appointment = book(ready, receptionist)
    client.force_login(receptionist)

    response = client.post(f"{detail(appointment)}no-show/", follow=True)

    assert any("still to come" in m for m in messages_of(response))


def _today_appointment(ready, receptionist, minutes_from_now):
    """An appointment today, written straight to the row: the booking service (rightly) refuses
    the past, and check-in and no-show need today's and a started one."""
    appointment = book(ready, receptionist)
    start = timezone.now() + timedelta(minutes=minutes_from_now)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        blocked_from=start,
        blocked_until=start + timedelta(minutes=30),
    )
    appointment.refresh_from_db()
    return appointment


def test_it_checks_in_completes_and_marks_a_no_show(client, ready, receptionist, make_patient):
    started = _today_appointment(ready, receptionist, minutes_from_now=-1)
    client.force_login(receptionist)

    checked = client.post(f"{detail(started)}check-in/", follow=True)
    started.refresh_from_db()
    if timezone.localtime(started.starts_at).date() == timezone.localdate():
        assert started.status == Status.CHECKED_IN
        assert "Checked in." in messages_of(checked)
    client.post(f"{detail(started)}complete/")
    started.refresh_from_db()
    assert started.status == Status.COMPLETED

    again = client.post(f"{detail(started)}complete/", follow=True)
    assert any("cannot be completed" in m for m in messages_of(again))

    ready.patient = make_patient(ready.clinic)
    missed = _today_appointment(ready, receptionist, minutes_from_now=-120)
    client.post(f"{detail(missed)}no-show/")
    missed.refresh_from_db()
    assert missed.status == Status.NO_SHOW


def test_it_answers_404_for_an_unknown_action(client, ready, receptionist):
    appointment = book(ready, receptionist)
    client.force_login(receptionist)

    assert client.post(f"{detail(appointment)}teleport/").status_code == 404


def test_it_returns_to_the_page_it_came_from_but_never_off_site(client, ready, receptionist):
    appointment = book(ready, receptionist)
    client.force_login(receptionist)

    home = client.post(f"{detail(appointment)}complete/", {"next": "/appointments/x/"})
    away = client.post(f"{detail(appointment)}complete/", {"next": "https://evil.example/"})

    assert home["Location"] == "/appointments/x/"
    assert away["Location"] == detail(appointment)
