"""Enqueueing messages and sending them: the outbox's whole life.

`enqueue` is the one door for every app that sends something; it runs inside the caller's
transaction, so a message exists exactly when its cause does (a rolled-back booking sends
nothing). The worker then calls `reap_expired_leases` and `drain`:

1. `claim_due` leases due rows in one short transaction (`FOR UPDATE SKIP LOCKED` on
   PostgreSQL, so two workers never claim the same row; SQLite's writers are serialized).
2. `send_claimed` calls the provider outside any transaction (a slow provider holds no lock),
   then locks the row again and records the outcome only if the lease is still ours.
3. A worker killed at any step leaves a row in `sending` with a lease that expires; the reaper
   puts it back in the queue. The idempotency key goes to the provider with every attempt, so
   a send repeated after a crash between the provider's answer and our commit is dropped there.
"""

import logging
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.audit.services import Action, Interface, record_event, record_events, save_audited
from mesoclinic.notifications import rules
from mesoclinic.notifications.catalogue import DEFAULT_TEMPLATES
from mesoclinic.notifications.channels import ChannelError, Outgoing
from mesoclinic.notifications.channels import channel_for as configured_channels
from mesoclinic.notifications.models import Message

logger = logging.getLogger("mesoclinic.notifications")

Status = Message.Status

DEFAULT_LEASE = timedelta(minutes=5)
#: Leases that may run out on one message before it fails ("lease_expired"): a message that
#: kills or hangs its worker every time must not come back for ever.
DEFAULT_MAX_REAPS = 3


def enqueue(
    *,
    key: str,
    channel: str,
    address: str,
    language: str,
    template: str,
    values: dict,
    due_at: datetime | None = None,
    urgent: bool = False,
    clinic_id: int | None = None,
    patient_id: int | None = None,
    subject: str = "",
    acting_user=None,
    via: str = Interface.CLI,
) -> Message:
    """Queue one message, in the caller's transaction; the same `key` twice keeps one row and
    returns the first (its values are not changed). The audit row names the message by id,
    channel and template, never its address or values."""
    if not key or len(key) > Message._meta.get_field("idempotency_key").max_length:
        # Refused before any SQL: a failed INSERT must never abort the caller's transaction.
        raise ValueError("An idempotency key is 1 to 120 characters.")
    due_at = due_at or timezone.now()
    fields = {
        "channel": rules.Channel(channel).value,
        "address": address,
        "language": Message.Language(language).value,
        "template": template,
        "values": values,
        "due_at": due_at,
        "next_attempt_at": due_at,
        "urgent": urgent,
        "clinic_id": clinic_id,
        "patient_id": patient_id,
        "subject": subject,
    }
    existing = Message.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    try:
        # A savepoint: a concurrent enqueue of the same key that committed first makes this
        # INSERT fail, and only the savepoint is rolled back, not the caller's transaction.
        with transaction.atomic():
            message = Message.objects.create(idempotency_key=key, **fields)
            record_event(
                actor=acting_user,
                action=Action.CREATE,
                via=via,
                instance=message,
                detail={"channel": message.channel, "template": template},
            )
    except IntegrityError:
        return Message.objects.get(idempotency_key=key)
    return message


def claim_due(*, now: datetime, limit: int, lease_for: timedelta = DEFAULT_LEASE) -> list[Message]:
    """Lease up to `limit` due messages for this worker (oldest due first)."""
    lease_until = now + lease_for
    with transaction.atomic():
        # message_due_idx: status = 'queued' AND next_attempt_at <= now.
        due = Message.objects.filter(status=Status.QUEUED, next_attempt_at__lte=now).order_by(
            "next_attempt_at", "id"
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        else:
            due = due.select_for_update()
        ids = list(due.values_list("id", flat=True)[:limit])
        Message.objects.filter(id__in=ids).update(
            status=Status.SENDING, lease_until=lease_until, lease_token=uuid.uuid4()
        )
    return list(Message.objects.filter(id__in=ids).order_by("next_attempt_at", "id"))


def reap_expired_leases(*, now: datetime) -> int:
    """Return rows whose lease has run out (a worker died or hung) to the queue, behind what is
    already due; how many. Attempts are unchanged (nobody knows whether the provider saw it,
    and the key makes a repeat harmless), but a message whose lease has run out
    NOTIFICATIONS_MAX_REAPS times fails ("lease_expired") instead of coming back for ever."""
    max_reaps = _setting("NOTIFICATIONS_MAX_REAPS", DEFAULT_MAX_REAPS)
    expired = Message.objects.filter(status=Status.SENDING, lease_until__lte=now)
    with transaction.atomic():
        failed = expired.filter(reaps__gte=max_reaps - 1).update(
            status=Status.FAILED,
            lease_until=None,
            lease_token=None,
            reaps=F("reaps") + 1,
            last_error="lease_expired: the worker died or hung on it each time",
        )
        requeued = expired.update(
            status=Status.QUEUED,
            lease_until=None,
            lease_token=None,
            reaps=F("reaps") + 1,
            next_attempt_at=now,
        )
    return failed + requeued


# --- sending --------------------------------------------------------------------------------

SENT, RETRIED, FAILED, DEFERRED, LOST = "sent", "retried", "failed", "deferred", "lost"


def _setting(name, default):
    return getattr(settings, name, default)


def _time_setting(name, default: time) -> time:
    value = _setting(name, default)
    return time.fromisoformat(value) if isinstance(value, str) else value


def quiet_window() -> tuple[time, time]:
    return (
        _time_setting("NOTIFICATIONS_QUIET_START", rules.DEFAULT_QUIET_START),
        _time_setting("NOTIFICATIONS_QUIET_END", rules.DEFAULT_QUIET_END),
    )


def _local_zone() -> ZoneInfo:
    # Quiet hours are the patient's wall clock: Pakistan's, whatever the server runs in.
    return ZoneInfo(_setting("NOTIFICATIONS_TIME_ZONE", "Asia/Karachi"))


def _template_text(message: Message) -> str | None:
    """The template's text in the message's language. Until the clinic-editable templates
    arrive, they come from the NOTIFICATIONS_TEMPLATES setting ({code: {language: text}}) and,
    for a code it does not name, from the defaults in `catalogue.DEFAULT_TEMPLATES`."""
    texts = _setting("NOTIFICATIONS_TEMPLATES", {}).get(message.template)
    if texts is None:
        default = DEFAULT_TEMPLATES.get(message.template)
        texts = default.text if default is not None else {}
    return texts.get(message.language) or texts.get("en")


def _render(message: Message) -> tuple[str | None, str]:
    """The body, or None and the reason it cannot be written (reason code: short text)."""
    text = _template_text(message)
    if text is None:
        return None, f"{rules.Reason.TEMPLATE_INVALID}: no template {message.template!r}"
    try:
        body = rules.render(text, message.values).text
    except rules.TemplateError:
        return None, f"{rules.Reason.TEMPLATE_INVALID}: the template does not read"
    except rules.MissingValues as missing:
        return None, f"{rules.Reason.VALUES_MISSING}: {', '.join(missing.names)}"
    if not body.strip():
        return None, str(rules.Reason.EMPTY_BODY)
    return body, ""


def _lock_if_ours(message: Message) -> Message | None:
    """The row locked, if it is still in our lease (not reaped and claimed by another)."""
    return (
        Message.objects.select_for_update()
        .filter(pk=message.pk, status=Status.SENDING, lease_token=message.lease_token)
        .first()
    )


def _renew_lease(message: Message, *, now: datetime, lease_for: timedelta) -> bool:
    """Extend our lease right before the provider call, if it is still ours and still live: a
    batch that outlives its first lease must not send a row the reaper already gave away."""
    renewed = Message.objects.filter(
        pk=message.pk, status=Status.SENDING, lease_token=message.lease_token, lease_until__gt=now
    ).update(lease_until=now + lease_for)
    if renewed:
        message.lease_until = now + lease_for
    return bool(renewed)


def _finish(message: Message, *, fields: dict) -> str | None:
    with transaction.atomic():
        row = _lock_if_ours(message)
        if row is None:
            return LOST
        for name, value in fields.items():
            setattr(row, name, value)
        row.save(update_fields=list(fields))
        for name, value in fields.items():
            setattr(message, name, value)
    return None


def send_claimed(
    message: Message, *, channel_impl, now: datetime, lease_for: timedelta = DEFAULT_LEASE
) -> str:
    """Send one leased message and record what happened: sent, retried, failed, deferred
    (quiet hours) or lost (our lease ran out and someone else has the row)."""
    quiet_start, quiet_end = quiet_window()
    local_now = now.astimezone(_local_zone())
    go_at = rules.next_send_time(
        local_now, quiet_start=quiet_start, quiet_end=quiet_end, urgent=message.urgent
    )
    if go_at > local_now:
        fields = {
            "status": Status.QUEUED,
            "lease_until": None,
            "lease_token": None,
            "next_attempt_at": go_at,
        }
        return _finish(message, fields=fields) or DEFERRED

    body, problem = _render(message)
    if body is None:
        # Sending again would not help: the clinic must fix the template or the values.
        fields = {
            "status": Status.FAILED,
            "lease_until": None,
            "lease_token": None,
            "last_error": problem[:200],
        }
        return _finish(message, fields=fields) or FAILED

    if not _renew_lease(message, now=now, lease_for=lease_for):
        return LOST
    try:
        # Outside any transaction of ours: a slow provider holds no lock.
        provider_id = channel_impl.send(
            Outgoing(
                to=message.address,
                body=body,
                idempotency_key=message.idempotency_key,
                language=message.language,
                template=message.template,
                values=dict(message.values),
            )
        )
    except Exception as error:
        # A ChannelError says what happened in words free of personal data; anything else
        # (a refused connection, an answer the channel could not read) is named by its class
        # only, since its text may hold the address.
        if isinstance(error, ChannelError):
            last_error = str(error)[:200]
        else:
            logger.warning("message %s: unexpected %s", message.pk, type(error).__name__)
            last_error = f"unexpected: {type(error).__name__}"
        attempts = message.attempts + 1
        schedule = tuple(_setting("NOTIFICATIONS_RETRY_SCHEDULE", rules.DEFAULT_RETRY_SCHEDULE))
        again = rules.retry_at(now, attempts=attempts, schedule=schedule)
        if again is None:
            fields = {"status": Status.FAILED, "attempts": attempts, "last_error": last_error}
            outcome = FAILED
        else:
            fields = {
                "status": Status.QUEUED,
                "attempts": attempts,
                "next_attempt_at": again,
                "last_error": last_error,
            }
            outcome = RETRIED
        fields["lease_until"] = None
        fields["lease_token"] = None
        return _finish(message, fields=fields) or outcome

    fields = {
        "status": Status.SENT,
        "lease_until": None,
        "lease_token": None,
        "body": body,
        "provider_message_id": str(provider_id or "")[:200],
        "sent_at": now,
    }
    return _finish(message, fields=fields) or SENT


@dataclass
class DrainResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0
    lost: int = 0


def drain(
    *,
    now: datetime | None = None,
    channel_for=None,
    limit: int = 100,
    lease_for: timedelta = DEFAULT_LEASE,
) -> DrainResult:
    """Claim what is due and send each; what a worker loop and the tests call. `channel_for`
    maps a channel name to its implementation (the configured ones by default)."""
    channel_for = channel_for or configured_channels(settings)
    result = DrainResult()
    for message in claim_due(now=now or timezone.now(), limit=limit, lease_for=lease_for):
        # The clock is read again for each message (unless a test fixes it): the lease is
        # renewed against the time of the send, not of the claim.
        outcome = send_claimed(
            message,
            channel_impl=channel_for(message.channel),
            now=now or timezone.now(),
            lease_for=lease_for,
        )
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result


# --- a cause that must not wait on its message, batches, the staff's resend ------------------


@contextmanager
def never_blocking(cause: str):
    """Queue a message whose cause must go ahead whatever happens to it (a charted session, a
    visitor's request): the block runs in a savepoint, and any fault in it (building the values,
    the INSERT) rolls back that savepoint only and is logged by `cause` ("care.session:42") and
    the error's class, never its text, which may hold an address."""
    try:
        with transaction.atomic():
            yield
    except Exception as error:
        logger.warning("message for %s not queued: %s", cause, type(error).__name__)


def enqueue_many(
    *, messages: list[dict], acting_user=None, via: str = Interface.CLI
) -> list[Message]:
    """Queue many messages at once (a daily scan), in the caller's transaction: each dict holds
    `enqueue`'s keyword arguments. Keys already in the outbox are skipped, so a scan that runs
    again queues nothing twice. Four queries whatever the number: the keys already there, one
    INSERT, the new rows read back, one INSERT of their audit rows. Returns the new rows.

    A key a concurrent scan inserts between the first query and the INSERT is skipped by the
    database (ignore_conflicts) and audited by both; nothing is sent twice."""
    max_key = Message._meta.get_field("idempotency_key").max_length
    rows: dict[str, Message] = {}
    for fields in messages:
        key = fields["key"]
        if not key or len(key) > max_key:
            raise ValueError("An idempotency key is 1 to 120 characters.")
        due_at = fields.get("due_at") or timezone.now()
        rows.setdefault(
            key,
            Message(
                idempotency_key=key,
                channel=rules.Channel(fields["channel"]).value,
                address=fields["address"],
                language=Message.Language(fields["language"]).value,
                template=fields["template"],
                values=fields["values"],
                due_at=due_at,
                next_attempt_at=due_at,
                urgent=fields.get("urgent", False),
                clinic_id=fields.get("clinic_id"),
                patient_id=fields.get("patient_id"),
                subject=fields.get("subject", ""),
            ),
        )
    if not rows:
        return []
    # message_key_unique: one probe per key.
    known = set(
        Message.objects.filter(idempotency_key__in=list(rows)).values_list(
            "idempotency_key", flat=True
        )
    )
    fresh = [message for key, message in rows.items() if key not in known]
    if not fresh:
        return []
    with transaction.atomic():
        Message.objects.bulk_create(fresh, ignore_conflicts=True)
        created = list(
            Message.objects.filter(idempotency_key__in=[m.idempotency_key for m in fresh]).order_by(
                "id"
            )
        )
        record_events(
            actor=acting_user,
            action=Action.CREATE,
            via=via,
            instances=created,
            detail_of=lambda message: {"channel": message.channel, "template": message.template},
        )
    return created


class NotResendable(ValidationError):
    """Only a failed message is sent again (a queued one is on its way; a sent one arrived)."""


def resend(*, acting_user, message: Message, via: str = Interface.WEB, now=None) -> Message:
    """A failed message back in the queue, due now, its attempts and leases counted afresh; the
    audit row names who asked and the reason it had failed for. Who may ask (a manager of the
    message's clinic, an administrator) is the caller's to decide: this floor knows no roles."""
    now = now or timezone.now()
    with transaction.atomic():
        row = Message.objects.select_for_update().filter(pk=message.pk).first()
        if row is None or row.status != Status.FAILED:
            raise NotResendable(_("Only a failed message can be sent again."))
        reason = row.last_error.split(":", 1)[0]
        row.status = Status.QUEUED
        row.attempts = 0
        row.reaps = 0
        row.next_attempt_at = now
        row.last_error = ""
        save_audited(
            row,
            actor=acting_user,
            via=via,
            fields=["status", "attempts", "reaps", "next_attempt_at", "last_error"],
            detail={"resent": True, "failed_for": reason},
        )
    return row
