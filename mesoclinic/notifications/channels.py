"""The one small interface every channel implements, and the console channel for development.

A channel is the provider edge: it takes a rendered message and returns the provider's id for
it, or raises `ChannelError` with a reason code. It receives the outbox row's idempotency key
and must pass it on (an idempotency header, a message id), so that a send repeated after a
worker died between the provider's answer and our commit is dropped by the provider. A
channel's network timeout must be shorter than the worker's lease (services.DEFAULT_LEASE), or
a slow send is reaped and sent again while it is still in flight (the key still saves it).
"""

import logging
from dataclasses import dataclass, field
from typing import Protocol

from django.utils.module_loading import import_string

from mesoclinic.notifications.rules import Channel as ChannelName

logger = logging.getLogger("mesoclinic.notifications")


class ChannelError(Exception):
    """A send that did not happen. `reason` is a short code ("timeout", "http_503"); the text
    is short and never holds personal data, since it is stored on the row. `permanent` says a
    repeat of the same request cannot succeed (the provider refused the request itself: a bad
    number, no approved template): the message fails at once instead of retrying for hours."""

    def __init__(self, reason: str, text: str = "", *, permanent: bool = False):
        super().__init__(f"{reason}: {text}" if text else reason)
        self.reason = reason
        self.text = text
        self.permanent = permanent


@dataclass(frozen=True)
class Outgoing:
    """One rendered message as a channel receives it. `body` is the text in the message's
    language; `title` is an e-mail's subject line. A provider with approved templates
    (WhatsApp) sends `provider_template` with `parameters` in that template's order, and sends
    `body` as free text only when `free_text_allowed` (inside the 24-hour window)."""

    to: str
    body: str
    idempotency_key: str
    language: str
    template: str
    values: dict = field(default_factory=dict)
    title: str = ""
    provider_template: str = ""
    parameters: tuple[str, ...] = ()
    free_text_allowed: bool = True


class Channel(Protocol):
    def send(self, outgoing: Outgoing) -> str: ...


def mask(address: str) -> str:
    """Everything but the last four characters hidden: enough to tell two numbers apart."""
    return "*" * max(len(address) - 4, 0) + address[-4:]


class ConsoleChannel:
    """Development: one line per message in the log (the terminal under `make run`), with the
    address masked. The body is shown: a newcomer needs to see what would have gone."""

    def send(self, outgoing: Outgoing) -> str:
        logger.info(
            "message to %s [%s, %s]: %s",
            mask(outgoing.to),
            outgoing.template,
            outgoing.language,
            outgoing.body.replace("\n", " "),
        )
        return f"console-{outgoing.idempotency_key}"


class NotConfiguredChannel:
    """A channel nobody configured, outside development: every send fails with
    "not_configured", so the message retries and then fails where the clinic sees it, instead
    of being printed to a production log and counted as sent."""

    def send(self, outgoing: Outgoing) -> str:
        raise ChannelError("not_configured", "no provider is configured for this channel")


def channel_for(settings):
    """A function from a channel name to its implementation: NOTIFICATIONS_CHANNELS maps a name
    ("sms") to a dotted class path (or "console"). A name not there uses the console under
    DEBUG (development) and otherwise fails visibly (`NotConfiguredChannel`)."""
    configured = getattr(settings, "NOTIFICATIONS_CHANNELS", {}) or {}
    fallback = ConsoleChannel if settings.DEBUG else NotConfiguredChannel
    cache: dict[str, Channel] = {}

    def lookup(name: str) -> Channel:
        name = ChannelName(name)
        if name not in cache:
            path = configured.get(name.value)
            if path == "console":
                cache[name] = ConsoleChannel()
            else:
                cache[name] = import_string(path)() if path else fallback()
        return cache[name]

    return lookup
