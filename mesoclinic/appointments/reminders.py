"""The patient's messages about an appointment, queued through the outbox in the booking's
transaction: a confirmation, 24 h and 2 h before (for a patch-test reading, the 24 h one says
the visit cannot wait), a cancellation notice and a no-show follow-up.

Every key carries the appointment's id and version (`appt-7-v2-24h`): a reschedule bumps the
version, cancels what the previous version still had waiting (`notifications.services.
cancel_queued`) and queues the new ones, so the patient is reminded of the new time only, once.
A retried request queues nothing twice (the outbox keeps one row per key).

No name, type or clinical detail goes into a message: the clinic, the time in Karachi and the
clinic's number ("appointment" in the wording whatever the type). A visitor's booking (an
enquiry, no patient yet) gets nothing from here.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import formats, timezone, translation

from mesoclinic.appointments.models import Status
from mesoclinic.audit.services import user_or_none
from mesoclinic.notifications import contacts
from mesoclinic.notifications import services as notifications

#: The reminders before an appointment: (key suffix, how long before).
BEFORE = (("24h", timedelta(hours=24)), ("2h", timedelta(hours=2)))

#: Every suffix a version may have queued that is still worth cancelling.
PENDING = ("booked", "moved", "24h", "2h", "read-due")


@dataclass(frozen=True)
class Planned:
    """One message to queue: its key suffix, template and when it is due."""

    suffix: str
    template: str
    due_at: datetime


def key(appointment_id: int, version: int, suffix: str) -> str:
    return f"appt-{appointment_id}-v{version}-{suffix}"


def pending_keys(appointment_id: int, version: int) -> list[str]:
    return [key(appointment_id, version, suffix) for suffix in PENDING]


def _in_quiet_hours(moment: datetime) -> bool:
    """Whether a non-urgent message due at `moment` would wait for the morning (it would then
    arrive after a 2 h reminder's point, perhaps after the appointment itself)."""
    quiet_start, quiet_end = notifications.quiet_window()
    local = timezone.localtime(moment).time()
    if quiet_start <= quiet_end:
        return quiet_start <= local < quiet_end
    return local >= quiet_start or local < quiet_end


def plan(*, starts_at: datetime, type_code: str, now: datetime, first: str) -> list[Planned]:
    """What to queue for an appointment at `starts_at`: `first` ("booked" or "moved") now, then
    each reminder still ahead. A 2 h reminder that falls in the quiet hours is left out (it
    would wait until after its point; the 24 h one has said it)."""
    planned = [Planned(first, f"appointment-{first}", now)]
    if starts_at <= now:
        return planned
    for suffix, ahead in BEFORE:
        due = starts_at - ahead
        if due <= now:
            continue
        if suffix == "2h" and _in_quiet_hours(due):
            continue
        if suffix == "24h" and type_code == "patch_read":
            planned.append(Planned("read-due", "patch-read-due", due))
        else:
            planned.append(Planned(suffix, "appointment-reminder", due))
    return planned


def _when(appointment, language: str) -> str:
    """The start in Karachi's wall clock, in the patient's language ("Monday 14 December 2026,
    10:00")."""
    with translation.override(language):
        return formats.date_format(timezone.localtime(appointment.starts_at), "l j F Y, H:i")


def _messages(appointment, planned: list[Planned]) -> list[dict]:
    patient, clinic = appointment.patient, appointment.clinic
    channel = contacts.preferred_channel(patient_id=patient.pk)
    language = patient.preferred_language
    values = {
        "clinic": clinic.name,
        "when": _when(appointment, language),
        "phone": clinic.phone_display,
    }
    return [
        {
            "key": key(appointment.pk, appointment.version, item.suffix),
            "channel": channel,
            "address": patient.email if channel == "email" else patient.mobile,
            "language": language,
            "template": item.template,
            "values": values,
            "due_at": item.due_at,
            "clinic_id": clinic.pk,
            "patient_id": patient.pk,
            "subject": f"appointments.appointment:{appointment.pk}",
        }
        for item in planned
    ]


def _queue(appointment, planned: list[Planned], *, acting_user, via: str) -> None:
    """Queue `planned` for the appointment's patient. A fault building them (a contact rule, a
    value) loses the messages, logged, and never the booking (`never_blocking`)."""
    with notifications.never_blocking(f"appointments.appointment:{appointment.pk}"):
        notifications.enqueue_many(
            messages=_messages(appointment, planned), acting_user=acting_user, via=via
        )


def _cancel_pending(appointment, version: int, *, reason: str, acting_user, via: str) -> int:
    return notifications.cancel_queued(
        keys=pending_keys(appointment.pk, version),
        reason=reason,
        acting_user=acting_user,
        via=via,
    )


def after_booking(appointment, *, via: str, acting_user=None) -> None:
    """Queue the confirmation and the reminders of a new appointment."""
    if appointment.patient_id is None:
        return
    planned = plan(
        starts_at=appointment.starts_at,
        type_code=appointment.type.code,
        now=timezone.now(),
        first="booked",
    )
    _queue(appointment, planned, acting_user=user_or_none(acting_user), via=via)


def after_change(appointment, *, previous_version: int, via: str, acting_user=None) -> None:
    """A reschedule: cancel the previous version's pending reminders and queue the new ones
    (a "moved" message first, then the reminders of the new time)."""
    if appointment.patient_id is None:
        return
    actor = user_or_none(acting_user)
    _cancel_pending(appointment, previous_version, reason="rescheduled", acting_user=actor, via=via)
    planned = plan(
        starts_at=appointment.starts_at,
        type_code=appointment.type.code,
        now=timezone.now(),
        first="moved",
    )
    _queue(appointment, planned, acting_user=actor, via=via)


def after_status(appointment, *, via: str, acting_user=None) -> None:
    """Any change of status ends the reminders still waiting (a checked-in patient needs no
    2 h reminder); a cancellation of a time still ahead tells the patient, and a no-show
    gets a follow-up asking them to book again."""
    if appointment.patient_id is None:
        return
    actor = user_or_none(acting_user)
    _cancel_pending(
        appointment, appointment.version, reason=appointment.status, acting_user=actor, via=via
    )
    now = timezone.now()
    if appointment.status == Status.CANCELLED and appointment.starts_at > now:
        notice = Planned("cancelled", "appointment-cancelled", now)
    elif appointment.status == Status.NO_SHOW:
        notice = Planned("no-show", "appointment-missed", now)
    else:
        return
    _queue(appointment, [notice], acting_user=actor, via=via)
