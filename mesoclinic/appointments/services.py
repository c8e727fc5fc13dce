"""Booking: book, reschedule, cancel, check in, mark a no-show, complete, and book a series.

Every write is one transaction that reads the book (`facts.gather`), asks the pure rule
(`slots.check`) for every reason the time cannot be booked, writes, audits, and queues the
reminders (`reminders`) in the same transaction. The database has the last word: on
PostgreSQL the exclusion constraints (migration 0002) refuse an overlap that a concurrent
booking slipped in after the check, and the refusal then names the clash like the check does;
on SQLite the write transaction is serialized from its start (`transaction_mode = IMMEDIATE`),
so the check cannot be overtaken.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.appointments import facts, reminders, selectors, series
from mesoclinic.appointments.choosing import Choice, Held, blocked_range, choose
from mesoclinic.appointments.models import (
    ACTIVE,
    Appointment,
    AppointmentType,
    Series,
    Status,
)
from mesoclinic.appointments.refusals import BookingRefused, Refusal, refuse_archived
from mesoclinic.audit.services import Action, Interface, record_event, save_audited
from mesoclinic.clinics.models import Practitioner, Room

#: How often a booking that lost a race tries the next free practitioner or room before it
#: gives up: "any practitioner" should not fail because two desks picked the same first one.
RACE_RETRIES = 3

#: PostgreSQL's SQLSTATE for a deadlock (`deadlock_detected`).
DEADLOCK = "40P01"


def _lost_a_race(exc: Exception) -> bool:
    """Whether the database refused our write because a concurrent booking holds the time.

    An `IntegrityError` is the exclusion constraint naming a committed overlap. A deadlock is the
    same race seen earlier: two transactions that insert overlapping rows at once each wait, in
    the constraint check, for the other's uncommitted row, and PostgreSQL fails one of them. In
    both cases only our savepoint is rolled back, so the booking can read the book again."""
    if isinstance(exc, IntegrityError):
        return True
    return isinstance(exc, OperationalError) and getattr(exc.__cause__, "sqlstate", "") == DEADLOCK


def _save_new(appointment: Appointment, *, pick) -> None:
    """Insert under a savepoint. When the database refuses an overlap that a concurrent booking
    committed after our check, read the book again (now seeing it): the next free practitioner
    and room take it if there is one, otherwise the refusal names the clash."""
    for _attempt in range(RACE_RETRIES):
        try:
            with transaction.atomic():
                appointment.save(force_insert=True)
            return
        except (IntegrityError, OperationalError) as exc:
            if not _lost_a_race(exc):
                raise
            choice = pick()  # raises BookingRefused naming the clash now visible
            appointment.practitioner_id = choice.practitioner_id
            appointment.room_id = choice.room_id
    raise BookingRefused(
        [Refusal("clash", "clinic", _("That time was just taken. Choose another."))]
    )


def _check_type(clinic, appointment_type):
    if appointment_type.clinic_id != clinic.pk or not appointment_type.is_active:
        raise BookingRefused(
            [Refusal("type", "clinic", _("This clinic does not book that kind of appointment."))]
        )


def book(
    *,
    acting_user,
    clinic,
    appointment_type: AppointmentType,
    start: datetime,
    patient=None,
    enquiry=None,
    practitioner: Practitioner | None = None,
    room: Room | None = None,
    label: str = "",
    series: Series | None = None,
    via: str = Interface.WEB,
) -> Appointment:
    """Book `appointment_type` at `start` for a patient (or a visitor's enquiry), with the
    given practitioner and room or the first free ones, or refuse naming every reason."""
    if patient is None and enquiry is None:
        raise BookingRefused([Refusal("patient", "patient", _("Choose the patient."))])
    _check_type(clinic, appointment_type)
    with transaction.atomic():
        refuse_archived(patient)

        def pick():
            return choose(
                appointment_type=appointment_type,
                start=start,
                practitioner=practitioner,
                room=room,
                patient_id=getattr(patient, "pk", None),
                occurrence=label if series else "",
            )

        choice = pick()
        held = blocked_range(appointment_type, start)
        appointment = Appointment(
            clinic=clinic,
            type=appointment_type,
            patient=patient,
            enquiry=enquiry,
            practitioner_id=choice.practitioner_id,
            room_id=choice.room_id,
            starts_at=start,
            ends_at=start + timedelta(minutes=appointment_type.duration_minutes),
            blocked_from=held.start,
            blocked_until=held.end,
            series=series,
            label=label,
            booked_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        _save_new(appointment, pick=pick)
        record_event(actor=acting_user, action=Action.CREATE, via=via, instance=appointment)
        reminders.after_booking(appointment, via=via, acting_user=acting_user)
    return appointment


def _refuse_unless(appointment: Appointment, allowed, words: str) -> None:
    if appointment.status not in allowed:
        raise BookingRefused(
            [
                Refusal(
                    "status",
                    "clinic",
                    words % {"status": appointment.get_status_display().lower()},
                )
            ]
        )


def _locked(appointment: Appointment) -> Appointment:
    """The appointment re-read under a row lock, so two receptionists' changes queue."""
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("type", "clinic")
        .get(pk=appointment.pk)
    )


def reschedule(
    *,
    acting_user,
    appointment: Appointment,
    start: datetime,
    practitioner: Practitioner | None = None,
    room: Room | None = None,
    keep_practitioner: bool = True,
    check_gaps: bool = True,
    via: str = Interface.WEB,
) -> Appointment:
    """Move a booked appointment to `start` (its practitioner kept unless another is given or
    `keep_practitioner` is false), refusing like `book`; its reminders are replaced. An
    occurrence of a course keeps to the course's intervals and windows, before and after it
    (`series_booking.move_in_series` moves the following ones with it, and checks the whole
    course itself: it passes `check_gaps=False`)."""
    with transaction.atomic():
        current = _locked(appointment)
        _refuse_unless(
            current, (Status.BOOKED,), _("An appointment that is %(status)s cannot be moved.")
        )
        if practitioner is None and keep_practitioner and current.practitioner_id:
            practitioner = Practitioner.objects.select_related("user").get(
                pk=current.practitioner_id
            )

        def pick():
            return choose(
                appointment_type=current.type,
                start=start,
                practitioner=practitioner,
                room=room,
                patient_id=current.patient_id,
                ignore=current.pk,
            )

        if check_gaps and current.series_id is not None:
            _refuse_broken_gaps(current, start)
        choice = pick()
        previous_version = current.version
        current.starts_at = start
        current.ends_at = start + timedelta(minutes=current.type.duration_minutes)
        held = blocked_range(current.type, start)
        current.blocked_from, current.blocked_until = held.start, held.end
        current.practitioner_id = choice.practitioner_id
        current.room_id = choice.room_id
        current.version = previous_version + 1
        fields = [
            "starts_at",
            "ends_at",
            "blocked_from",
            "blocked_until",
            "practitioner",
            "room",
            "version",
        ]
        if current.confirmed_at is not None:
            # The patient confirmed the old time, not this one.
            current.confirmed_at = None
            fields.append("confirmed_at")
        try:
            with transaction.atomic():
                save_audited(current, actor=acting_user, via=via, fields=fields)
        except (IntegrityError, OperationalError) as exc:
            if not _lost_a_race(exc):
                raise
            pick()
            raise BookingRefused(
                [Refusal("clash", "clinic", _("That time was just taken. Choose another."))]
            ) from exc
        reminders.after_change(
            current, previous_version=previous_version, via=via, acting_user=acting_user
        )
    appointment.__dict__.update(current.__dict__)
    return current


def _refuse_broken_gaps(current: Appointment, start: datetime) -> None:
    """Refuse a move that would break the course's interval before or after this occurrence,
    or its window (the patch-test reading's), naming each."""
    rows = selectors.series_rows(current.series_id)
    steps = [selectors.step_of(row, start if row.pk == current.pk else None) for row in rows]
    index = next(i for i, row in enumerate(rows) if row.pk == current.pk)
    broken = [
        problem
        for problem in series.gap_problems(steps, facts.local_zone())
        if problem.index in (index, index + 1)
    ]
    if not broken:
        return
    found = []
    for problem in broken:
        if problem.days is None or problem.min_days is None:
            message = _("%(label)s would fall outside its window.") % {"label": problem.label}
        else:
            message = _(
                "%(label)s would come %(days)d days after the visit before it; the course "
                "allows %(low)d to %(high)d. Move the following sessions with it, or choose "
                "another day."
            ) % {
                "label": problem.label,
                "days": problem.days,
                "low": problem.min_days,
                "high": problem.max_days,
            }
        found.append(Refusal("gap", "patient", message, occurrence=problem.label))
    raise BookingRefused(found)


def _set_status(appointment, *, acting_user, status, allowed, words, via, reason="") -> Appointment:
    with transaction.atomic():
        current = _locked(appointment)
        _refuse_unless(current, allowed, words)
        current.status = status
        current.status_changed_by = (
            acting_user if getattr(acting_user, "is_authenticated", False) else None
        )
        current.status_changed_at = timezone.now()
        fields = ["status", "status_changed_by", "status_changed_at"]
        if reason:
            current.cancel_reason = reason
            fields.append("cancel_reason")
        save_audited(current, actor=acting_user, via=via, fields=fields)
        reminders.after_status(current, via=via, acting_user=acting_user)
    appointment.__dict__.update(current.__dict__)
    return current


def cancel(
    *, acting_user, appointment: Appointment, reason: str, via: str = Interface.WEB
) -> Appointment:
    """Cancel with a reason (required): the time is freed and the patient told."""
    reason = (reason or "").strip()
    if not reason:
        raise BookingRefused(
            [Refusal("reason", "clinic", _("Say why the appointment is cancelled."))]
        )
    return _set_status(
        appointment,
        acting_user=acting_user,
        status=Status.CANCELLED,
        allowed=(Status.BOOKED, Status.CHECKED_IN),
        words=_("An appointment that is %(status)s cannot be cancelled."),
        via=via,
        reason=reason[:200],
    )


def confirm(*, acting_user, appointment: Appointment, via: str = Interface.WEB) -> Appointment:
    """The patient says they will come (the portal's "confirm"): a booked appointment still
    ahead is marked confirmed, once, and the clinic sees it on the day view. Who confirmed is
    the audit row's actor."""
    with transaction.atomic():
        current = _locked(appointment)
        _refuse_unless(
            current, (Status.BOOKED,), _("An appointment that is %(status)s cannot be confirmed.")
        )
        if current.starts_at <= timezone.now():
            raise BookingRefused(
                [Refusal("started", "clinic", _("This appointment has already begun."))]
            )
        if current.confirmed_at is None:
            current.confirmed_at = timezone.now()
            save_audited(current, actor=acting_user, via=via, fields=["confirmed_at"])
    appointment.__dict__.update(current.__dict__)
    return current


def check_in(*, acting_user, appointment: Appointment, via: str = Interface.WEB) -> Appointment:
    """The patient has arrived (on the appointment's day only)."""
    if timezone.localtime(appointment.starts_at).date() != timezone.localdate():
        raise BookingRefused(
            [Refusal("day", "clinic", _("A patient checks in on the day of the appointment."))]
        )
    return _set_status(
        appointment,
        acting_user=acting_user,
        status=Status.CHECKED_IN,
        allowed=(Status.BOOKED,),
        words=_("An appointment that is %(status)s cannot be checked in."),
        via=via,
    )


def mark_no_show(*, acting_user, appointment: Appointment, via: str = Interface.WEB) -> Appointment:
    """The patient did not come: only once the appointment has started."""
    if appointment.starts_at > timezone.now():
        raise BookingRefused(
            [Refusal("future", "clinic", _("An appointment still to come cannot be a no-show."))]
        )
    return _set_status(
        appointment,
        acting_user=acting_user,
        status=Status.NO_SHOW,
        allowed=(Status.BOOKED,),
        words=_("An appointment that is %(status)s cannot be marked as a no-show."),
        via=via,
    )


def complete(*, acting_user, appointment: Appointment, via: str = Interface.WEB) -> Appointment:
    """The visit happened (a charted session completes its appointment: `complete_for_session`).
    Not before its day: a completed appointment can no longer be moved or cancelled."""
    if timezone.localtime(appointment.starts_at).date() > timezone.localdate():
        raise BookingRefused(
            [Refusal("future", "clinic", _("An appointment still to come cannot be completed."))]
        )
    return _set_status(
        appointment,
        acting_user=acting_user,
        status=Status.COMPLETED,
        allowed=(Status.BOOKED, Status.CHECKED_IN),
        words=_("An appointment that is %(status)s cannot be completed."),
        via=via,
    )


def complete_for_session(
    *, acting_user, patient_id: int, clinic_id: int, at: datetime, via: str
) -> Appointment | None:
    """Complete the patient's session appointment of that day at that clinic, if one is booked
    or checked in (care calls this when a session is charted). None when there is none."""
    day = timezone.localtime(at).date()
    appointment = (
        Appointment.objects.filter(
            patient_id=patient_id,
            clinic_id=clinic_id,
            type__code="session",
            status__in=(Status.BOOKED, Status.CHECKED_IN),
            starts_at__date=day,
        )
        .order_by("starts_at")
        .first()
    )
    if appointment is None:
        return None
    return complete(acting_user=acting_user, appointment=appointment, via=via)


__all__ = [
    "ACTIVE",
    "BookingRefused",
    "Choice",
    "Held",
    "Refusal",
    "blocked_range",
    "book",
    "cancel",
    "check_in",
    "choose",
    "complete",
    "complete_for_session",
    "confirm",
    "mark_no_show",
    "reschedule",
]
