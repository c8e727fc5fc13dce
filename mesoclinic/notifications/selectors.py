"""Reads of the outbox's neighbours that other slices use."""

from datetime import datetime

from mesoclinic.notifications.models import InboundContact


def contact_address(channel: str, address: str) -> str:
    """An address as the outbox stores it: a mobile in E.164 with its + (WhatsApp's webhooks
    write 923001234567), an e-mail address as given."""
    address = address.strip()
    if channel in ("sms", "whatsapp") and address.lstrip("+").isdigit():
        return "+" + address.lstrip("+")
    return address


def last_inbound_at(channel: str, address: str) -> datetime | None:
    """When the person at `address` last wrote to us on `channel` (None if never): the start
    of WhatsApp's 24-hour window (rules.in_window). inbound_contact_unique: one row."""
    return (
        InboundContact.objects.filter(channel=channel, address=contact_address(channel, address))
        .values_list("last_inbound_at", flat=True)
        .first()
    )
