"""Choosing a channel's implementation from settings; the console's masking."""

from mesoclinic.notifications.channels import ConsoleChannel, channel_for, mask
from mesoclinic.notifications.tests.helpers import RecordingChannel


def test_it_masks_all_but_the_last_four_characters():
    assert mask("+923001234567") == "*********4567"
    assert mask("123") == "123"


def test_it_uses_the_console_unless_configured(settings):
    settings.NOTIFICATIONS_CHANNELS = {
        "sms": "mesoclinic.notifications.tests.helpers.RecordingChannel"
    }
    lookup = channel_for(settings)

    assert isinstance(lookup("sms"), RecordingChannel)
    assert lookup("sms") is lookup("sms")
    assert isinstance(lookup("email"), ConsoleChannel)


def test_it_returns_the_key_as_the_console_provider_id():
    assert (
        ConsoleChannel().send(
            to="+923001234567", body="Hi", idempotency_key="k-1", language="en", template="t"
        )
        == "console-k-1"
    )
