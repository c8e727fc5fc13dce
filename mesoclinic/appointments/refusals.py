"""Why a time cannot be booked, in words: each refusal names its reason, the resource it is
about and the time it clashes with; `BookingRefused` carries them all (a clash answers 409
in the API, anything else 400)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mesoclinic.appointments import facts, slots
from mesoclinic.clinics.models import Membership, Practitioner
from mesoclinic.patients.models import Patient


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


def refuse_archived(patient) -> None:
    """Refuse to book an archived patient, whoever asks: archiving takes them out of the day's
    work and cancels what they had booked (`patients.services.archive_patient`). Reads the
    row under its lock, in the caller's transaction: an archiving running now is waited for,
    and one committed since `patient` was read is seen."""
    if patient is None:
        return
    archived_at = (
        Patient.objects.select_for_update()
        .filter(pk=patient.pk)
        .values_list("archived_at", flat=True)
        .first()
    )
    if archived_at is not None:
        raise BookingRefused(
            [Refusal("archived", "patient", _("This patient is archived: nothing can be booked."))]
        )


def when(start: datetime | None, end: datetime | None) -> str:
    """A time span in Karachi words: "Wed 16 Dec 2026, 10:00–10:45", or with both dates when
    it runs over days (a closure, a leave), whole days shown as days."""
    if start is None:
        return ""
    local_start = timezone.localtime(start)
    if end is None:
        return formats.date_format(local_start, "D j M Y, H:i")
    local_end = timezone.localtime(end)
    if local_start.date() == local_end.date():
        return (
            formats.date_format(local_start, "D j M Y, H:i")
            + "–"
            + formats.time_format(local_end, "H:i")
        )
    whole_days = local_start.time() == local_end.time() == datetime.min.time()
    if whole_days:
        last_day = local_end - timedelta(days=1)
        if last_day.date() == local_start.date():
            return formats.date_format(local_start, "D j M Y")
        return (
            formats.date_format(local_start, "D j M Y")
            + " – "
            + formats.date_format(last_day, "D j M Y")
        )
    return (
        formats.date_format(local_start, "D j M Y, H:i")
        + " – "
        + formats.date_format(local_end, "D j M Y, H:i")
    )


def describe(problem: slots.Problem, *, kind_name: str = "") -> str:
    """A rule's problem in words, naming the resource and the time it is about."""
    span = when(problem.start, problem.end)
    name = problem.label
    match problem.code, problem.resource:
        case "past", _:
            return _("That time has already passed.")
        case "closure", _:
            return _("The clinic is closed then (%(label)s, %(when)s).") % {
                "label": name or _("closure"),
                "when": span,
            }
        case "outside_hours", "clinic":
            return _("The clinic is not open then.")
        case "outside_hours", _:
            return _("%(name)s does not work then.") % {"name": problem.label or _("They")}
        case "break", _:
            return _("That falls in a break (%(label)s %(when)s).") % {"label": name, "when": span}
        case "leave", _:
            return _("The practitioner is on leave %(when)s.") % {"when": span}
        case "credential", _:
            return _("The practitioner's registration has expired by then.")
        case "clash", "practitioner" if problem.start is None:
            return _("Everyone who may take it is already booked then.")
        case "clash", "room" if problem.start is None:
            return _("Every room and chair is taken then.")
        case "clash", "practitioner":
            return _("The practitioner is already booked %(when)s.") % {"when": span}
        case "clash", "room":
            return _("The room is taken %(when)s.") % {"when": span}
        case "clash", "patient":
            return _("The patient already has an appointment %(when)s.") % {"when": span}
        case "no_practitioner", _:
            return _("No practitioner who may take a %(kind)s is free then.") % {
                "kind": kind_name or _("appointment")
            }
        case "no_room", _:
            return _("No room or chair is free then.")
    return _("That time cannot be booked.")


def refusals_of(problems, *, kind_name: str, occurrence: str = "") -> list[Refusal]:
    """The rule's problems as refusals, each sentence once (a closure is the clinic's and the
    practitioner's problem alike: one line says it)."""
    found, said = [], set()
    for problem in problems:
        message = (f"{occurrence}: " if occurrence else "") + describe(problem, kind_name=kind_name)
        if message in said:
            continue
        said.add(message)
        found.append(
            Refusal(
                code=problem.code,
                resource=problem.resource,
                message=message,
                start=problem.start,
                end=problem.end,
                occurrence=occurrence,
            )
        )
    return found


def who_may_not(appointment_type, practitioner, on) -> list[Refusal]:
    """Why `practitioner` may not take `appointment_type` on `on` (empty when they may)."""
    name = facts.practitioner_name(practitioner)
    found = []
    if (
        not practitioner.user.is_active
        or not Membership.objects.filter(
            user_id=practitioner.user_id, clinic_id=appointment_type.clinic_id
        ).exists()
    ):
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


def summarize(tried, *, several_people: bool, several_rooms: bool) -> list:
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
