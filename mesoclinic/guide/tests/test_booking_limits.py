"""The rate limits on booking codes: per mobile number (an hour, a day) and per client address
(an hour), counted from the requests' own rows, answered with a 429 page that sends nothing."""

from datetime import timedelta

import pytest

from mesoclinic.appointments.models import VisitorBooking
from mesoclinic.appointments.tests.fixtures import at, day_ahead
from mesoclinic.guide.tests.booking_fixtures import VISITOR, bookable, param
from mesoclinic.notifications.models import Message

pytestmark = pytest.mark.django_db

BOOK = "/en/clinics/clinic-a/book/"


@pytest.fixture
def clinic(clinic_a, make_practitioner):
    bookable(clinic_a, make_practitioner)
    return clinic_a


def ask(client, *, mobile="0300-1234567", address="203.0.113.7", hour=10):
    data = {**VISITOR, "mobile": mobile, "start": param(at(day_ahead(), hour))}
    return client.post(BOOK, data, REMOTE_ADDR=address)


def codes() -> int:
    return Message.objects.filter(template="booking-code").count()


def test_it_sends_at_most_three_codes_to_a_number_in_an_hour(client, clinic):
    for _ in range(3):
        assert ask(client).status_code == 302

    refused = ask(client, address="198.51.100.1")  # another address: the number decides

    assert refused.status_code == 429
    assert "Too many codes were sent to this number" in refused.content.decode()
    assert "no code was sent" in refused.content.decode()
    assert VisitorBooking.objects.count() == 3 and codes() == 3


def test_it_counts_the_hour_from_the_rows(client, clinic):
    for _ in range(3):
        ask(client)
    VisitorBooking.objects.update(
        created_at=VisitorBooking.objects.first().created_at - timedelta(minutes=61)
    )

    assert ask(client).status_code == 302


def test_it_sends_at_most_the_days_limit_to_a_number(client, clinic, settings):
    settings.VISITOR_CODES_PER_MOBILE_DAY = 4
    for _ in range(3):
        ask(client)
    VisitorBooking.objects.update(
        created_at=VisitorBooking.objects.first().created_at - timedelta(hours=2)
    )
    assert ask(client).status_code == 302

    assert ask(client).status_code == 429
    assert codes() == 4


def test_it_takes_at_most_ten_requests_an_hour_from_one_address(client, clinic):
    for n in range(10):
        assert ask(client, mobile=f"0300-12345{n:02d}").status_code == 302

    refused = ask(client, mobile="0321-7654321")

    assert refused.status_code == 429
    assert "Too many booking requests came from your connection" in refused.content.decode()
    assert ask(client, mobile="0321-7654321", address="198.51.100.1").status_code == 302


def test_it_reads_its_limits_from_settings(client, clinic, settings):
    settings.VISITOR_CODES_PER_MOBILE_HOUR = 1
    assert ask(client).status_code == 302
    assert ask(client).status_code == 429


def test_it_counts_a_refused_form_against_nothing(client, clinic):
    for _ in range(5):
        client.post(BOOK, {**VISITOR, "mobile": "12345", "start": param(at(day_ahead(), 10))})
    assert ask(client).status_code == 302
