"""A whole course booked in one action, and one session moved with the ones after it.

Other systems book a series occurrence by occurrence (so a clash half-way leaves half a course
held) or check only a couple of them. Here every occurrence is checked first, each counting the
series' own earlier occurrences as busy for the patient, the practitioner and the room
(`choosing.Held`), together with the gaps and windows between them (`series.gap_problems`);
one failure refuses the whole series, naming every failing occurrence with the nearest free
times inside what it is allowed. Only then is anything written, through `services.book`, in
the same transaction: a single booking that slipped in after the check makes the database
refuse (the exclusion constraints on PostgreSQL; SQLite serializes the transaction) and the
whole series rolls back.

Appointments never import care: the occurrences (types, labels, gaps, windows) come from the
caller, and a course is known here only by its id.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.appointments import choosing, facts, refusals, selectors, series, services
from mesoclinic.appointments.availability import Interval
from mesoclinic.appointments.choosing import Held
from mesoclinic.appointments.models import Appointment, Series, Status
from mesoclinic.appointments.refusals import BookingRefused, Refusal, refuse_archived
from mesoclinic.audit.services import Action, record_event
from mesoclinic.clinics.models import Practitioner, Room

#: How many free times are offered for each refused occurrence.
ALTERNATIVES = 3
#: Days either side of the wanted date searched for alternatives (inside what is allowed).
SEARCH_AROUND_DAYS = 14


@dataclass(frozen=True)
class Occurrence:
    """One appointment of a series as proposed: its type code, start, label ("Session 3 of
    5"), practitioner (None: any who may take it), its gap from the previous occurrence and
    the window it must start in."""

    code: str
    start: datetime
    label: str
    practitioner: Practitioner | None = None
    gap: series.Gap | None = None
    window: Interval | None = None


def when(start: datetime) -> str:
    return refusals.when(start, None)


def named(label: str, start: datetime) -> str:
    """How a refusal names an occurrence: its label and its date and time."""
    return f"{label} ({when(start)})"


def _gap_refusal(problem: series.GapProblem, step: series.Step) -> Refusal:
    if problem.days is None:
        message = _("It must start between %(opens)s and %(closes)s.") % {
            "opens": when(step.window.start),
            "closes": when(step.window.end),
        }
        code = "window"
    elif problem.min_days is None:
        message, code = _("It must come after the previous one."), "gap"
    else:
        message = _("It must be %(low)d–%(high)d days after the previous one, not %(days)d.") % {
            "low": problem.min_days,
            "high": problem.max_days,
            "days": problem.days,
        }
        code = "gap"
    return Refusal(code, "series", message)


def _allowed_days(occurrences, index):
    """The local dates occurrence `index` may fall on: its gap after the previous proposed
    start and its window, within SEARCH_AROUND_DAYS of its own date and MAX_SEARCH_DAYS."""
    zone = facts.local_zone()
    occurrence = occurrences[index]
    wanted = timezone.localtime(occurrence.start, zone).date()
    first = wanted - timedelta(days=SEARCH_AROUND_DAYS)
    last = wanted + timedelta(days=SEARCH_AROUND_DAYS)
    if index:
        previous = timezone.localtime(occurrences[index - 1].start, zone).date()
        gap = occurrence.gap or series.Gap(0, 10_000)
        first = max(first, previous + timedelta(days=gap.min_days))
        last = min(last, previous + timedelta(days=gap.max_days))
    if occurrence.window:
        first = max(first, timezone.localtime(occurrence.window.start, zone).date())
        last = min(last, timezone.localtime(occurrence.window.end, zone).date())
    first = max(first, timezone.localdate())
    if (last - first).days >= selectors.MAX_SEARCH_DAYS:
        first = max(first, wanted - timedelta(days=selectors.MAX_SEARCH_DAYS // 2 - 1))
        last = first + timedelta(days=selectors.MAX_SEARCH_DAYS - 1)
    return first, last


def alternatives(*, appointment_type, occurrences, index, patient_id, held=()):
    """The nearest free times for occurrence `index` inside its gap and window, leaving the
    series' other held times alone."""
    occurrence = occurrences[index]
    first, last = _allowed_days(occurrences, index)
    if last < first:
        return ()
    previous = occurrences[index - 1].start if index else None
    found = []
    for slot in selectors.find_slots(
        appointment_type=appointment_type,
        first=first,
        last=last,
        practitioner=occurrence.practitioner,
        patient_id=patient_id,
        one_per_start=True,
    ):
        if occurrence.window and not occurrence.window.start <= slot.start < occurrence.window.end:
            continue
        if previous is not None and slot.start <= previous:
            continue
        taken = choosing.blocked_range(appointment_type, slot.start)
        if any(taken.overlaps(h.blocked) for h in held):
            continue
        found.append(slot)
    return tuple(series.nearest(found, occurrence.start, ALTERNATIVES))


def _steps(occurrences) -> list[series.Step]:
    return [series.Step(o.label, o.start, o.gap, o.window) for o in occurrences]


def check_series(*, patient_id, occurrences, types, ignore=(), only=None):
    """Check every occurrence (or those whose index is in `only`: the others already hold
    their place) and the gaps between all of them; return (choices, refusals). Refusals name
    each failing occurrence (label and date) and carry its nearest free alternatives."""
    steps = _steps(occurrences)
    by_index: dict[int, list[Refusal]] = {}
    for problem in series.gap_problems(steps, facts.local_zone()):
        by_index.setdefault(problem.index, []).append(_gap_refusal(problem, steps[problem.index]))
    held: list[Held] = []
    choices, refusals = [], []
    for index, occurrence in enumerate(occurrences):
        appointment_type = types[occurrence.code]
        found = list(by_index.get(index, ()))
        choice = None
        if only is not None and index not in only:
            if found:
                refusals.extend(_named_refusals(found, occurrences, index, types, patient_id, held))
            choices.append(None)
            continue
        try:
            choice = choosing.choose(
                appointment_type=appointment_type,
                start=occurrence.start,
                patient_id=patient_id,
                practitioner=occurrence.practitioner,
                ignore=list(ignore),
                held=held,
            )
        except BookingRefused as refused:
            found.extend(refused.refusals)
        if choice is not None:
            blocked = choosing.blocked_range(appointment_type, occurrence.start)
            held.append(Held(blocked, choice.practitioner_id, choice.room_id, occurrence.label))
        choices.append(choice)
        if found:
            others = held[:-1] if choice is not None else held
            refusals.extend(_named_refusals(found, occurrences, index, types, patient_id, others))
    return choices, refusals


def _named_refusals(found, occurrences, index, types, patient_id, held) -> list[Refusal]:
    occurrence = occurrences[index]
    name = named(occurrence.label, occurrence.start)
    offered = alternatives(
        appointment_type=types[occurrence.code],
        occurrences=occurrences,
        index=index,
        patient_id=patient_id,
        held=held,
    )
    return [
        replace(r, occurrence=name, message=f"{name}: {r.message}", alternatives=offered)
        for r in found
    ]


def _types(clinic, occurrences):
    types = {code: selectors.type_of(clinic.pk, code) for code in {o.code for o in occurrences}}
    if not occurrences or any(t is None for t in types.values()):
        raise BookingRefused(
            [Refusal("type", "clinic", _("This clinic does not book that kind of appointment."))]
        )
    return types


def _limits(occurrence: Occurrence) -> dict:
    return {
        "gap_min_days": occurrence.gap.min_days if occurrence.gap else None,
        "gap_max_days": occurrence.gap.max_days if occurrence.gap else None,
        "window_opens_at": occurrence.window.start if occurrence.window else None,
        "window_closes_at": occurrence.window.end if occurrence.window else None,
    }


def book_series(
    *,
    acting_user,
    clinic,
    patient,
    occurrences: Sequence[Occurrence],
    course_id: int | None = None,
    via: str,
) -> Series:
    """Book every occurrence or none: `BookingRefused` names every failing one (with its
    alternatives) and nothing is written. Each appointment goes through `services.book`, so
    it is audited and gets its reminders."""
    occurrences = list(occurrences)
    types = _types(clinic, occurrences)
    with transaction.atomic():
        refuse_archived(patient)
        choices, refusals = check_series(
            patient_id=patient.pk, occurrences=occurrences, types=types
        )
        if refusals:
            raise BookingRefused(refusals)
        booked = Series(clinic=clinic, patient=patient, course_id=course_id, booked_by=acting_user)
        booked.save(force_insert=True)
        record_event(actor=acting_user, action=Action.CREATE, via=via, instance=booked)
        people = Practitioner.objects.select_related("user").in_bulk(
            {c.practitioner_id for c in choices if c.practitioner_id}
        )
        rooms = Room.objects.in_bulk({c.room_id for c in choices if c.room_id})
        for occurrence, choice in zip(occurrences, choices, strict=True):
            appointment = services.book(
                acting_user=acting_user,
                clinic=clinic,
                appointment_type=types[occurrence.code],
                start=occurrence.start,
                patient=patient,
                practitioner=people.get(choice.practitioner_id),
                room=rooms.get(choice.room_id),
                label=occurrence.label[:60],
                series=booked,
                via=via,
            )
            Appointment.objects.filter(pk=appointment.pk).update(
                **_limits(occurrence), updated_at=timezone.now()
            )
    return booked


def _index(rows, appointment) -> int:
    for index, row in enumerate(rows):
        if row.pk == appointment.pk:
            return index
    raise BookingRefused(
        [Refusal("series", "clinic", _("Only a booked appointment of a series can be moved."))]
    )


def following_proposal(
    appointment: Appointment, start: datetime
) -> list[tuple[Appointment, datetime]]:
    """The following occurrences that would move if `appointment` moved to `start`, each with
    its proposed new start (`series.shift_following`), for a page to offer."""
    if appointment.series_id is None:
        return []
    rows = selectors.series_rows(appointment.series_id)
    index = _index(rows, appointment)
    starts = series.shift_following(
        [selectors.step_of(r) for r in rows], index, start, facts.local_zone()
    )
    return [
        (row, new)
        for row, new in zip(rows[index + 1 :], starts[index + 1 :], strict=True)
        if new != row.starts_at
    ]


def _occurrence_of(row: Appointment, start: datetime) -> Occurrence:
    step = selectors.step_of(row)
    return Occurrence(row.type.code, start, step.label, row.practitioner, step.gap, step.window)


def move_in_series(
    *, acting_user, appointment: Appointment, start: datetime, shift_following: bool, via: str
) -> list[Appointment]:
    """Move one occurrence to `start`; with `shift_following`, the following ones move as
    `following_proposal` says. All or nothing: a refusal names every occurrence that cannot
    move (a clash, or a gap broken when the following ones are not shifted)."""
    if appointment.series_id is None:
        raise BookingRefused(
            [Refusal("series", "clinic", _("This appointment is not part of a series."))]
        )
    with transaction.atomic():
        rows = selectors.series_rows(appointment.series_id, lock=True)
        index = _index(rows, appointment)
        steps = [selectors.step_of(r) for r in rows]
        if shift_following:
            starts = series.shift_following(steps, index, start, facts.local_zone())
        else:
            starts = [step.start for step in steps]
            starts[index] = start
        moving = [i for i, row in enumerate(rows) if starts[i] != row.starts_at]
        stuck = [i for i in moving if rows[i].status != Status.BOOKED]
        if stuck:
            raise BookingRefused(
                [
                    Refusal(
                        "status",
                        "clinic",
                        _("%(name)s is %(status)s and cannot be moved.")
                        % {
                            "name": named(steps[i].label, rows[i].starts_at),
                            "status": rows[i].get_status_display().lower(),
                        },
                    )
                    for i in stuck
                ]
            )
        occurrences = [_occurrence_of(row, new) for row, new in zip(rows, starts, strict=True)]
        refusals = _move_refusals(rows, occurrences, moving)
        if refusals:
            raise BookingRefused(refusals)
        # Later moves go last-first and earlier ones first-last, so no occurrence is moved onto
        # the place another still holds.
        order = sorted(moving, reverse=start > appointment.starts_at)
        moved = []
        for i in order:
            moved.append(
                services.reschedule(
                    acting_user=acting_user,
                    appointment=rows[i],
                    start=starts[i],
                    check_gaps=False,
                    via=via,
                )
            )
    return sorted(moved, key=lambda row: row.starts_at)


def _move_refusals(rows, occurrences, moving) -> list[Refusal]:
    """Every refusal of the moved occurrences: their clashes (the others' new places held,
    their own old places free) and the gaps they break, before or after them."""
    by_code = {row.type.code: row.type for row in rows}
    ignore = [rows[i].pk for i in moving]
    _choices, found = check_series(
        patient_id=rows[0].patient_id,
        occurrences=occurrences,
        types=by_code,
        ignore=ignore,
        only=set(moving),
    )
    touched = set(moving) | {i + 1 for i in moving}
    names = {named(o.label, o.start) for i, o in enumerate(occurrences) if i in touched}
    return [r for r in found if r.occurrence in names]


__all__ = [
    "Occurrence",
    "book_series",
    "check_series",
    "following_proposal",
    "move_in_series",
    "named",
]
