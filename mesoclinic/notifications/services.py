"""The outbox's one door: enqueueing messages, the doorbell that wakes the worker, the staff's
resend; and, re-exported from `sending`, the worker's side (claim, lease, send, reap, drain).

`enqueue` is the one door for every app that sends something; it runs inside the caller's
transaction, so a message exists exactly when its cause does (a rolled-back booking sends
nothing). The worker then calls `reap_expired_leases` and `drain` (`sending.py` says how a
send stays exactly-once when a worker dies at any step).

The task queue (django.tasks, `db_worker`) is only a doorbell: `enqueue` rings it after the
commit when a message is due now, and `send_due_messages`, the one task, reaps and drains. A
lost ring loses nothing (the scheduler, `run_scheduler`, rings for whatever is due). The task
lives here, beside the services it runs, because `enqueue` must name it and the no-circles
contract forbids a `tasks` module that this one imports and that imports this one.
"""

import logging
from contextlib import contextmanager
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from mesoclinic.audit.services import Action, Interface, record_event, record_events, save_audited
from mesoclinic.notifications import rules
from mesoclinic.notifications.models import Message
from mesoclinic.notifications.sending import (  # noqa: F401 (the worker's side, re-exported)
    CANCELLED,
    CRASH_ENV,
    CRASH_STEPS,
    DEFAULT_LEASE,
    DEFAULT_MAX_REAPS,
    DEFERRED,
    FAILED,
    LOST,
    RETRIED,
    SENT,
    DrainResult,
    checkpoint,
    claim_due,
    drain,
    quiet_window,
    reap_expired_leases,
    send_claimed,
)

logger = logging.getLogger("mesoclinic.notifications")

Status = Message.Status


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
    message = _unsaved_message(
        key=key,
        channel=channel,
        address=address,
        language=language,
        template=template,
        values=values,
        due_at=due_at,
        urgent=urgent,
        clinic_id=clinic_id,
        patient_id=patient_id,
        subject=subject,
    )
    existing = Message.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    try:
        # A savepoint: a concurrent enqueue of the same key that committed first makes this
        # INSERT fail, and only the savepoint is rolled back, not the caller's transaction.
        with transaction.atomic():
            message.save(force_insert=True)
            record_event(
                actor=acting_user,
                action=Action.CREATE,
                via=via,
                instance=message,
                detail={"channel": message.channel, "template": template},
            )
    except IntegrityError:
        return Message.objects.get(idempotency_key=key)
    if message.due_at <= timezone.now():
        _ring_after_commit()
    return message


def _unsaved_message(
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
) -> Message:
    """The row `enqueue` and `enqueue_many` insert, checked before any SQL (a bad key, an
    unknown channel or language raises ValueError): a failed INSERT must never abort the
    caller's transaction."""
    if not key or len(key) > Message._meta.get_field("idempotency_key").max_length:
        raise ValueError("An idempotency key is 1 to 120 characters.")
    due_at = due_at or timezone.now()
    return Message(
        idempotency_key=key,
        channel=rules.Channel(channel).value,
        address=address,
        language=Message.Language(language).value,
        template=template,
        values=values,
        due_at=due_at,
        next_attempt_at=due_at,
        urgent=urgent,
        clinic_id=clinic_id,
        patient_id=patient_id,
        subject=subject,
    )


# --- the doorbell ---------------------------------------------------------------------------

#: Messages one ring sends at most before it rings again and ends: a long backlog is drained by
#: a chain of short tasks, so a stopping worker finishes its current one quickly.
DEFAULT_DOORBELL_MESSAGES = 1000
DOORBELL_BATCH = 100


@task()
def send_due_messages() -> dict:
    """The doorbell's task: return expired leases, then send what is due, in batches, until
    nothing is due or NOTIFICATIONS_DOORBELL_MESSAGES were claimed (then ring again)."""
    reaped = reap_expired_leases(now=timezone.now())
    bound = getattr(settings, "NOTIFICATIONS_DOORBELL_MESSAGES", DEFAULT_DOORBELL_MESSAGES)
    total, claimed = DrainResult(), 0
    while claimed < bound:
        result = drain(limit=min(DOORBELL_BATCH, bound - claimed))
        batch = sum(vars(result).values())
        if not batch:
            break
        claimed += batch
        for name, count in vars(result).items():
            setattr(total, name, getattr(total, name) + count)
    else:
        ring_doorbell()  # more may be due: the next ring picks up where this one stopped
    return {"reaped": reaped, **vars(total)}


def ring_doorbell() -> bool:
    """Queue `send_due_messages` unless a ring is already waiting for a worker: a thousand
    messages enqueued at once ring once. Two rings racing may both queue one (harmless: the
    second finds nothing due). Whether it queued one."""
    # The partial index tasks_db_new_ordering_idx (status = 'READY') keeps this cheap.
    waiting = DBTaskResult.objects.ready().filter(task_path=send_due_messages.module_path)
    if waiting.exists():
        return False
    send_due_messages.enqueue()
    return True


def _ring_after_commit() -> None:
    """Ring once the caller's transaction commits; at most one ring per transaction however
    many messages it enqueues. `robust`: a ring that fails is logged by Django and never
    reaches the caller (the scheduler rings for what is due)."""
    pending = transaction.get_connection().run_on_commit
    if any(callback is ring_doorbell for _savepoints, callback, _robust in pending):
        return
    transaction.on_commit(ring_doorbell, robust=True)


def cancel_queued(*, keys, reason: str, acting_user=None, via: str = Interface.CLI) -> int:
    """Cancel the messages among `keys` still waiting to go (a rescheduled appointment's old
    reminders), in the caller's transaction: one UPDATE, and one audit row per message naming
    the reason. A message a worker has already claimed is left to go (it is on its way); a key
    never queued is no error. How many were cancelled."""
    keys = sorted(set(keys))
    if not reason:
        raise ValueError("Say why the messages are cancelled.")
    if not keys:
        return 0
    # message_key_unique: one probe per key.
    return _cancel_waiting(
        Message.objects.filter(idempotency_key__in=keys),
        reason=reason,
        acting_user=acting_user,
        via=via,
    )


def cancel_queued_for_patient(
    *, patient_id: int, reason: str, acting_user=None, via: str = Interface.CLI
) -> int:
    """Cancel every message still waiting to go to one patient (an archived patient, who
    asked to leave, gets nothing more), in the caller's transaction, audited like
    `cancel_queued`. A message a worker has already claimed is left to go. How many were
    cancelled."""
    if not reason:
        raise ValueError("Say why the messages are cancelled.")
    # message_patient_idx: the patient's messages, then the queued ones among them.
    return _cancel_waiting(
        Message.objects.filter(patient_id=patient_id),
        reason=reason,
        acting_user=acting_user,
        via=via,
    )


def _cancel_waiting(messages, *, reason: str, acting_user, via: str) -> int:
    with transaction.atomic():
        # The lock keeps a worker from claiming one between this read and the UPDATE (it
        # skips locked rows).
        waiting = list(
            messages.select_for_update().filter(status=Status.QUEUED).only("pk", "clinic_id")
        )
        if not waiting:
            return 0
        Message.objects.filter(pk__in=[m.pk for m in waiting]).update(
            status=Status.CANCELLED, last_error=reason[:200]
        )
        record_events(
            actor=acting_user,
            action=Action.UPDATE,
            via=via,
            instances=waiting,
            detail_of=lambda message: {"status": Status.CANCELLED.value, "reason": reason[:200]},
        )
    return len(waiting)


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
    rows: dict[str, Message] = {}
    for fields in messages:
        # Every row checked before any SQL, as `enqueue` does.
        rows.setdefault(fields["key"], _unsaved_message(**fields))
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
    if any(message.next_attempt_at <= timezone.now() for message in created):
        _ring_after_commit()  # a catch-up's recalls are due at once
    return created


#: What a redacted value reads as in the outbox.
REDACTED = "••••••"


def redact(*, key: str, names: tuple[str, ...], via: str = Interface.CLI) -> bool:
    """Blank the named values of a message that has done its job (a one-time code once used or
    spent), in its values and in the body stored at send: the outbox keeps that it went, not
    the secret. Only a message no worker holds or will send (not queued, not sending), so a
    code is never blanked before it reaches the phone. Whether a row was changed."""
    with transaction.atomic():
        row = (
            Message.objects.select_for_update()
            .filter(idempotency_key=key)
            .exclude(status__in=[Status.QUEUED, Status.SENDING])
            .first()
        )
        # A value blanked before is not blanked (and audited) again: a sweep may pass twice.
        present = [
            name
            for name in names
            if row is not None and name in row.values and row.values[name] != REDACTED
        ]
        if not present:
            return False
        secrets = [str(row.values[name]) for name in present if str(row.values[name])]
        row.values = {**row.values, **dict.fromkeys(present, REDACTED)}
        for secret in secrets:
            row.body = row.body.replace(secret, REDACTED)
        save_audited(row, actor=None, via=via, fields=["values", "body"])
    return True


#: Failure codes that mean the provider answered about this very message: it took it and then
#: reported it undelivered, or refused it outright.
PROVIDER_ANSWERS = ("provider_failed", "http_", "smtp_")


def provider_answered(message: Message, reason: str) -> bool:
    """Whether the provider answered about `message` (see PROVIDER_ANSWERS), so a resend under
    the same key would be dropped or refused again by a provider that honours keys."""
    return bool(message.provider_message_id) or reason.startswith(PROVIDER_ANSWERS)


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
        if provider_answered(row, reason):
            # A key of its own for the provider: one that took the first send (and reported
            # it undelivered) would drop a repeat of the same key as a duplicate. Where the
            # outcome is unknown (a timeout, a lease that ran out, a fault of ours), the old
            # key stays: had the provider taken the first send, it drops this one.
            row.resends += 1
        save_audited(
            row,
            actor=acting_user,
            via=via,
            fields=["status", "attempts", "reaps", "next_attempt_at", "last_error", "resends"],
            detail={"resent": True, "failed_for": reason},
        )
        _ring_after_commit()  # the manager expects it to go now, not at the scheduler's tick
    return row
