"""Practitioners' calendar feeds: a secret address made once, replaced or stopped by whom may,
read by a calendar as iCalendar with the right times and nothing that names a patient."""

from datetime import UTC, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from mesoclinic.appointments import feeds, services
from mesoclinic.appointments.models import CalendarFeed
from mesoclinic.appointments.tests.fixtures import at
from mesoclinic.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PAGE = "/appointments/calendar-addresses/"


def book(ready, user, hour=10, **extra):
    fields = {
        "acting_user": user,
        "clinic": ready.clinic,
        "appointment_type": ready.type("session"),
        "start": at(ready.day, hour),
        "patient": ready.patient,
        "practitioner": ready.doctor,
    }
    return services.book(**(fields | extra))


def path_of(token):
    return reverse("calendar_feeds:feed", kwargs={"token": token})


def test_the_feed_parses_with_utc_times_stable_uids_and_no_patient_name(ready, receptionist):
    kept = book(ready, receptionist, hour=10)
    gone = book(ready, receptionist, hour=14)
    services.cancel(acting_user=receptionist, appointment=gone, reason="patient unwell")
    _feed, token = feeds.create_feed(
        acting_user=ready.doctor.user, practitioner=ready.doctor, via="web"
    )

    response = Client().get(path_of(token))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    document = Calendar.from_ical(response.content)
    events = document.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["uid"]) == f"appointment-{kept.pk}@mesoclinic"
    start = event.decoded("dtstart")
    assert start == kept.starts_at and start.utcoffset() == timedelta(0)
    assert start.astimezone(UTC).hour == 5  # 10:00 in Karachi
    assert event.decoded("dtend") == kept.ends_at
    utc = kept.starts_at.astimezone(UTC)
    assert f"DTSTART:{utc:%Y%m%dT%H%M%S}Z".encode() in response.content
    assert str(event["summary"]) == f"Treatment session · Patient #{kept.pk}"
    assert "Room 1" in str(event["location"]) and ready.clinic.name in str(event["location"])
    text = response.content.decode()
    for word in (ready.patient.first_name, ready.patient.last_name, ready.patient.mrn, "unwell"):
        assert word not in text


def test_a_moved_appointment_keeps_its_uid_with_a_higher_sequence(ready, receptionist, client):
    appointment = book(ready, receptionist, hour=10)
    _feed, token = feeds.create_feed(
        acting_user=ready.doctor.user, practitioner=ready.doctor, via="web"
    )
    services.reschedule(acting_user=receptionist, appointment=appointment, start=at(ready.day, 15))

    (event,) = Calendar.from_ical(client.get(path_of(token)).content).walk("VEVENT")

    assert str(event["uid"]) == f"appointment-{appointment.pk}@mesoclinic"
    assert event.decoded("dtstart") == at(ready.day, 15)
    assert int(event["sequence"]) == 2


def test_an_unknown_or_revoked_token_is_404_and_only_the_hash_is_stored(ready, client):
    feed, token = feeds.create_feed(
        acting_user=ready.doctor.user, practitioner=ready.doctor, via="web"
    )
    assert feed.token_hash != token and token not in feed.token_hash
    assert client.get(path_of(token)).status_code == 200
    feed.refresh_from_db()
    assert feed.last_used_at is not None

    feeds.revoke_feed(acting_user=ready.doctor.user, feed=feed, via="web")

    assert client.get(path_of(token)).status_code == 404
    assert client.get(path_of("x" * 43)).status_code == 404
    assert AuditEvent.objects.filter(
        object_type="appointments.calendarfeed", object_id=str(feed.pk), action="update"
    ).exists()


def test_a_new_address_replaces_the_old_one(ready):
    _first, old = feeds.create_feed(
        acting_user=ready.doctor.user, practitioner=ready.doctor, via="web"
    )
    _second, new = feeds.create_feed(
        acting_user=ready.doctor.user, practitioner=ready.doctor, via="web"
    )

    assert feeds.feed_for_token(old) is None
    assert feeds.feed_for_token(new) is not None
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 1


def test_who_may_manage_an_address(ready, receptionist, manager, administrator, make_practitioner):
    colleague = make_practitioner("derm_b", ready.clinic)

    assert feeds.may_manage(ready.doctor.user, ready.doctor)
    assert feeds.may_manage(manager, ready.doctor)
    assert feeds.may_manage(administrator, ready.doctor)
    assert not feeds.may_manage(receptionist, ready.doctor)
    assert not feeds.may_manage(colleague.user, ready.doctor)
    with pytest.raises(PermissionDenied):
        feeds.create_feed(acting_user=receptionist, practitioner=ready.doctor, via="web")


def test_an_outside_manager_may_not(ready, make_user, clinic_b):
    elsewhere = make_user("manager_b", "clinic_manager", [clinic_b])

    assert not feeds.may_manage(elsewhere, ready.doctor)


def test_the_page_shows_a_new_address_once(ready, client):
    client.force_login(ready.doctor.user)

    made = client.post(PAGE, {"practitioner": ready.doctor.pk, "action": "create"})

    assert made.status_code == 200
    url = made.context["new_url"]
    assert url.endswith(".ics") and "/calendar-feeds/" in url
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert feeds.feed_for_token(token) is not None
    again = client.get(PAGE)
    assert token not in again.content.decode()
    assert AuditEvent.objects.filter(
        object_type="appointments.calendarfeed", action="create", actor=ready.doctor.user
    ).exists()

    stopped = client.post(PAGE, {"practitioner": ready.doctor.pk, "action": "revoke"})

    assert stopped.status_code == 302
    assert feeds.feed_for_token(token) is None


def test_the_page_lists_only_whom_one_manages_and_404s_the_rest(ready, manager, outsider, client):
    client.force_login(manager)
    assert ready.doctor in [row["practitioner"] for row in client.get(PAGE).context["rows"]]

    client.force_login(outsider)
    assert client.get(PAGE).context["rows"] == []
    refused = client.post(PAGE, {"practitioner": ready.doctor.pk, "action": "create"})
    assert refused.status_code == 404
    assert not CalendarFeed.objects.exists()
    assert client.post(PAGE, {"practitioner": "9" * 40}).status_code == 404


def test_the_page_in_urdu(ready, client):
    client.force_login(ready.doctor.user)

    response = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="ur")

    assert response.status_code == 200
    assert "کیلنڈر" in response.content.decode()
