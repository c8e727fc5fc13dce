"""The visitor's booking service (`appointments.visitors`) on its own: the code's hash, single
use, the rate limits' ledger, and visitors racing for one slot (one booked, the others told
the time was taken, with alternatives, their code spent and their details kept)."""

import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from mesoclinic.appointments import visitors
from mesoclinic.appointments.models import ACTIVE, Appointment, VisitorBooking
from mesoclinic.appointments.tests.fixtures import at
from mesoclinic.notifications import services as outbox
from mesoclinic.notifications.models import Message
from mesoclinic.notifications.tests.helpers import RecordingChannel, next_morning, run_at_once
from mesoclinic.patients.models import Enquiry


def ask(ready, *, mobile="0300-1234567", hour=10, address="203.0.113.7"):
    return visitors.request_code(
        clinic=ready.clinic,
        start=at(ready.day, hour),
        name="Ayesha Khan",
        mobile=mobile,
        language="en",
        client_address=address,
    )


def code_of(booking) -> str:
    return Message.objects.get(idempotency_key=f"visitor-code-{booking.pk}").values["code"]


@pytest.mark.django_db
def test_it_keeps_only_a_keyed_hash_of_the_code_and_the_address(ready):
    booking = ask(ready)
    code = code_of(booking)

    assert len(code) == 6 and code.isdigit()
    assert booking.code_hash == visitors.code_hash(booking.token, code) != code
    assert booking.code_hash != visitors.code_hash("another-token", code)
    assert booking.address_hash == visitors.address_hash("203.0.113.7")
    assert "203.0.113.7" not in repr(VisitorBooking.objects.values().get())


@pytest.mark.django_db
def test_it_books_once_per_code(ready):
    booking = ask(ready)
    code = code_of(booking)

    first = visitors.confirm_code(token=booking.token, code=code)
    second = visitors.confirm_code(token=booking.token, code=code)

    assert (first.status, second.status) == ("booked", "used")
    assert Appointment.objects.count() == 1 and Enquiry.objects.count() == 1


@pytest.mark.django_db
def test_it_blanks_the_used_code_in_the_outbox_once_it_was_sent(ready):
    booking = ask(ready)
    code = code_of(booking)
    phone = RecordingChannel()
    assert outbox.drain(now=next_morning(), channel_for=lambda name: phone).sent == 1
    assert code in Message.objects.get().body

    assert visitors.confirm_code(token=booking.token, code=code).status == "booked"

    message = Message.objects.get()
    assert message.values["code"] == outbox.REDACTED and code not in message.body
    assert message.values["clinic"] == "Clinic A Islamabad" and message.status == "sent"


@pytest.mark.django_db
def test_it_never_blanks_a_code_still_waiting_to_go(ready):
    booking = ask(ready)
    code = code_of(booking)

    assert not outbox.redact(key=visitors.code_key(booking), names=("code",))
    assert code_of(booking) == code


@pytest.mark.django_db
def test_it_refuses_an_unknown_token_as_expired(ready):
    assert visitors.confirm_code(token="nope", code="123456").status == "expired"
    assert visitors.confirm_code(token="x" * 500, code="123456").status == "expired"
    assert visitors.repick(token="nope", start=at(ready.day, 11)).status == "expired"


@pytest.mark.django_db
def test_it_allows_no_repick_before_the_code_nor_after_a_booking(ready):
    booking = ask(ready)
    assert visitors.repick(token=booking.token, start=at(ready.day, 11)).status == "expired"
    visitors.confirm_code(token=booking.token, code=code_of(booking))
    assert visitors.repick(token=booking.token, start=at(ready.day, 11)).status == "expired"
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_it_refuses_a_number_that_is_not_a_mobile(ready):
    with pytest.raises(visitors.VisitorRefused):
        ask(ready, mobile="051-2650100")
    assert not VisitorBooking.objects.exists() and not Message.objects.exists()


@pytest.mark.django_db
def test_it_counts_the_limits_from_the_rows(ready, settings):
    settings.VISITOR_CODES_PER_MOBILE_HOUR = 2
    ask(ready)
    ask(ready)
    with pytest.raises(visitors.RateLimited):
        ask(ready)
    VisitorBooking.objects.update(created_at=timezone.now() - timedelta(hours=2))
    ask(ready)
    assert VisitorBooking.objects.count() == 3


VISITORS = 6


@pytest.mark.django_db(transaction=True)
def test_it_books_one_of_several_visitors_confirming_the_same_slot_at_once(ready):
    bookings = [ask(ready, mobile=f"0300-12345{n:02d}") for n in range(VISITORS)]
    codes = {booking.token: code_of(booking) for booking in bookings}
    tokens = iter(codes)
    lock = threading.Lock()

    def one():
        with lock:
            token = next(tokens)
        return visitors.confirm_code(token=token, code=codes[token])

    results, errors = run_at_once(one, times=VISITORS)

    assert errors == []
    statuses = sorted(outcome.status for outcome in results)
    assert statuses == ["booked"] + ["taken"] * (VISITORS - 1)
    assert Appointment.objects.filter(status__in=ACTIVE).count() == 1
    assert Enquiry.objects.count() == 1
    for outcome in results:
        if outcome.status == "taken":
            assert outcome.alternatives and at(ready.day, 10) not in {
                slot.start for slot in outcome.alternatives
            }
            assert visitors.may_repick(VisitorBooking.objects.get(pk=outcome.booking.pk))
