"""What the providers tell us after a send: delivery statuses and inbound messages.

Called by the signature-checked callbacks (views.py). A status moves a sent message forward
(delivered, read) or fails it with the provider's error code; it never moves a message back,
and an id we do not know (another system's message, a report that beat our own commit) is
ignored. Each change is one transaction with its audit row (actor: none, the provider).
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from mesoclinic.audit.services import Action, Interface, record_event, save_audited
from mesoclinic.notifications import webhooks
from mesoclinic.notifications.models import InboundContact, Message
from mesoclinic.notifications.selectors import contact_address

Status = Message.Status


def _changes(message: Message, status: str, at: datetime, error_code: str) -> dict:
    """The fields a reported status changes on `message` (empty: nothing to do)."""
    if status == webhooks.DELIVERED:
        if message.status == Status.SENT:
            return {"status": Status.DELIVERED, "delivered_at": at}
    elif status == webhooks.READ:
        if message.status in (Status.SENT, Status.DELIVERED):
            fields = {"status": Status.DELIVERED, "read_at": message.read_at or at}
            fields["delivered_at"] = message.delivered_at or at
            return {k: v for k, v in fields.items() if getattr(message, k) != v}
    elif status == webhooks.FAILED and message.status == Status.SENT:
        # Only a short code-like token: a gateway's free text may quote the patient's number.
        error_code = webhooks.error_code(error_code)
        detail = f": error {error_code}" if error_code else ""
        return {"status": Status.FAILED, "last_error": f"provider_failed{detail}"[:200]}
    return {}


def record_status(
    *, channel: str, provider_message_id: str, status: str, at: datetime, error_code: str = ""
) -> bool:
    """Apply one status a provider reported; whether the message changed."""
    at = min(at, timezone.now())  # a provider's clock ahead of ours never dates the future
    with transaction.atomic():
        # message_provider_id_idx: channel = ? AND provider_message_id = ?.
        message = (
            Message.objects.select_for_update()
            .filter(channel=channel, provider_message_id=provider_message_id)
            .exclude(provider_message_id="")
            .first()
        )
        if message is None:
            return False
        fields = _changes(message, status, at, error_code)
        if not fields:
            return False
        for name, value in fields.items():
            setattr(message, name, value)
        save_audited(
            message,
            actor=None,
            via=Interface.API,
            fields=list(fields),
            detail={"reported": status, "channel": channel},
        )
    return True


def record_inbound(*, channel: str, address: str, at: datetime) -> InboundContact:
    """Note that the person at `address` wrote to us at `at` (the later time wins): it opens
    WhatsApp's 24-hour window for free text. What they wrote is not kept."""
    address = contact_address(channel, address)
    at = min(at, timezone.now())
    for _ in range(2):  # a concurrent first message from the same person: the loser updates
        with transaction.atomic():
            contact = (
                InboundContact.objects.select_for_update()
                .filter(channel=channel, address=address)
                .first()
            )
            if contact is not None:
                if at > contact.last_inbound_at:
                    contact.last_inbound_at = at
                    save_audited(contact, actor=None, via=Interface.API, fields=["last_inbound_at"])
                return contact
            try:
                with transaction.atomic():
                    contact = InboundContact.objects.create(
                        channel=channel, address=address, last_inbound_at=at
                    )
            except IntegrityError:
                continue
            record_event(
                actor=None,
                action=Action.CREATE,
                via=Interface.API,
                instance=contact,
                detail={"channel": channel},
            )
            return contact
    raise RuntimeError("the inbound contact could not be written")  # pragma: no cover
