"""Reading the providers' callbacks into plain values. Pure Python: the views check the
signature, then hand the parsed payload here, then pass what it found to the services.

A payload whose outer shape is wrong is `Malformed` (the view answers 400); inside a good one,
an entry that cannot be read is skipped, so one odd status does not make the provider resend
all the others for days. A part of the wrong type at any depth (a number, a string or an object
where a list is expected) is such an entry: skipped, never an exception.

A provider's error code reaches the outbox row's `last_error`, which the clinic reads: only a
short code-like token is kept (`error_code`), since a gateway's free text may quote the number.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

DELIVERED, READ, FAILED, SENT = "delivered", "read", "failed", "sent"


class Malformed(ValueError):
    pass


@dataclass(frozen=True)
class StatusReport:
    provider_message_id: str
    status: str  # sent, delivered, read or failed
    at: datetime
    error_code: str = ""


@dataclass(frozen=True)
class Inbound:
    sender: str  # as the provider wrote it (WhatsApp: digits, no +)
    at: datetime


def moment(value) -> datetime | None:
    """A Unix timestamp (seconds, as a number or digits) as an aware datetime, or None."""
    try:
        seconds = int(value)
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _list(value) -> list:
    """`value` if it is a list, else nothing to read (a number, a string, an object)."""
    return value if isinstance(value, list) else []


#: What a provider's error code may look like to be kept: 131026, E42, EC_9. Nine or more
#: characters could be most of a mobile number (a gateway echoing what it failed to reach).
ERROR_CODE = re.compile(r"[A-Za-z0-9_.-]{1,8}")
UNKNOWN_ERROR = "unknown"


def error_code(value) -> str:
    """A provider's error code as it may be stored: a short code-like token as given, "" when
    there is none, "unknown" for anything else (free text, a long number, an object)."""
    if not value:
        return ""
    if isinstance(value, str | int) and not isinstance(value, bool):
        token = str(value).strip()
        if ERROR_CODE.fullmatch(token):
            return token
    return UNKNOWN_ERROR


def whatsapp(payload) -> tuple[list[StatusReport], list[Inbound]]:
    """The statuses and inbound messages of a WhatsApp Business Platform webhook:
    {"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages",
    "value": {"statuses": [...], "messages": [...]}}]}]}."""
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        raise Malformed("no entry list")
    statuses, inbound = [], []
    for entry in payload["entry"]:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in _list(changes):
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                continue
            for status in _list(value.get("statuses")):
                if not isinstance(status, dict):
                    continue
                at, message_id = moment(status.get("timestamp")), _text(status.get("id"))
                if at is None or not message_id:
                    continue
                errors = _list(status.get("errors"))
                code = ""
                if errors and isinstance(errors[0], dict):
                    code = error_code(errors[0].get("code"))
                state = _text(status.get("status"))[:20]
                statuses.append(StatusReport(message_id, state, at, code))
            for message in _list(value.get("messages")):
                if not isinstance(message, dict):
                    continue
                at, sender = moment(message.get("timestamp")), _text(message.get("from"))
                if at is not None and sender:
                    inbound.append(Inbound(sender, at))
    return statuses, inbound


#: An SMS gateway's words for a message that will not arrive.
SMS_FAILED = {"failed", "undelivered", "rejected", "expired"}


def sms_report(payload) -> StatusReport | None:
    """Our SMS gateway's delivery report: {"id", "status", "timestamp", "error"}."""
    if not isinstance(payload, dict):
        raise Malformed("not an object")
    message_id, status = _text(payload.get("id")), _text(payload.get("status")).lower()[:20]
    at = moment(payload.get("timestamp"))
    if not message_id or at is None:
        raise Malformed("no id or timestamp")
    if status in SMS_FAILED:
        status = FAILED
    return StatusReport(message_id, status, at, error_code(payload.get("error")))
