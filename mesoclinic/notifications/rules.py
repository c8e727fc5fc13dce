"""The rules a message obeys before it goes: SMS segments, quiet hours, retry backoff, the
WhatsApp window, template rendering and the combined may-it-go-now check. Pure Python.

Every threshold is an argument (clinics and regulators differ); the defaults below say where
they come from. A service gathers the facts (the patient's consent per channel, the address and
whether it is valid, the template and its values, the last WhatsApp message from the patient),
calls these, and records the reasons on the outbox row. Like `care/gate.py`, `check` never stops
at the first problem: the clinic sees everything that keeps a message from going, at once.
"""

import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

# --- defaults, with their sources -----------------------------------------------------------

# Issue 17: no non-urgent message between 21:00 and 09:00 Karachi time; it waits. (PTA allows
# promotional SMS only 09:00-21:00, the same window; re-check the regulator's current text
# before relying on it for a clinic outside Pakistan or for a different kind of message.)
DEFAULT_QUIET_START = time(21, 0)
DEFAULT_QUIET_END = time(9, 0)

# Our choice (issue 17: "retries with backoff up to a limit"): five retries over about nine
# hours, enough to ride out a provider's outage of an evening without hiding a dead address.
DEFAULT_RETRY_SCHEDULE = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)

# WhatsApp Business Platform: free-form messages only within 24 hours of the customer's last
# message (the customer-service window); outside it, approved templates only.
DEFAULT_WHATSAPP_WINDOW_HOURS = 24


# --- SMS segments ---------------------------------------------------------------------------

GSM7 = "GSM-7"
UCS2 = "UCS-2"

# 3GPP TS 23.038, the GSM 7-bit default alphabet (the escape code 0x1B itself excluded) …
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# … and its extension table: each of these is sent as escape + character, two septets.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")


@dataclass(frozen=True)
class SegmentLimits:
    """Characters (septets, or UTF-16 code units) per segment: a message that fits one segment
    has the whole of it; a longer one loses a few to the concatenation header (3GPP TS 23.040)."""

    gsm7_single: int = 160
    gsm7_multi: int = 153
    ucs2_single: int = 70
    ucs2_multi: int = 67


DEFAULT_SEGMENT_LIMITS = SegmentLimits()


@dataclass(frozen=True)
class SegmentCount:
    encoding: str  # GSM7 or UCS2
    characters: int  # as the reader counts them (code points)
    units: int  # septets (GSM-7, an extension character counts 2) or UTF-16 code units
    segments: int  # 0 for empty text: there is nothing to send (`check` refuses an empty body)


def is_gsm7(text: str) -> bool:
    return all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text)


def sms_segments(text: str, *, limits: SegmentLimits = DEFAULT_SEGMENT_LIMITS) -> SegmentCount:
    """How an SMS gateway will split `text`: GSM-7 when every character is in the GSM alphabet,
    otherwise UCS-2 (any Urdu letter, an emoji, a curly quote) at 70 a segment.

    The count is the usual formula (units over the per-segment size). A gateway that refuses to
    split an escape pair or a surrogate pair across two segments may, rarely, need one more.
    """
    if is_gsm7(text):
        encoding, single, multi = GSM7, limits.gsm7_single, limits.gsm7_multi
        units = sum(2 if c in GSM7_EXTENSION else 1 for c in text)
    else:
        encoding, single, multi = UCS2, limits.ucs2_single, limits.ucs2_multi
        units = len(text.encode("utf-16-le")) // 2  # an emoji outside the BMP counts 2
    if units == 0:
        segments = 0
    elif units <= single:
        segments = 1
    else:
        segments = -(-units // multi)
    return SegmentCount(encoding, len(text), units, segments)


# --- quiet hours ----------------------------------------------------------------------------


def is_quiet(moment: datetime, *, quiet_start: time, quiet_end: time) -> bool:
    """Whether the wall-clock time of `moment` falls in [quiet_start, quiet_end). A window may
    cross midnight (21:00-09:00) or not (13:00-14:00); equal ends mean no quiet hours at all."""
    now = moment.time().replace(tzinfo=None)
    if quiet_start < quiet_end:
        return quiet_start <= now < quiet_end
    if quiet_start > quiet_end:
        return now >= quiet_start or now < quiet_end
    return False


def next_send_time(
    now_local: datetime, *, quiet_start: time, quiet_end: time, urgent: bool
) -> datetime:
    """When a message due now may go: now, unless it is not urgent and now is quiet, in which
    case the end of this quiet spell (today's quiet_end, or tomorrow's after midnight).

    `now_local` is in the clinic's time zone (Asia/Karachi), so the wall clock is the patient's.
    """
    if urgent or not is_quiet(now_local, quiet_start=quiet_start, quiet_end=quiet_end):
        return now_local
    end = now_local.replace(
        hour=quiet_end.hour,
        minute=quiet_end.minute,
        second=quiet_end.second,
        microsecond=quiet_end.microsecond,
    )
    if end <= now_local:
        end += timedelta(days=1)  # wall-clock arithmetic: tomorrow at quiet_end
    return end


# --- retries --------------------------------------------------------------------------------


def retry_at(
    now: datetime,
    *,
    attempts: int,
    schedule: tuple[timedelta, ...],
    jitter_fraction: float = 0,
    rng: Callable[[], float] | None = None,
) -> datetime | None:
    """When to try again after `attempts` failed attempts (1 after the first failure): the
    schedule's delay for that attempt, or None once the schedule is spent (the message then
    fails, visibly, with its reason).

    Jitter only lengthens a delay (by up to `jitter_fraction` of it), so a retry never comes
    sooner than the schedule says; `rng` returns a float in [0, 1) (default `random.random`).
    """
    if attempts < 1:
        raise ValueError("attempts counts failed attempts: at least 1")
    if not 0 <= jitter_fraction <= 1:
        raise ValueError("jitter_fraction lies between 0 and 1")
    if attempts > len(schedule):
        return None
    delay = schedule[attempts - 1]
    if delay <= timedelta(0):
        raise ValueError("every delay in the schedule is positive")
    if jitter_fraction:
        delay += delay * (jitter_fraction * (rng or random.random)())
    return now + delay


# --- reasons --------------------------------------------------------------------------------


class Reason(StrEnum):
    EMPTY_BODY = "empty_body"  # the rendered text (or template) has nothing in it
    OPTED_OUT = "opted_out"  # the patient opted out of this channel
    # No recorded opt-in on this channel (SMS, e-mail): issue 17 sends "only to people who
    # agreed". WhatsApp has its own reason below, since Meta's rules require it by name.
    NO_OPT_IN = "no_opt_in"
    ADDRESS_MISSING = "address_missing"  # no mobile number or e-mail address for the channel
    ADDRESS_INVALID = "address_invalid"  # one is on file, but not one the channel can use
    TEMPLATE_INVALID = "template_invalid"  # a brace that is neither {name}, {{ nor }}
    VALUES_MISSING = "values_missing"  # a placeholder with no value (detail: the names)
    WHATSAPP_NO_OPT_IN = "whatsapp_no_opt_in"  # no recorded WhatsApp opt-in
    # Free text more than the window after the patient's last message: only a template may go.
    WHATSAPP_OUTSIDE_WINDOW = "whatsapp_outside_window"


@dataclass(frozen=True)
class Refusal:
    reason: Reason
    detail: tuple[str, ...] = ()  # the missing names, the bad pieces of a template


# --- WhatsApp -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    reasons: tuple[Reason, ...]

    @property
    def allowed(self) -> bool:
        return not self.reasons


def whatsapp_decision(
    *,
    opted_in: bool,
    last_inbound_at: datetime | None,
    now: datetime,
    window_hours: float,
    is_template: bool,
) -> Decision:
    """May this WhatsApp message go: never without a recorded opt-in; a free-text message only
    within `window_hours` of the patient's last message (an approved template at any time)."""
    reasons = []
    if not opted_in:
        reasons.append(Reason.WHATSAPP_NO_OPT_IN)
    if not is_template and not in_window(last_inbound_at, now=now, window_hours=window_hours):
        reasons.append(Reason.WHATSAPP_OUTSIDE_WINDOW)
    return Decision(tuple(reasons))


def in_window(last_inbound_at: datetime | None, *, now: datetime, window_hours: float) -> bool:
    """Whether `now` is less than `window_hours` after the patient's last message (never, when
    the patient has not written)."""
    if last_inbound_at is None:
        return False
    return now - last_inbound_at < timedelta(hours=window_hours)


# --- templates ------------------------------------------------------------------------------

# `{name}` (a plain identifier: no attribute access, no index, no conversion, no format spec),
# `{{` and `}}` for literal braces. Any other brace is an error, caught when the clinic saves.
_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}|[{}]")


class TemplateError(ValueError):
    """A template that does not read; `problems` are the pieces at fault, as typed."""

    def __init__(self, problems: tuple[str, ...]):
        super().__init__(f"not a placeholder: {', '.join(problems)}")
        self.problems = problems


class MissingValues(ValueError):
    """Placeholders with no value; `names` lists every one, sorted."""

    def __init__(self, names: tuple[str, ...]):
        super().__init__(", ".join(names))
        self.names = names


@dataclass(frozen=True)
class Rendered:
    text: str
    used: frozenset[str]  # the names the template asked for


def _bad_pieces(template_text: str) -> tuple[str, ...]:
    """Each stray brace with what follows it up to the next closing brace (at most 20
    characters): "{0}", "{name.attr}", "{name:>9}", a lone "}"."""
    bad, covered = [], 0
    for match in _TOKEN.finditer(template_text):
        start = match.start()
        if match.group() not in ("{", "}") or start < covered:
            continue
        close = template_text.find("}", start + 1) if match.group() == "{" else start
        end = min(close + 1 if close >= 0 else len(template_text), start + 20)
        bad.append(template_text[start:end])
        covered = end
    return tuple(bad)


def _names(template_text: str) -> frozenset[str]:
    return frozenset(m.group(1) for m in _TOKEN.finditer(template_text) if m.group(1))


def _missing(names: frozenset[str], values: Mapping[str, object]) -> tuple[str, ...]:
    return tuple(sorted(name for name in names if values.get(name) is None))


def placeholders(template_text: str) -> frozenset[str]:
    """The names a template asks for (raises TemplateError for a stray brace): what the admin
    checks when the clinic saves a template, and what its preview asks sample values for."""
    if bad := _bad_pieces(template_text):
        raise TemplateError(bad)
    return _names(template_text)


def render(template_text: str, values: Mapping[str, object]) -> Rendered:
    """Fill every `{name}` with `str(values[name])` in one pass (a value holding `{x}` stays as
    typed). A name whose value is missing or None is missing; extra values are ignored."""
    names = placeholders(template_text)
    if missing := _missing(names, values):
        raise MissingValues(missing)

    def fill(match: re.Match) -> str:
        if name := match.group(1):
            return str(values[name])
        return match.group()[:1]  # "{{" -> "{", "}}" -> "}"

    return Rendered(_TOKEN.sub(fill, template_text), names)


# --- may it go now --------------------------------------------------------------------------


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    WHATSAPP = "whatsapp"
    CONSOLE = "console"  # development: printed, and shown on a staff page


@dataclass(frozen=True)
class SendFacts:
    """What the service found for one message, at the moment it would go.

    `address_valid` is the service's verdict (core.phones for a mobile, Django's validator for
    an e-mail) so this module stays free of both. Quiet hours are not here: they delay a
    message (`next_send_time`), they never refuse it.
    """

    channel: Channel
    opted_out: bool
    address: str
    address_valid: bool
    template_text: str
    values: Mapping[str, object]
    now: datetime
    # A recorded opt-in on this channel (SMS, e-mail; WhatsApp reads `whatsapp_opted_in`).
    # True for a message to the clinic itself, which needs no consent.
    opted_in: bool = True
    # WhatsApp only; ignored for the other channels.
    whatsapp_opted_in: bool = False
    last_inbound_at: datetime | None = None
    window_hours: float = DEFAULT_WHATSAPP_WINDOW_HOURS
    is_template: bool = True


def check(facts: SendFacts) -> tuple[Refusal, ...]:
    """Every reason the message may not go now, in a fixed order (empty when it may)."""
    refusals: list[Refusal] = []
    if facts.opted_out:
        refusals.append(Refusal(Reason.OPTED_OUT))
    elif not facts.opted_in and facts.channel != Channel.WHATSAPP:
        refusals.append(Refusal(Reason.NO_OPT_IN))
    if not facts.address.strip():
        refusals.append(Refusal(Reason.ADDRESS_MISSING))
    elif not facts.address_valid:
        refusals.append(Refusal(Reason.ADDRESS_INVALID))
    # A stray brace and a missing value are both named (not the first one only).
    if bad := _bad_pieces(facts.template_text):
        refusals.append(Refusal(Reason.TEMPLATE_INVALID, bad))
    if missing := _missing(_names(facts.template_text), facts.values):
        refusals.append(Refusal(Reason.VALUES_MISSING, missing))
    if not bad and not missing and not render(facts.template_text, facts.values).text.strip():
        refusals.append(Refusal(Reason.EMPTY_BODY))
    if facts.channel == Channel.WHATSAPP:
        decision = whatsapp_decision(
            opted_in=facts.whatsapp_opted_in,
            last_inbound_at=facts.last_inbound_at,
            now=facts.now,
            window_hours=facts.window_hours,
            is_template=facts.is_template,
        )
        refusals.extend(Refusal(reason) for reason in decision.reasons)
    return tuple(refusals)


def can_send(facts: SendFacts) -> Decision:
    """`check` as a decision: allowed, or every reason why not."""
    return Decision(tuple(refusal.reason for refusal in check(facts)))
