"""Booking a consultation from the public clinic page with a one-time code: the free times by
day, the form, the code, the confirmation, and every refusal (a clear message, nothing
changed, never a 500)."""

import logging
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mesoclinic.appointments import selectors, services
from mesoclinic.appointments.models import Appointment, Closure, VisitorBooking
from mesoclinic.appointments.tests.fixtures import at, day_ahead, type_at
from mesoclinic.audit.models import AuditEvent
from mesoclinic.guide.tests.booking_fixtures import VISITOR, bookable, param, sent_code
from mesoclinic.notifications import services as outbox
from mesoclinic.notifications.models import Message
from mesoclinic.notifications.tests.helpers import RecordingChannel, next_morning
from mesoclinic.patients.models import Enquiry

pytestmark = pytest.mark.django_db

PAGE = "/en/clinics/clinic-a/"
BOOK = "/en/clinics/clinic-a/book/"


@pytest.fixture
def clinic(clinic_a, make_practitioner):
    bookable(clinic_a, make_practitioner)
    return clinic_a


@pytest.fixture
def day():
    return day_ahead()


def ask(client, start, **changes):
    """Post the booking form for `start`; the response."""
    return client.post(BOOK, {**VISITOR, "start": param(start), **changes})


def requested(client, start, **changes) -> VisitorBooking:
    response = ask(client, start, **changes)
    assert response.status_code == 302, response.content.decode()[:2000]
    booking = VisitorBooking.objects.latest("id")
    assert response.headers["Location"] == f"/en/clinics/clinic-a/book/{booking.token}/"
    return booking


def confirm(client, booking, code):
    return client.post(f"/en/clinics/clinic-a/book/{booking.token}/", {"code": code})


def nothing_changed(before_bookings: int = 0):
    assert VisitorBooking.objects.count() == before_bookings
    assert not Appointment.objects.exists() and not Enquiry.objects.exists()
    assert not Message.objects.filter(template="booking-code").exists() or before_bookings


def test_it_lists_the_free_consultation_times_day_by_day(client, clinic, day):
    html = client.get(f"{PAGE}?day={day:%Y-%m-%d}").content.decode()

    assert "Book a consultation" in html
    assert f'href="?day={day:%Y-%m-%d}#book" aria-current="date"' in html
    # Consultations are 30 minutes on a 15-minute grid, 09:00 to 16:30.
    assert f'href="{BOOK}?start={day:%Y-%m-%d}T09%3A00"' in html
    assert f'href="{BOOK}?start={day:%Y-%m-%d}T16%3A30"' in html
    assert "T16%3A45" not in html
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert "Ask us to call you instead" in html


def test_it_starts_on_the_first_free_day_when_the_day_is_unknown(client, clinic):
    response = client.get(f"{PAGE}?day=not-a-day")
    assert response.status_code == 200
    assert 'aria-current="date"' in response.content.decode()


def test_it_leaves_out_a_closed_day(client, clinic, day):
    Closure.objects.create(clinic=clinic, first=day, last=day, label="Eid")
    html = client.get(PAGE).content.decode()
    assert f"?day={day + timedelta(days=1):%Y-%m-%d}#book" in html
    assert f"?day={day:%Y-%m-%d}#book" not in html


def test_it_reads_the_clinic_page_in_the_same_queries_however_full_the_book(
    client, clinic, day, patient_a, make_patient, receptionist
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE).status_code == 200
        return len(captured)

    services.book(
        acting_user=receptionist,
        clinic=clinic,
        appointment_type=type_at(clinic, "consultation"),
        start=at(day, 9),
        patient=patient_a,
    )
    first = queries()
    for hour in (11, 12, 13, 14):
        services.book(
            acting_user=receptionist,
            clinic=clinic,
            appointment_type=type_at(clinic, "consultation"),
            start=at(day, hour),
            patient=make_patient(clinic),
        )
    assert queries() == first


def test_it_books_a_consultation_confirmed_by_the_code_sent_to_the_mobile(client, clinic, day):
    form = client.get(f"{BOOK}?start={param(at(day, 10))}")
    assert form.status_code == 200
    assert "10:00" in form.content.decode()

    booking = requested(client, at(day, 10))

    # The code waits in the outbox for the mobile, urgent (no quiet hours); nothing is held.
    message = Message.objects.get(template="booking-code")
    assert (message.channel, message.address, message.language, message.urgent) == (
        "sms",
        "+923001234567",
        "en",
        True,
    )
    assert (message.clinic_id, message.patient_id) == (clinic.pk, None)
    assert not Appointment.objects.exists()
    assert booking.agreed_at is not None and booking.confirmed_at is None
    page = client.get(f"/en/clinics/clinic-a/book/{booking.token}/").content.decode()
    assert "Enter it to book your consultation" in page

    response = confirm(client, booking, sent_code(booking))

    assert response.status_code == 302
    assert response.headers["Location"] == f"/en/clinics/clinic-a/book/{booking.token}/done/"
    appointment = Appointment.objects.select_related("enquiry").get()
    assert appointment.starts_at == at(day, 10)
    assert appointment.type.code == "consultation" and appointment.status == "booked"
    assert appointment.practitioner is not None and appointment.booked_by is None
    enquiry = appointment.enquiry
    assert (enquiry.name, enquiry.mobile, enquiry.status, enquiry.clinic) == (
        "Ayesha Khan",
        "+923001234567",
        "booked",
        clinic,
    )
    booking.refresh_from_db()
    assert booking.appointment == appointment and booking.confirmed_at is not None
    assert AuditEvent.objects.filter(
        object_type="appointments.appointment", action="create", interface="public"
    ).exists()
    done = client.get(response.headers["Location"]).content.decode()
    assert "Consultation booked" in done and "10:00" in done


def test_it_sends_the_code_with_the_clinic_and_validity_and_no_name(client, clinic, day):
    booking = requested(client, at(day, 10), preferred_language="ur")
    phone = RecordingChannel()

    assert outbox.drain(now=next_morning(), channel_for=lambda name: phone).sent == 1

    [sms] = phone.calls
    assert sent_code(booking) in sms["body"] and "Clinic A Islamabad" in sms["body"]
    assert "10" in sms["body"] and re.search(r"[\u0600-\u06FF]", sms["body"])
    assert "Ayesha" not in sms["body"] and "Khan" not in sms["body"]


def test_it_never_stores_nor_logs_the_code_in_clear(client, clinic, day, caplog):
    caplog.set_level(logging.DEBUG)
    booking = requested(client, at(day, 10))
    code = sent_code(booking)
    confirm(client, booking, code)

    row = VisitorBooking.objects.filter(pk=booking.pk).values().get()
    assert code not in repr(row)
    assert len(row["code_hash"]) == 64 and row["address_hash"] != "127.0.0.1"
    assert code not in caplog.text
    for event in AuditEvent.objects.all():
        assert code not in repr((event.detail, event.changed_fields))


def test_it_uses_a_code_once(client, clinic, day):
    booking = requested(client, at(day, 10))
    code = sent_code(booking)
    confirm(client, booking, code)

    again = confirm(client, booking, code)

    assert again.status_code == 302  # to the booked page: nothing new
    assert Appointment.objects.count() == 1 and Enquiry.objects.count() == 1


def test_it_refuses_a_wrong_code_naming_the_tries_left_then_asks_to_start_again(
    client, clinic, day
):
    booking = requested(client, at(day, 10))
    right = sent_code(booking)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    first = confirm(client, booking, wrong)
    assert first.status_code == 400
    assert "You can try 4 more times" in first.content.decode()
    for _attempt in range(4):
        last = confirm(client, booking, wrong)
    assert "Please start again" in last.content.decode()

    too_late = confirm(client, booking, right)

    assert too_late.status_code == 400 and "Please start again" in too_late.content.decode()
    assert not Appointment.objects.exists() and not Enquiry.objects.exists()


def test_it_refuses_an_expired_code(client, clinic, day):
    booking = requested(client, at(day, 10))
    VisitorBooking.objects.filter(pk=booking.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    response = confirm(client, booking, sent_code(booking))

    assert response.status_code == 400 and "has expired" in response.content.decode()
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "1234567"])
def test_it_refuses_a_code_that_is_not_six_digits_without_counting_a_try(client, clinic, day, code):
    booking = requested(client, at(day, 10))
    response = confirm(client, booking, code)
    assert response.status_code == 400
    booking.refresh_from_db()
    assert booking.attempts == 0


def test_it_offers_the_nearest_free_times_when_the_slot_was_taken_meanwhile(
    client, clinic, day, patient_a, receptionist
):
    booking = requested(client, at(day, 10))
    assert at(day, 10) in [s.start for s in _free(clinic, day)]  # the request held nothing
    services.book(
        acting_user=receptionist,
        clinic=clinic,
        appointment_type=type_at(clinic, "consultation"),
        start=at(day, 10),
        patient=patient_a,
    )

    taken = confirm(client, booking, sent_code(booking))

    assert taken.status_code == 409
    html = taken.content.decode()
    assert "That time was just taken" in html
    assert (
        f'value="{param(at(day, 10, 45))}"' in html
    )  # 10:45 is a nearest free start (10:00 holds to 10:35)
    assert Appointment.objects.count() == 1 and not Enquiry.objects.exists()

    # No new code: the number is proven, the details are kept.
    repicked = client.post(
        f"/en/clinics/clinic-a/book/{booking.token}/", {"start": param(at(day, 10, 45))}
    )

    assert repicked.status_code == 302
    mine = Appointment.objects.get(enquiry__isnull=False)
    assert mine.starts_at == at(day, 10, 45) and mine.enquiry.name == "Ayesha Khan"
    assert Message.objects.filter(template="booking-code").count() == 1


def _free(clinic, day):
    return selectors.find_slots(
        appointment_type=type_at(clinic, "consultation"), first=day, last=day, one_per_start=True
    )


@pytest.mark.parametrize(
    "when",
    [
        lambda day: at(timezone.localdate() - timedelta(days=1), 10),  # past
        lambda day: at(day, 10, 7),  # not on the grid
        lambda day: at(day, 20),  # after hours
        lambda day: at(day, 16, 45),  # would end after closing
        lambda day: at(day + timedelta(days=20), 10),  # beyond the two weeks
    ],
    ids=["past", "off-grid", "after-hours", "too-late-to-fit", "too-far"],
)
def test_it_refuses_a_time_it_does_not_offer(client, clinic, day, when):
    start = when(day)
    assert client.get(f"{BOOK}?start={param(start)}").status_code == 400
    response = ask(client, start)
    assert response.status_code == 400
    assert "not free for a consultation" in response.content.decode()
    nothing_changed()


def test_it_refuses_a_closed_day(client, clinic, day):
    Closure.objects.create(clinic=clinic, first=day, last=day, label="Eid")
    assert ask(client, at(day, 10)).status_code == 400
    nothing_changed()


@pytest.mark.parametrize("start", ["", "tomorrow", "2026-13-45T10:00", "9" * 300])
def test_it_refuses_a_start_that_does_not_read(client, clinic, start):
    assert client.get(BOOK, {"start": start}).status_code == 400
    assert client.post(BOOK, {**VISITOR, "start": start}).status_code == 400
    nothing_changed()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"mobile": "12345"}, "mobile number"),
        ({"mobile": "051-2650100"}, "landline"),
        ({"name": ""}, "enter your name"),
        ({"agree": ""}, "so the clinic may contact you"),
    ],
)
def test_it_refuses_bad_details_keeping_the_chosen_time(client, clinic, day, change, words):
    response = ask(client, at(day, 10), **change)
    assert response.status_code == 400
    html = response.content.decode()
    assert words in html and f'value="{param(at(day, 10))}"' in html
    assert "no-store" in response.headers.get("Cache-Control", "")
    nothing_changed()


def test_it_quietly_drops_a_robot_filling_the_hidden_field(client, clinic, day):
    response = ask(client, at(day, 10), website="http://spam")
    assert response.status_code == 302
    nothing_changed()


def test_it_answers_404_for_a_request_under_another_clinic_or_an_unknown_token(
    client, clinic, clinic_b, make_practitioner, day
):
    bookable(clinic_b, make_practitioner, username="drlahore", number="67890-P")
    booking = requested(client, at(day, 10))

    assert client.get(f"/en/clinics/clinic-b/book/{booking.token}/").status_code == 404
    assert (
        client.post(f"/en/clinics/clinic-b/book/{booking.token}/", {"code": "1"}).status_code == 404
    )
    assert client.get("/en/clinics/clinic-a/book/no-such-token/").status_code == 404
    assert client.get(f"/en/clinics/clinic-a/book/{booking.token}/done/").status_code == 404


def test_it_takes_no_booking_at_a_clinic_without_a_verified_practitioner(client, clinic_b):
    html = client.get("/en/clinics/clinic-b/").content.decode()
    assert "Book a consultation" not in html
    start = at(day_ahead(), 10)
    assert (
        client.post("/en/clinics/clinic-b/book/", {**VISITOR, "start": param(start)}).status_code
        == 400
    )
    nothing_changed()


def test_it_shows_the_booking_pages_in_urdu(client, clinic, day):
    page = client.get("/ur/clinics/clinic-a/").content.decode()
    form = client.get(f"/ur/clinics/clinic-a/book/?start={param(at(day, 10))}").content.decode()
    for html in (page, form):
        assert re.search(r"<h[12][^>]*>[^<]*[\u0600-\u06FF]", html)
        assert "Book a consultation" not in html
