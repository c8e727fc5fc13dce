"""A visitor's code typed in Urdu digits, and codes that can no longer be used blanked in the
outbox (after the last wrong try, and by the hourly sweep once expired)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mesoclinic.appointments import visitors
from mesoclinic.appointments.tests.test_visitors import ask, code_of
from mesoclinic.notifications import services as outbox
from mesoclinic.notifications.models import Message
from mesoclinic.notifications.tests.helpers import RecordingChannel, next_morning

pytestmark = pytest.mark.django_db

URDU_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def sent(ready):
    booking = ask(ready)
    code = code_of(booking)
    assert outbox.drain(now=next_morning(), channel_for=lambda name: RecordingChannel()).sent == 1
    return booking, code


def test_it_accepts_the_code_typed_in_urdu_digits(ready):
    booking = ask(ready)

    outcome = visitors.confirm_code(
        token=booking.token, code=code_of(booking).translate(URDU_DIGITS)
    )

    assert outcome.status == "booked"


def test_it_blanks_the_code_once_the_last_try_is_spent(ready):
    booking, code = sent(ready)
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    for _ in range(visitors.MAX_ATTEMPTS):
        visitors.confirm_code(token=booking.token, code=wrong)

    message = Message.objects.get()
    assert message.values["code"] == outbox.REDACTED and code not in message.body


def test_the_sweep_blanks_codes_that_expired(ready):
    booking, code = sent(ready)

    assert visitors.redact_spent_codes(now=booking.expires_at - timedelta(seconds=1)) == 0
    assert visitors.redact_spent_codes(now=booking.expires_at + timedelta(minutes=1)) == 1

    assert code not in Message.objects.get().body
    assert timezone.now() < booking.expires_at + timedelta(days=1)
