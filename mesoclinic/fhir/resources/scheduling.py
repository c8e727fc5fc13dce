"""Appointment and Schedule: the appointment book through its own scoped reads (the schedule
kind: receptionists book, so they see them). Appointments are created through the booking
service the pages use (resources/booking.py); free Slots are computed (resources/slots.py)."""

from django.db.models import DateTimeField, Q, Value
from django.utils import timezone

from mesoclinic.appointments import selectors as appointment_selectors
from mesoclinic.appointments.facts import REACH, local_midnight
from mesoclinic.clinics import scoping
from mesoclinic.clinics.models import Membership
from mesoclinic.fhir import filters, search
from mesoclinic.fhir.mapping.scheduling import (
    APPOINTMENT_TYPE_SYSTEM,
    STATUSES,
    appointment_resource,
    schedule_resource,
)
from mesoclinic.fhir.registry import (
    ResourceType,
    SearchParam,
    Source,
    everything,
    nothing,
    register,
)
from mesoclinic.fhir.resources.booking import create_appointment

SP = "http://hl7.org/fhir/SearchParameter/"


def visible_appointments(user):
    """The user's appointments (`Appointment.objects.for_user`) that are a patient's: a
    visitor's booking from the public page names an enquiry, not yet a Patient. The type and
    the series (for the course) come in the same query."""
    return (
        appointment_selectors.appointments_for_user(user)
        .filter(patient__isnull=False)
        .select_related("type", "series")
    )


def _type_code(system: str | None, code: str) -> Q:
    if system in (None, APPOINTMENT_TYPE_SYSTEM):
        return Q(type__code=code)
    return nothing()


APPOINTMENT = register(
    ResourceType(
        name="Appointment",
        documentation=(
            "Booked appointments of the chain's patients (visitors' bookings not yet registered "
            "are left out). create books through the same service as the pages: a Patient and "
            "a Practitioner participant, the clinic as a Location participant (or a Slot), "
            "start (or a Slot) and the type as a serviceType code of "
            f"{APPOINTMENT_TYPE_SYSTEM}. A refused booking is a 422 OperationOutcome naming "
            "each reason (409 when the time is taken)."
        ),
        sources=(
            Source(
                queryset=visible_appointments,
                to_resource=appointment_resource,
                patient="patient_id",
                clinic="patient__registered_clinic_id",
                filters={
                    "patient": filters.reference("patient_id", "Patient"),
                    "practitioner": filters.reference("practitioner_id", "Practitioner"),
                    "location": filters.reference("clinic_id", "Location"),
                    "date": filters.date("starts_at"),
                    "status": filters.exact("status", choices={v: k for k, v in STATUSES.items()}),
                    "service-type": filters.token(_type_code),
                },
            ),
        ),
        params=(
            SearchParam("patient", "reference", "The patient.", SP + "Appointment-patient"),
            SearchParam(
                "practitioner", "reference", "The practitioner.", SP + "Appointment-practitioner"
            ),
            SearchParam("location", "reference", "The clinic.", SP + "Appointment-location"),
            SearchParam("date", "date", "When it starts.", SP + "Appointment-date"),
            SearchParam(
                "status",
                "token",
                "booked, arrived, fulfilled, cancelled or noshow.",
                SP + "Appointment-status",
            ),
            SearchParam(
                "service-type",
                "token",
                f"The appointment type ({APPOINTMENT_TYPE_SYSTEM}).",
                SP + "Appointment-service-type",
            ),
        ),
        create=create_appointment,
    )
)


def horizon_start():
    """Today's local midnight: where every Schedule's planning horizon starts (and so when
    its content last changed)."""
    return local_midnight(timezone.localdate())


def visible_schedules(user):
    """The practitioners' memberships of active clinics the user reaches in the book: one
    Schedule each. An inactive user has none (their book takes no booking)."""
    rows = Membership.objects.filter(
        user__practitioner__isnull=False, user__is_active=True, clinic__is_active=True
    )
    return (
        scoping.restrict(rows, user, scoping.Kind.SCHEDULE, clinic="clinic_id")
        .select_related("user__practitioner")
        .annotate(horizon_start=Value(horizon_start(), output_field=DateTimeField()))
    )


def schedule_of(membership) -> dict:
    start = membership.horizon_start
    return schedule_resource(membership, horizon_start=start, horizon_end=start + REACH)


def _actor(value: str) -> Q:
    """Schedule `actor`: Practitioner/<id> or Location/<id> (a bare id: either)."""
    conditions = nothing()
    for part in search.split_or(value):
        kind, _sep, ident = part.rstrip("/").rpartition("/")
        kind = kind.rpartition("/")[2]
        if not (ident.isascii() and ident.isdigit()) or len(ident) > 18:
            continue
        if kind in ("", "Practitioner"):
            conditions |= Q(user__practitioner__id=int(ident))
        if kind in ("", "Location"):
            conditions |= Q(clinic_id=int(ident))
    return conditions


def _active(system: str | None, code: str) -> Q:
    return everything() if code == "true" else nothing()


SCHEDULE = register(
    ResourceType(
        name="Schedule",
        documentation=(
            "One per practitioner per clinic; its id is the practitioner's membership of the "
            "clinic. Free times are its Slots (Slot?schedule=Schedule/<id>). meta.lastUpdated "
            "is the start of the planning horizon, which moves every day."
        ),
        audited=False,
        sources=(
            Source(
                queryset=visible_schedules,
                to_resource=schedule_of,
                updated="horizon_start",
                clinic="clinic_id",
                filters={"actor": _actor, "active": filters.token(_active)},
            ),
        ),
        params=(
            SearchParam(
                "actor",
                "reference",
                "Practitioner/<id> or Location/<id> (the clinic).",
                SP + "Schedule-actor",
            ),
            SearchParam(
                "active", "token", "true (every Schedule here is).", SP + "Schedule-active"
            ),
        ),
    )
)
