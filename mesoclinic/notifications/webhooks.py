"""Reading the providers' callbacks into plain values. Pure Python: the views check the
signature, then hand the parsed payload here, then pass what it found to the services.

A payload whose outer shape is wrong is `Malformed` (the view answers 400); inside a good one,
an entry that cannot be read is skipped, so one odd status does not make the provider resend
all the others for days. A part of the wrong type at any depth (a number, a string or an object
where a list is expected) is such an entry: skipped, never an exception.
"""

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
                errors = status.get("errors")
                code = ""
                if isinstance(errors, list) and errors and isinstance(errors[0], dict):
                    code = str(errors[0].get("code", ""))[:20]
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
    return StatusReport(message_id, status, at, str(payload.get("error") or "")[:20])
