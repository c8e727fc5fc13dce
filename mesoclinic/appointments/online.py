"""A patient's own changes to their appointments (the portal): confirm, move, cancel, each the
clinic's rule for online changes (`online_rules`, with the clinic's notice) checked under the
appointment's row lock, then the same booking service the desk uses, so every refusal the desk
gets (a clash, the hours, a course's intervals) the patient gets too, and the change is audited
and its reminders replaced the same way.

Who may touch which appointment is not decided here: the caller reads the appointment through
`Appointment.objects.for_user(patient_user)`, whose patient branch finds only their own.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.appointments import online_rules, services
from mesoclinic.appointments.models import Appointment
from mesoclinic.appointments.online_rules import Change, Code
from mesoclinic.appointments.refusals import BookingRefused, Refusal

#: What the patient's cancellation says to the clinic (stored, so in the desk's language).
CANCEL_REASON = "Cancelled by the patient online"


def words(reason: online_rules.Reason, *, change: Change, clinic) -> str:
    """One reason in the patient's words (the clinic's phone for what only the desk can do)."""
    match reason.code:
        case Code.STATUS:
            status = Appointment(status=reason.status).get_status_display().lower()
            if change is Change.CANCEL:
                text = _("An appointment that is %(status)s cannot be cancelled.")
            elif change is Change.CONFIRM:
                text = _("An appointment that is %(status)s cannot be confirmed.")
            else:
                text = _("An appointment that is %(status)s cannot be moved.")
            return text % {"status": status}
        case Code.STARTED:
            return _("This appointment has already begun.")
        case Code.TOO_LATE:
            return _(
                "The clinic takes changes online until %(hours)d hours before the appointment. "
                "Please call the clinic: %(phone)s."
            ) % {"hours": reason.hours, "phone": clinic.phone_display}
        case Code.TOO_SOON:
            return _(
                "Choose a time at least %(hours)d hours from now: the clinic needs that much "
                "notice."
            ) % {"hours": reason.hours}
        case Code.CONFIRMED:
            return _("You have already confirmed this appointment.")
    return _("That cannot be changed online.")


def refusal(
    reasons, *, change: Change, clinic
) -> BookingRefused:  # a BookingRefused, like the services'
    return BookingRefused(
        [Refusal(str(r.code), "patient", words(r, change=change, clinic=clinic)) for r in reasons]
    )


def _check(appointment: Appointment, change: Change, new_start: datetime | None = None):
    """The appointment re-read under its row lock and the clinic's rule asked; refused with
    every reason (inside the caller's transaction)."""
    current = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("clinic")
        .get(pk=appointment.pk)
    )
    reasons = online_rules.problems(
        change=change,
        now=timezone.now(),
        notice_hours=current.clinic.portal_change_hours,
        status=current.status,
        starts_at=current.starts_at,
        confirmed=current.confirmed_at is not None,
        new_start=new_start,
    )
    if reasons:
        raise refusal(reasons, change=change, clinic=current.clinic)
    return current


def allowed(appointment: Appointment, change: Change, *, now=None) -> bool:
    """Whether the rule lets the patient try `change` now (for which buttons a page offers;
    the action itself asks again). Reads `appointment.clinic` (select it with the rows)."""
    return not online_rules.problems(
        change=change,
        now=now or timezone.now(),
        notice_hours=appointment.clinic.portal_change_hours,
        status=appointment.status,
        starts_at=appointment.starts_at,
        confirmed=appointment.confirmed_at is not None,
    )


def confirm(*, acting_user, appointment: Appointment, via: str) -> Appointment:
    with transaction.atomic():
        _check(appointment, Change.CONFIRM)
        return services.confirm(acting_user=acting_user, appointment=appointment, via=via)


def move(*, acting_user, appointment: Appointment, start: datetime, via: str) -> Appointment:
    """To `start`, with the same practitioner (the patient chose among their free times); a
    course's visit keeps to the course's intervals and windows (`services.reschedule`)."""
    with transaction.atomic():
        _check(appointment, Change.MOVE, new_start=start)
        return services.reschedule(
            acting_user=acting_user, appointment=appointment, start=start, via=via
        )


def cancel(*, acting_user, appointment: Appointment, via: str, note: str = "") -> Appointment:
    """Cancelled, with the patient's note if they left one (the reason the desk reads)."""
    note = " ".join((note or "").split())
    reason = f"{CANCEL_REASON}: {note}" if note else CANCEL_REASON
    with transaction.atomic():
        _check(appointment, Change.CANCEL)
        return services.cancel(
            acting_user=acting_user, appointment=appointment, reason=reason[:200], via=via
        )


def refuse_too_soon(*, clinic, start: datetime) -> None:
    """A new appointment the patient books (a course's next session) keeps the clinic's
    notice too."""
    reasons = online_rules.problems(
        change=Change.BOOK,
        now=timezone.now(),
        notice_hours=clinic.portal_change_hours,
        new_start=start,
    )
    if reasons:
        raise refusal(reasons, change=Change.BOOK, clinic=clinic)
