"""Sending what the outbox holds: claim, lease, check, send, record; the worker's side.

1. `claim_due` leases due rows in one short transaction (`FOR UPDATE SKIP LOCKED` on
   PostgreSQL, so two workers never claim the same row; SQLite's writers are serialized).
2. `send_claimed` renews the lease as the message's turn starts, holds it in quiet hours, asks
   `compose.prepare` whether it may go (consent, address, wording: a refusal cancels it with
   every reason), calls the provider outside any transaction (a slow provider holds no lock),
   then locks the row again and records the outcome only if the lease is still ours.
3. A worker killed at any step leaves a row in `sending` with a lease that expires;
   `reap_expired_leases` puts it back in the queue. The idempotency key goes to the provider
   with every attempt, so a send repeated after a crash between the provider's answer and our
   commit is dropped there. `checkpoint` marks each of those steps: a test seam that kills the
   worker there on demand (tests/test_crash.py).

Callers use these through `services` (the app's one door); this module imports nothing of
`services`, which imports it.
"""

import logging
import os
import signal
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from mesoclinic.notifications import compose, rules
from mesoclinic.notifications.channels import ChannelError
from mesoclinic.notifications.channels import channel_for as configured_channels
from mesoclinic.notifications.models import Message

logger = logging.getLogger("mesoclinic.notifications")

Status = Message.Status

DEFAULT_LEASE = timedelta(minutes=5)
#: Leases that may run out on one message while it is being worked on before it fails
#: ("lease_expired"): a message that kills or hangs its worker every time must not come back
#: for ever. A lease that runs out while the message only waits in a batch is not counted.
DEFAULT_MAX_REAPS = 3


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
    and the key makes a repeat harmless). A lease that ran out while the message was in the
    provider's hands (`attempt_started_at` set) counts against it: a message that has had
    NOTIFICATIONS_MAX_REAPS such lapses fails ("lease_expired") instead of coming back for
    ever. One that ran out while the message only waited its turn in a slow batch is not its
    fault and is not counted."""
    max_reaps = _setting("NOTIFICATIONS_MAX_REAPS", DEFAULT_MAX_REAPS)
    expired = Message.objects.filter(status=Status.SENDING, lease_until__lte=now)
    released = {"lease_until": None, "lease_token": None, "attempt_started_at": None}
    with transaction.atomic():
        in_flight = expired.filter(attempt_started_at__isnull=False)
        failed = in_flight.filter(reaps__gte=max_reaps - 1).update(
            status=Status.FAILED,
            reaps=F("reaps") + 1,
            last_error="lease_expired: the worker died or hung on it each time",
            **released,
        )
        counted = in_flight.update(
            status=Status.QUEUED, reaps=F("reaps") + 1, next_attempt_at=now, **released
        )
        waited = expired.update(status=Status.QUEUED, next_attempt_at=now, **released)
    return failed + counted + waited


# --- sending --------------------------------------------------------------------------------

SENT, RETRIED, FAILED, DEFERRED, LOST = "sent", "retried", "failed", "deferred", "lost"
CANCELLED = "cancelled"  # refused at send time (compose.prepare): the reasons in last_error

#: The steps of a send at which `checkpoint` may kill the worker (a test seam).
CRASH_STEPS = ("claimed", "before_provider", "after_provider")
CRASH_ENV = "MESOCLINIC_CRASH_AT"


def checkpoint(step: str) -> None:
    """A test seam, inert unless the environment asks: when MESOCLINIC_CRASH_AT names `step`
    (one of CRASH_STEPS), the worker SIGKILLs itself there, as a power cut or the OOM killer
    would: no `finally`, no rollback, no goodbye. The crash tests run `drain_outbox` in a
    subprocess with it set and check that a second worker loses nothing and sends nothing
    twice. Never set it in production."""
    if os.environ.get(CRASH_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)


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


def _lock_if_ours(message: Message) -> Message | None:
    """The row locked, if it is still in our lease (not reaped and claimed by another)."""
    return (
        Message.objects.select_for_update()
        .filter(pk=message.pk, status=Status.SENDING, lease_token=message.lease_token)
        .first()
    )


def _renew_lease(message: Message, *, now: datetime, lease_for: timedelta) -> bool:
    """Extend our lease as the message's turn starts, if it is still ours and still live, and
    note when the turn started (`attempt_started_at`); whether it was still ours."""
    renewed = Message.objects.filter(
        pk=message.pk, status=Status.SENDING, lease_token=message.lease_token, lease_until__gt=now
    ).update(lease_until=now + lease_for, attempt_started_at=now)
    if renewed:
        message.lease_until, message.attempt_started_at = now + lease_for, now
    return bool(renewed)


def _finish(message: Message, *, fields: dict) -> str | None:
    """Record an outcome on the row if the lease is still ours (else LOST): the lease and the
    attempt's start are cleared whatever the outcome."""
    fields = {"lease_until": None, "lease_token": None, "attempt_started_at": None, **fields}
    with transaction.atomic():
        row = _lock_if_ours(message)
        if row is None:
            return LOST
        for name, value in fields.items():
            setattr(row, name, value)
        row.save(update_fields=list(fields))
    # Only once committed: a failed COMMIT leaves the caller's copy as the database has it.
    for name, value in fields.items():
        setattr(message, name, value)
    return None


def _failed_attempt(message: Message, *, now: datetime, reason: str, permanent=False) -> str:
    """One more failed attempt: queued again on the retry schedule, or failed for good with
    `reason` (short, free of personal data) when the schedule is spent or `permanent`."""
    attempts = message.attempts + 1
    schedule = tuple(_setting("NOTIFICATIONS_RETRY_SCHEDULE", rules.DEFAULT_RETRY_SCHEDULE))
    again = None if permanent else rules.retry_at(now, attempts=attempts, schedule=schedule)
    fields = {"attempts": attempts, "last_error": reason[:200]}
    if again is None:
        return _finish(message, fields={"status": Status.FAILED, **fields}) or FAILED
    fields.update(status=Status.QUEUED, next_attempt_at=again)
    return _finish(message, fields=fields) or RETRIED


def send_claimed(
    message: Message, *, channel_impl, now: datetime, lease_for: timedelta = DEFAULT_LEASE
) -> str:
    """Send one leased message and record what happened: sent, retried, failed, deferred
    (quiet hours), cancelled (refused by the send-time check: no consent, a bad address, a
    value missing) or lost (our lease ran out and someone else has the row)."""
    checkpoint("claimed")
    # The message's turn has come: renew the lease (a batch that outlived its first lease must
    # not work on a row the reaper already gave away) and mark the turn as started, so a lease
    # that runs out from here on counts against this message (it may be what kills or hangs
    # its worker), while one that ran out as it waited in the batch does not.
    if not _renew_lease(message, now=now, lease_for=lease_for):
        return LOST
    quiet_start, quiet_end = quiet_window()
    local_now = now.astimezone(_local_zone())
    go_at = rules.next_send_time(
        local_now, quiet_start=quiet_start, quiet_end=quiet_end, urgent=message.urgent
    )
    if go_at > local_now:
        fields = {
            "status": Status.QUEUED,
            "next_attempt_at": go_at,
        }
        return _finish(message, fields=fields) or DEFERRED

    prepared = compose.prepare(message, now=now)
    if isinstance(prepared, compose.Refused):
        # Not sent, and not retried: waiting mends no missing opt-in, address or value. The
        # clinic sees every reason (compose.Refused.summary).
        fields = {
            "status": Status.CANCELLED,
            "last_error": prepared.summary(),
        }
        return _finish(message, fields=fields) or CANCELLED

    checkpoint("before_provider")
    try:
        # Outside any transaction of ours: a slow provider holds no lock.
        provider_id = channel_impl.send(prepared.outgoing)
    except Exception as error:
        # A ChannelError says what happened in words free of personal data; anything else
        # (a refused connection, an answer the channel could not read) is named by its class
        # only, since its text may hold the address.
        if isinstance(error, ChannelError):
            reason = str(error)
        else:
            logger.warning("message %s: unexpected %s", message.pk, type(error).__name__)
            reason = f"unexpected: {type(error).__name__}"
        # The provider refused the request itself (permanent): a repeat cannot succeed.
        return _failed_attempt(
            message, now=now, reason=reason, permanent=getattr(error, "permanent", False)
        )

    checkpoint("after_provider")
    fields = {
        "status": Status.SENT,
        "body": prepared.outgoing.body,
        "template_version": prepared.version,
        "provider_message_id": str(provider_id or "")[:200],
        "sent_at": now,
        # What the clinic is billed for, shown in the outbox: Urdu is UCS-2, 70 a segment.
        "segments": rules.sms_segments(prepared.outgoing.body).segments
        if message.channel == "sms"
        else None,
    }
    return _finish(message, fields=fields) or SENT


@dataclass
class DrainResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0
    lost: int = 0
    cancelled: int = 0


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
        send_now = now or timezone.now()
        try:
            outcome = send_claimed(
                message,
                channel_impl=channel_for(message.channel),
                now=send_now,
                lease_for=lease_for,
            )
        except Exception as error:
            # A fault outside the provider call (a channel that cannot be built, a database
            # error, even recording a send the provider took): this message takes a failed
            # attempt, named by the error's class (its text may hold an address), and the rest
            # of the batch still goes, instead of waiting in `sending` for the reaper. A retry
            # keeps the key, so a provider that took it drops the repeat.
            logger.warning("message %s: %s while sending", message.pk, type(error).__name__)
            outcome = _failed_attempt(
                message, now=send_now, reason=f"unexpected: {type(error).__name__}"
            )
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result
