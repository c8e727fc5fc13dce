"""Bookings in the portal: Sana sees her appointments at both clinics, confirms, moves and
cancels them within the clinic's notice, and books her course's next session; every refusal
is named on the page, every change goes through the booking services as her, via the portal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mesoclinic.appointments import services
from mesoclinic.appointments.models import Appointment, Series, Status
from mesoclinic.appointments.tests.fixtures import at, day_ahead, open_every_day
from mesoclinic.audit.models import AuditEvent
from mesoclinic.care.services import booking
from mesoclinic.care.tests.conftest import (  # noqa: F401 (the course's fixtures)
    consult,
    melasma_version,
    plan,
    screening_rules,
)
from mesoclinic.notifications.models import Message

pytestmark = pytest.mark.django_db

URL = "/en/portal/bookings/"


def minute(moment) -> str:
    """A time as the free-time buttons post it (Karachi wall clock)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def doctors(dermatologist, make_practitioner, clinic_a, clinic_b):
    at_a = dermatologist
    at_b = make_practitioner("derm_b", clinic_b)
    open_every_day(clinic_a, [at_a])
    open_every_day(clinic_b, [at_b])
    return at_a, at_b


def book(clinic, patient, start, *, by, code="follow_up"):
    return services.book(
        acting_user=by,
        clinic=clinic,
        appointment_type=clinic.appointment_types.get(code=code),
        start=start,
        patient=patient,
    )


@pytest.fixture
def booked(portal_world, doctors, administrator):
    """Sana: a follow-up at clinic A in a week at 10:00 and one at clinic B in eight days;
    a stranger's at clinic A."""
    w = portal_world
    return {
        "a": book(w.at_a.registered_clinic, w.at_a, at(day_ahead(7), 10), by=administrator),
        "b": book(w.at_b.registered_clinic, w.at_b, at(day_ahead(8), 11), by=administrator),
        "stranger": book(
            w.stranger.registered_clinic, w.stranger, at(day_ahead(7), 12), by=administrator
        ),
    }


def portal_events(user, **filters):
    return AuditEvent.objects.filter(actor=user, interface="portal", **filters)


def test_it_lists_her_appointments_at_both_clinics_and_nobody_elses(patient_client, booked):
    page = patient_client.get(URL)

    assert page.status_code == 200
    text = page.text
    assert "Clinic A Islamabad" in text and "Clinic B Lahore" in text
    assert text.index("Coming up") < text.index("Past and cancelled")
    assert f"/portal/bookings/{booked['a'].pk}/move/" in text
    assert f"/portal/bookings/{booked['stranger'].pk}/" not in text


def test_it_lists_upcoming_first_soonest_first_and_cancelled_ones_under_past(
    patient_client, booked, portal_world, administrator
):
    services.cancel(acting_user=administrator, appointment=booked["b"], reason="Clinic closed")

    text = patient_client.get(URL).text

    upcoming, past = text.split("Past and cancelled")
    assert f"/bookings/{booked['a'].pk}/move/" in upcoming
    assert "Cancelled" in past and "Clinic B Lahore" in past


def test_it_audits_the_list_as_the_patient_via_the_portal(patient_client, booked, portal_world):
    patient_client.get(URL)

    event = portal_events(portal_world.user, action="list").get()
    assert event.object_type == "appointments.appointment" and event.detail == {"count": 2}


def test_it_confirms_and_the_clinic_sees_it_on_the_day(
    patient_client, booked, portal_world, receptionist
):
    response = patient_client.post(f"{URL}{booked['a'].pk}/confirm/")

    assert response.status_code == 302 and response["Location"] == URL
    booked["a"].refresh_from_db()
    assert booked["a"].confirmed_at is not None
    assert portal_events(portal_world.user, action="update").get().changed_fields == [
        "confirmed_at"
    ]
    assert "You have confirmed that you will come." in patient_client.get(URL).text
    desk = receptionist_client(receptionist)
    day = timezone.localtime(booked["a"].starts_at).date()
    assert "Confirmed by the patient" in desk.get(f"/appointments/clinic-a/day/{day}/").text


def receptionist_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_it_refuses_to_confirm_twice_naming_why(patient_client, booked):
    patient_client.post(f"{URL}{booked['a'].pk}/confirm/")

    page = patient_client.post(f"{URL}{booked['a'].pk}/confirm/", follow=True)

    assert "You have already confirmed this appointment." in page.text


def test_it_offers_free_times_with_the_same_practitioner_and_moves_to_one(
    patient_client, booked, portal_world
):
    page = patient_client.get(f"{URL}{booked['a'].pk}/move/")
    assert page.status_code == 200
    new = at(day_ahead(3), 14)
    assert f'value="{minute(new)}"' in page.text

    response = patient_client.post(f"{URL}{booked['a'].pk}/move/", {"start": minute(new)})

    assert response.status_code == 302 and response["Location"] == URL
    moved = Appointment.objects.get(pk=booked["a"].pk)
    assert moved.starts_at == new and moved.practitioner_id == booked["a"].practitioner_id
    assert moved.version == 2
    change = portal_events(
        portal_world.user, action="update", object_type="appointments.appointment"
    ).get()
    assert "starts_at" in change.changed_fields
    listed = patient_client.get(URL).text
    assert "Moved. Your new time" in listed


def test_it_replaces_the_reminders_when_she_moves_and_ends_them_when_she_cancels(
    patient_client, booked
):
    appointment = booked["a"]
    patient_client.post(f"{URL}{appointment.pk}/move/", {"start": minute(at(day_ahead(3), 14))})

    queued = set(
        Message.objects.filter(
            subject=f"appointments.appointment:{appointment.pk}", status=Message.Status.QUEUED
        ).values_list("idempotency_key", flat=True)
    )
    assert f"appt-{appointment.pk}-v2-24h" in queued
    assert f"appt-{appointment.pk}-v1-24h" not in queued

    patient_client.post(f"{URL}{appointment.pk}/cancel/", {"note": ""})

    still = Message.objects.filter(
        subject=f"appointments.appointment:{appointment.pk}",
        status=Message.Status.QUEUED,
        idempotency_key__endswith="-24h",
    )
    assert not still.exists()


def test_it_names_the_clash_and_offers_the_times_again_when_one_was_taken_meanwhile(
    patient_client, booked, portal_world, administrator, make_patient
):
    wanted = at(day_ahead(3), 14)
    book(
        portal_world.at_a.registered_clinic,
        make_patient(portal_world.at_a.registered_clinic),
        wanted,
        by=administrator,
    )

    page = patient_client.post(f"{URL}{booked['a'].pk}/move/", {"start": minute(wanted)})

    assert page.status_code == 409
    assert "already booked" in page.text and 'role="alert"' in page.text
    assert 'name="start"' in page.text  # the choices, again
    assert Appointment.objects.get(pk=booked["a"].pk).starts_at == booked["a"].starts_at


def test_it_refuses_a_move_or_cancel_inside_the_clinics_notice_naming_it(
    patient_client, booked, portal_world, administrator
):
    clinic = portal_world.at_a.registered_clinic
    clinic.portal_change_hours = 168  # a week's notice: five days ahead is inside it
    clinic.save(update_fields=["portal_change_hours"])
    soon = book(clinic, portal_world.at_a, at(day_ahead(5), 15), by=administrator)

    moved = patient_client.post(f"{URL}{soon.pk}/move/", {"start": minute(at(day_ahead(9), 14))})
    cancelled = patient_client.post(f"{URL}{soon.pk}/cancel/", {"note": ""})

    for page in (moved, cancelled):
        assert page.status_code == 409
        assert "until 168 hours before the appointment" in page.text
        assert clinic.phone_display in page.text
    assert Appointment.objects.get(pk=soon.pk).status == Status.BOOKED
    listed = patient_client.get(URL).text
    assert "It is too late to change this online" in listed


def test_it_refuses_a_new_time_inside_the_notice(patient_client, booked):
    soon = timezone.localtime() + timedelta(hours=3)
    soon = soon.replace(minute=0, second=0, microsecond=0)

    page = patient_client.post(f"{URL}{booked['a'].pk}/move/", {"start": minute(soon)})

    assert page.status_code == 409
    assert "at least 24 hours from now" in page.text


def test_it_cancels_with_her_note_for_the_clinic(patient_client, booked, portal_world):
    assert "Yes, cancel it" in patient_client.get(f"{URL}{booked['a'].pk}/cancel/").text

    response = patient_client.post(f"{URL}{booked['a'].pk}/cancel/", {"note": "Travelling"})

    assert response.status_code == 302
    cancelled = Appointment.objects.get(pk=booked["a"].pk)
    assert cancelled.status == Status.CANCELLED
    assert cancelled.cancel_reason == "Cancelled by the patient online: Travelling"
    assert (
        "status"
        in portal_events(portal_world.user, action="update", object_type="appointments.appointment")
        .get()
        .changed_fields
    )


def test_it_refuses_a_cancelled_one_naming_its_status(patient_client, booked):
    patient_client.post(f"{URL}{booked['a'].pk}/cancel/", {"note": ""})

    again = patient_client.post(f"{URL}{booked['a'].pk}/cancel/", {"note": ""})
    moved = patient_client.post(
        f"{URL}{booked['a'].pk}/move/", {"start": minute(at(day_ahead(3), 14))}
    )

    assert "An appointment that is cancelled cannot be cancelled." in again.text
    assert "An appointment that is cancelled cannot be moved." in moved.text


@pytest.mark.parametrize(
    "method,suffix",
    [
        ("get", "move/"),
        ("post", "move/"),
        ("get", "cancel/"),
        ("post", "cancel/"),
        ("post", "confirm/"),
    ],
)
def test_it_answers_404_for_another_patients_appointment_and_audits_it(
    patient_client, booked, portal_world, method, suffix
):
    stranger = booked["stranger"]

    response = getattr(patient_client, method)(f"{URL}{stranger.pk}/{suffix}")

    assert response.status_code == 404
    denied = portal_events(portal_world.user, action="denied").get()
    assert denied.object_id == str(stranger.pk)
    stranger.refresh_from_db()
    assert stranger.status == Status.BOOKED and stranger.confirmed_at is None


def test_it_never_500s_on_a_forged_time(patient_client, booked):
    for value in ("", "tomorrow", "9999-99-99T10:00", "2026-13-01T25:00"):
        page = patient_client.post(f"{URL}{booked['a'].pk}/move/", {"start": value})
        assert page.status_code == 400 and "Choose one of the free times." in page.text
    far = patient_client.get(f"{URL}{booked['a'].pk}/move/?from=2099-01-01")
    assert far.status_code == 200 and "No free time on these days." in far.text


def test_the_list_costs_the_same_queries_however_many_bookings(
    patient_client, booked, portal_world, administrator, django_assert_max_num_queries
):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert patient_client.get(URL).status_code == 200
        return len(queries)

    few = count()
    for days in (10, 11, 12, 13):
        book(
            portal_world.at_a.registered_clinic,
            portal_world.at_a,
            at(day_ahead(days), 10),
            by=administrator,
        )
    # session, user, roles, upcoming, past, courses, the audit row (and its transaction)
    with django_assert_max_num_queries(few):
        patient_client.get(URL)
    assert few <= 12


def test_it_speaks_urdu(patient_client, booked):
    page = patient_client.get("/ur/portal/bookings/")

    assert page.status_code == 200
    assert 'lang="ur" dir="rtl"' in page.text
    assert "میری بکنگ" in page.text
    assert len(page.content) < 100_000


# A course: the next session booked by the patient, and its intervals kept when she moves one.


@pytest.fixture
def course(portal_world, doctors, consult, plan):  # noqa: F811 (fixtures imported above)
    """Sana's four-session melasma course at clinic A, 21 days apart, nothing booked yet."""
    doctor = doctors[0]
    consult(doctor.user, portal_world.at_a, planned_ingredients=["tranexamic_acid"])
    return plan(doctor.user, portal_world.at_a, sessions=4, interval_days=21)


def test_it_offers_the_next_session_and_books_it_through_the_course_booking(
    patient_client, course, portal_world
):
    listed = patient_client.get(URL).text
    assert f"/portal/bookings/courses/{course.pk}/" in listed

    page = patient_client.get(f"{URL}courses/{course.pk}/")
    assert page.status_code == 200
    start = at(day_ahead(2), 11)
    assert f'value="{minute(start)}"' in page.text

    response = patient_client.post(f"{URL}courses/{course.pk}/", {"start": minute(start)})

    assert response.status_code == 302
    series = Series.objects.get(course_id=course.pk)
    rows = list(series.appointments.order_by("starts_at"))
    assert rows[0].starts_at == start and rows[0].label == "Session 1 of 4"
    assert rows[0].booked_by == portal_world.user
    created = portal_events(
        portal_world.user,
        action="create",
        object_type__in=["appointments.series", "appointments.appointment"],
    )
    assert created.count() == 1 + len(rows)
    assert f"/portal/bookings/courses/{course.pk}/" not in patient_client.get(URL).text


def test_it_refuses_a_next_session_outside_the_window(patient_client, course):
    page = patient_client.post(
        f"{URL}courses/{course.pk}/", {"start": minute(at(day_ahead(20), 11))}
    )

    assert page.status_code == 409 and "It must start between" in page.text
    assert not Series.objects.exists()


def test_it_keeps_a_course_visit_to_its_interval_when_she_moves_it(
    patient_client, course, portal_world
):
    booking.book_course(
        acting_user=portal_world.user, course=course, first_start=at(day_ahead(2), 11), via="portal"
    )
    second = Appointment.objects.get(series__course_id=course.pk, label="Session 2 of 4")

    offered = patient_client.get(f"{URL}{second.pk}/move/?from={day_ahead(4)}").text
    too_close = at(day_ahead(5), 11)  # three days after session 1: the course allows 14–28
    assert f'value="{minute(too_close)}"' not in offered

    page = patient_client.post(f"{URL}{second.pk}/move/", {"start": minute(too_close)})

    assert page.status_code == 409
    assert "Session 2 of 4 would come 3 days after the visit before it" in page.text
    second.refresh_from_db()
    assert second.starts_at != too_close


def test_it_answers_404_for_another_patients_course(client, course, make_user, clinic_a):
    from mesoclinic.portal.tests.conftest import SANA_MOBILE  # noqa: F401

    stranger = make_user("patient-stranger", role="patient")
    client.force_login(stranger)

    assert client.get(f"{URL}courses/{course.pk}/").status_code == 404
    assert (
        client.post(f"{URL}courses/{course.pk}/", {"start": "2030-01-01T10:00"}).status_code == 404
    )
