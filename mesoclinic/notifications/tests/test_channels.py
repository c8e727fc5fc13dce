"""Choosing a channel's implementation from settings; the console's masking."""

import pytest

from mesoclinic.notifications.channels import (
    ChannelError,
    ConsoleChannel,
    Outgoing,
    channel_for,
    mask,
)
from mesoclinic.notifications.tests.helpers import RecordingChannel


def test_it_masks_all_but_the_last_four_characters():
    assert mask("+923001234567") == "*********4567"
    assert mask("123") == "123"


def test_it_uses_the_configured_channel_and_the_console_only_in_development(settings):
    settings.NOTIFICATIONS_CHANNELS = {
        "sms": "mesoclinic.notifications.tests.helpers.RecordingChannel",
        "whatsapp": "console",
    }
    settings.DEBUG = True
    lookup = channel_for(settings)
    assert isinstance(lookup("sms"), RecordingChannel)
    assert lookup("sms") is lookup("sms")
    assert isinstance(lookup("email"), ConsoleChannel)

    settings.DEBUG = False
    lookup = channel_for(settings)
    assert isinstance(lookup("whatsapp"), ConsoleChannel)  # asked for by name
    # Unconfigured in production: never printed and counted as sent; it fails visibly.
    with pytest.raises(ChannelError) as refused:
        lookup("email").send(
            Outgoing(to="a@b.pk", body="x", idempotency_key="k", language="en", template="t")
        )
    assert refused.value.reason == "not_configured"


def test_it_returns_the_key_as_the_console_provider_id():
    assert (
        ConsoleChannel().send(
            Outgoing(
                to="+923001234567", body="Hi", idempotency_key="k-1", language="en", template="t"
            )
        )
        == "console-k-1"
    )
