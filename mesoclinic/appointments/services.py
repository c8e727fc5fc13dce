"""Booking: book, reschedule, cancel, check in, mark a no-show, complete, and book a series.

Every write is one transaction that reads the book (`facts.gather`), asks the pure rule
(`slots.check`) for every reason the time cannot be booked, writes, audits, and queues the
reminders (`reminders`) in the same transaction. The database has the last word: on
PostgreSQL the exclusion constraints (migration 0002) refuse an overlap that a concurrent
booking slipped in after the check, and the refusal then names the clash like the check does;
on SQLite the write transaction is serialized from its start (`transaction_mode = IMMEDIATE`),
so the check cannot be overtaken.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mesoclinic.appointments import facts, reminders, slots
from mesoclinic.appointments.availability import Interval
from mesoclinic.appointments.models import (
    ACTIVE,
    Appointment,
    AppointmentType,
    Requirement,
    Series,
    Status,
)
from mesoclinic.audit.services import Action, Interface, record_event, save_audited
from mesoclinic.clinics.models import Membership, Practitioner, Room


@dataclass(frozen=True)
class Refusal:
    """One reason a time cannot be booked: its code (the rule's, or "uncredentialed",
    "not_member", "qualification", "type"), the resource it is about, the words for people,
    and the time it clashes with when there is one."""

    code: str
    resource: str
    message: str
    start: datetime | None = None
    end: datetime | None = None
    occurrence: str = ""  # which occurrence of a series, e.g. "Session 3"
    alternatives: tuple = field(default=())  # nearest free slots.Slot, for a series


class BookingRefused(ValidationError):
    """Every reason a booking was refused; nothing was written. `clash` is true when the time
    itself is taken (the API answers 409), false for a time that can never be booked (400)."""

    def __init__(self, refusals: Sequence[Refusal]):
        self.refusals = tuple(refusals)
        super().__init__({"__all__": [refusal.message for refusal in self.refusals]})

    @property
    def clash(self) -> bool:
        return bool(self.refusals) and all(r.code == "clash" for r in self.refusals)


def _when(start: datetime | None, end: datetime | None) -> str:
    if start is None:
        return ""
    local_start = timezone.localtime(start)
    text = formats.date_format(local_start, "D j M Y, H:i")
    if end is not None:
        text += "–" + formats.time_format(timezone.localtime(end), "H:i")
    return text


def describe(problem: slots.Problem, *, kind_name: str = "") -> str:
    """A rule's problem in words, naming the resource and the time it is about."""
    when = _when(problem.start, problem.end)
    name = problem.label
    match problem.code, problem.resource:
        case "past", _:
            return _("That time has already passed.")
        case "closure", _:
            return _("The clinic is closed then (%(label)s, %(when)s).") % {
                "label": name or _("closure"),
                "when": when,
            }
        case "outside_hours", "clinic":
            return _("The clinic is not open then.")
        case "outside_hours", _:
            return _("%(name)s does not work then.") % {"name": problem.label or _("They")}
        case "break", _:
            return _("That falls in a break (%(label)s %(when)s).") % {"label": name, "when": when}
        case "leave", _:
            return _("The practitioner is on leave %(when)s.") % {"when": when}
        case "credential", _:
            return _("The practitioner's registration has expired by then.")
        case "clash", "practitioner" if problem.start is None:
            return _("Everyone who may take it is already booked then.")
        case "clash", "room" if problem.start is None:
            return _("Every room and chair is taken then.")
        case "clash", "practitioner":
            return _("The practitioner is already booked %(when)s.") % {"when": when}
        case "clash", "room":
            return _("The room is taken %(when)s.") % {"when": when}
        case "clash", "patient":
            return _("The patient already has an appointment %(when)s.") % {"when": when}
        case "no_practitioner", _:
            return _("No practitioner who may take a %(kind)s is free then.") % {
                "kind": kind_name or _("appointment")
            }
        case "no_room", _:
            return _("No room or chair is free then.")
    return _("That time cannot be booked.")


def _refusals(problems, *, kind_name: str, occurrence: str = "") -> list[Refusal]:
    return [
        Refusal(
            code=p.code,
            resource=p.resource,
            message=(f"{occurrence}: " if occurrence else "") + describe(p, kind_name=kind_name),
            start=p.start,
            end=p.end,
            occurrence=occurrence,
        )
        for p in problems
    ]


def _who_may_not(appointment_type, practitioner, on) -> list[Refusal]:
    """Why `practitioner` may not take `appointment_type` on `on` (empty when they may)."""
    name = facts.practitioner_name(practitioner)
    found = []
    if not Membership.objects.filter(
        user_id=practitioner.user_id, clinic_id=appointment_type.clinic_id
    ).exists():
        found.append(
            Refusal(
                "not_member",
                "practitioner",
                _("%(name)s does not work at this clinic.") % {"name": name},
            )
        )
    if not Practitioner.objects.credentialed(on).filter(pk=practitioner.pk).exists():
        found.append(
            Refusal(
                "uncredentialed",
                "practitioner",
                _(
                    "%(name)s is not credentialed on %(date)s: "
                    "a %(kind)s needs a credentialed practitioner."
                )
                % {
                    "name": name,
                    "date": formats.date_format(on),
                    "kind": appointment_type.get_code_display(),
                },
            )
        )
    if (
        not found
        and not facts.eligible_practitioners(appointment_type, on=on)
        .filter(pk=practitioner.pk)
        .exists()
    ):
        found.append(
            Refusal(
                "qualification",
                "practitioner",
                _("A %(kind)s at this clinic is not taken by a %(qualification)s.")
                % {
                    "kind": appointment_type.get_code_display(),
                    "qualification": practitioner.get_qualification_display().lower(),
                },
            )
        )
    return found


@dataclass(frozen=True)
class Choice:
    """What a booking would hold: the start and the practitioner and room it would take."""

    start: datetime
    practitioner_id: int | None
    room_id: int | None


@dataclass(frozen=True)
class Held:
    """A time not yet written but already promised (an earlier occurrence of a series being
    booked): busy for its practitioner, its room and the patient."""

    blocked: Interval
    practitioner_id: int | None
    room_id: int | None
    label: str = ""


def _with_held(resource, held, attribute):
    extra = tuple(
        slots.Busy(interval=h.blocked, label=h.label)
        for h in held
        if getattr(h, attribute) == resource.id
    )
    return replace(resource, busy=resource.busy + extra) if extra else resource


def _choose(
    *,
    appointment_type,
    start,
    practitioner,
    room,
    patient_id,
    ignore=None,
    occurrence="",
    held: Sequence[Held] = (),
):
    """Read the book and pick who and where takes `start` (the given ones, or the first free
    eligible practitioner and room), or raise every reason it cannot be booked. `held` times
    count as busy (a series' own earlier occurrences, not yet written)."""
    if timezone.is_naive(start):
        raise BookingRefused([Refusal("invalid", "clinic", _("Give the time with its time zone."))])
    day = timezone.localtime(start).date()
    if appointment_type.requirement == Requirement.NONE:
        candidates = []
    elif practitioner is not None:
        refused = _who_may_not(appointment_type, practitioner, day)
        if refused:
            raise BookingRefused(refused)
        candidates = [practitioner]
    else:
        candidates = list(facts.eligible_practitioners(appointment_type, on=day))
    if room is not None and room.clinic_id != appointment_type.clinic_id:
        raise BookingRefused([Refusal("room", "room", _("That room is at another clinic."))])
    room_ids = [room.pk] if room is not None else facts.active_room_ids(appointment_type.clinic_id)
    kind = facts.kind_of(appointment_type)
    book = facts.gather(
        clinic_id=appointment_type.clinic_id,
        first=day - timedelta(days=1),
        last=day + timedelta(days=1),
        practitioners=candidates,
        room_ids=room_ids if kind.needs_room else (),
        patient_id=patient_id,
        ignore_appointment=ignore,
    )
    now = timezone.now()
    people = [_with_held(p, held, "practitioner_id") for p in book.practitioners] or [None]
    rooms = [_with_held(r, held, "room_id") for r in book.rooms] or [None]
    patient_busy = tuple(book.patient_busy) + tuple(
        slots.Busy(interval=h.blocked, label=h.label) for h in held
    )
    tried = []
    for person in people:
        for place in rooms:
            problems = slots.check(
                kind=kind,
                start=start,
                practitioner=person,
                room=place,
                clinic=book.clinic,
                patient_busy=patient_busy,
                now=now,
            )
            if not problems:
                return Choice(
                    start=start,
                    practitioner_id=person.id if person and kind.needs_practitioner else None,
                    room_id=place.id if place and kind.needs_room else None,
                )
            tried.append(problems)
    raise BookingRefused(
        _refusals(
            _summarize(tried, several_people=len(people) > 1, several_rooms=len(rooms) > 1),
            kind_name=appointment_type.get_code_display(),
            occurrence=occurrence,
        )
    )


def _summarize(tried, *, several_people: bool, several_rooms: bool) -> list:
    """The reasons to show when no practitioner and room could take the time. With one of
    each tried, all of their problems; with several ("any practitioner"), the problems they
    all share (the clinic closed, the patient busy), or else one line saying nobody (or no
    room) is free, a clash when every one of them is simply booked."""
    if not (several_people or several_rooms):
        return tried[0]
    common = [problem for problem in tried[0] if all(problem in other for other in tried)]
    if common:
        return common
    codes = {problem.code for problems in tried for problem in problems}
    resource = "practitioner" if several_people else "room"
    if codes == {"clash"}:
        return [slots.Problem(code="clash", resource=resource)]
    return [
        slots.Problem(code="no_practitioner" if several_people else "no_room", resource=resource)
    ]


def choose(
    *,
    appointment_type: AppointmentType,
    start: datetime,
    patient_id: int | None,
    practitioner: Practitioner | None = None,
    room: Room | None = None,
    ignore=None,
    occurrence: str = "",
    held: Sequence[Held] = (),
) -> Choice:
    """Who and where would take `start`, without writing anything, or `BookingRefused` with
    every reason (`series_booking` checks a whole course this way before booking any of it)."""
    return _choose(
        appointment_type=appointment_type,
        start=start,
        practitioner=practitioner,
        room=room,
        patient_id=patient_id,
        ignore=ignore,
        occurrence=occurrence,
        held=held,
    )


def blocked_range(appointment_type: AppointmentType, start: datetime) -> Interval:
    """The time a booking of `appointment_type` at `start` holds, buffers included."""
    return slots.blocked(facts.kind_of(appointment_type), start)


def _blocked(appointment_type, start):
    interval = slots.blocked(facts.kind_of(appointment_type), start)
    return interval.start, interval.end


#: How often a booking that lost a race tries the next free practitioner or room before it
#: gives up: "any practitioner" should not fail because two desks picked the same first one.
RACE_RETRIES = 3


def _save_new(appointment: Appointment, *, choose) -> None:
    """Insert under a savepoint. When the database refuses an overlap that a concurrent booking
    committed after our check, read the book again (now seeing it): the next free practitioner
    and room take it if there is one, otherwise the refusal names the clash."""
    for _attempt in range(RACE_RETRIES):
        try:
            with transaction.atomic():
                appointment.save(force_insert=True)
            return
        except IntegrityError:
            choice = choose()  # raises BookingRefused naming the clash now visible
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

        def choose():
            return _choose(
                appointment_type=appointment_type,
                start=start,
                practitioner=practitioner,
                room=room,
                patient_id=getattr(patient, "pk", None),
                occurrence=label if series else "",
            )

        choice = choose()
        blocked_from, blocked_until = _blocked(appointment_type, start)
        appointment = Appointment(
            clinic=clinic,
            type=appointment_type,
            patient=patient,
            enquiry=enquiry,
            practitioner_id=choice.practitioner_id,
            room_id=choice.room_id,
            starts_at=start,
            ends_at=start + timedelta(minutes=appointment_type.duration_minutes),
            blocked_from=blocked_from,
            blocked_until=blocked_until,
            series=series,
            label=label,
            booked_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        _save_new(appointment, choose=choose)
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
        Appointment.objects.select_for_update()
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
    via: str = Interface.WEB,
) -> Appointment:
    """Move a booked appointment to `start` (its practitioner kept unless another is given or
    `keep_practitioner` is false), refusing like `book`; its reminders are replaced."""
    with transaction.atomic():
        current = _locked(appointment)
        _refuse_unless(
            current, (Status.BOOKED,), _("An appointment that is %(status)s cannot be moved.")
        )
        if practitioner is None and keep_practitioner and current.practitioner_id:
            practitioner = Practitioner.objects.select_related("user").get(
                pk=current.practitioner_id
            )

        def choose():
            return _choose(
                appointment_type=current.type,
                start=start,
                practitioner=practitioner,
                room=room,
                patient_id=current.patient_id,
                ignore=current.pk,
            )

        choice = choose()
        previous_version = current.version
        current.starts_at = start
        current.ends_at = start + timedelta(minutes=current.type.duration_minutes)
        current.blocked_from, current.blocked_until = _blocked(current.type, start)
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
        try:
            with transaction.atomic():
                save_audited(current, actor=acting_user, via=via, fields=fields)
        except IntegrityError as exc:
            choose()
            raise BookingRefused(
                [Refusal("clash", "clinic", _("That time was just taken. Choose another."))]
            ) from exc
        reminders.after_change(
            current, previous_version=previous_version, via=via, acting_user=acting_user
        )
    appointment.__dict__.update(current.__dict__)
    return current


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
    """The visit happened (a charted session completes its appointment: `complete_for_session`)."""
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
    "mark_no_show",
    "reschedule",
]
