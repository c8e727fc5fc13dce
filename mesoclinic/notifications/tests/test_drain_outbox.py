"""The worker's command: reap, then drain once."""

import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from mesoclinic.notifications import services
from mesoclinic.notifications.models import Message
from mesoclinic.notifications.tests.helpers import VALUES

pytestmark = pytest.mark.django_db


def test_it_reaps_and_drains_through_the_console(settings, caplog):
    settings.NOTIFICATIONS_CHANNELS = {"sms": "console", "email": "console"}
    # Urgent, so the test passes at any hour of the Karachi night.
    services.enqueue(
        key="enquiry-7-notice",
        channel="sms",
        address="+923001234567",
        language="en",
        template="enquiry-notice",
        values=VALUES,
        urgent=True,
    )
    services.enqueue(
        key="enquiry-8-notice",
        channel="email",
        address="clinic@example.pk",
        language="en",
        template="enquiry-notice",
        values=VALUES,
        urgent=True,
    )
    # The second one's worker died an hour ago, mid-send.
    services.claim_due(now=timezone.now(), limit=1, lease_for=timedelta(hours=-1))
    out = StringIO()

    with caplog.at_level(logging.INFO, logger="mesoclinic.notifications"):
        call_command("drain_outbox", stdout=out)

    assert "reaped 1, sent 2," in out.getvalue()
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}
    assert "*********4567 [enquiry-notice, en]: A visitor asked Blue Area" in caplog.text
    assert "+923001234567" not in caplog.text
