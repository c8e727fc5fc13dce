"""What every page of the appointment book shares: the gate (a role that reads the schedule),
the clinic looked up inside the user's scope, its practitioners and rooms, and how an
appointment is named on a page (a receptionist sees who, never why)."""

from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from mesoclinic.accounts.access import StaffRequiredMixin
from mesoclinic.appointments.facts import local_midnight
from mesoclinic.audit.services import Interface
from mesoclinic.clinics import scoping
from mesoclinic.clinics.models import Clinic, Practitioner, Room


class ScheduleMixin(StaffRequiredMixin):
    """The appointment book's pages: 403 for a role that never reads the schedule, and the
    rows themselves through `for_user` (404 outside the user's clinics)."""

    def has_access(self, user) -> bool:
        return scoping.reaches(user, scoping.Kind.SCHEDULE)


def clinic_for_user(user, slug) -> Clinic:
    """The clinic by its slug, or the audited 404 when it is missing or not the user's."""
    clinic = scoping.restrict(
        Clinic.objects.filter(slug=slug), user, scoping.Kind.SCHEDULE, clinic="pk"
    ).first()
    if clinic is None:
        raise scoping.denied(user, Clinic, slug, via=Interface.WEB, message="No clinic found.")
    return clinic


def practitioners_at(clinic_id: int):
    """The clinic's active practitioners, by name (one query when read)."""
    return (
        Practitioner.objects.filter(user__memberships__clinic_id=clinic_id, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "pk")
    )


def rooms_at(clinic_id: int):
    return Room.objects.filter(clinic_id=clinic_id, is_active=True).order_by("name", "pk")


def day_range(first: date, days: int) -> tuple[datetime, datetime]:
    return local_midnight(first), local_midnight(first + timedelta(days=days))


def who(appointment) -> str:
    """The patient's name, or the visitor's for a booking made from the public page."""
    if appointment.patient_id:
        return appointment.patient.full_name
    if appointment.enquiry_id:
        return _("visitor: %(name)s") % {"name": appointment.enquiry.name}
    return "—"


def practitioner_label(practitioner) -> str:
    if practitioner is None:
        return _("No practitioner")
    return practitioner.user.get_full_name() or practitioner.user.username


def card(appointment) -> dict:
    """What a calendar shows of one appointment: time, type, who and status, in local time."""
    return {
        "appointment": appointment,
        "starts": timezone.localtime(appointment.starts_at),
        "ends": timezone.localtime(appointment.ends_at),
        "who": who(appointment),
        "movable": appointment.status == "booked",
    }


def safe_next(request, fallback: str) -> str:
    """Where to go back to after an action: the page's own `next` if it is ours."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return fallback
