"""The appointment book as FHIR: Appointment, Schedule and Slot. Pure: no Django.

- Appointment: a booked time for a patient (visitors' enquiries, not yet patients, are left out
  by the source). Only what booking knows: no clinical detail. A course's appointment names
  its CarePlan (`CarePlan/<course id>`) in `supportingInformation`: R4 allows only a
  ServiceRequest in `basedOn`.
- Schedule: one practitioner's book at one clinic. Its id is the practitioner's Membership of
  that clinic (one row per person and clinic, stable as long as they work there); it has no
  row of its own to change, so its content is its actors and a planning horizon that starts
  today, and `meta.lastUpdated` is the start of that horizon (today's local midnight).
- Slot: a free time the availability rules offer for one appointment type, never stored. Its
  id names the schedule, the type and the start, so it can be read back (and re-checked).
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from mesoclinic.fhir.mapping.common import (
    CODE_SYSTEM,
    concept,
    drop_empty,
    instant,
    meta,
    reference,
)

#: Our appointment types (AppointmentType.Code) as codes in our own system.
APPOINTMENT_TYPE_SYSTEM = f"{CODE_SYSTEM}/appointment-type"
#: The reasons a booking is refused (appointments.refusals codes), in OperationOutcome details.
REFUSAL_SYSTEM = f"{CODE_SYSTEM}/booking-refusal"
#: HL7 v2 table 0276, the preferred binding of Appointment/Slot.appointmentType.
V2_0276 = "http://terminology.hl7.org/CodeSystem/v2-0276"
PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"

#: Our Status → the required value set http://hl7.org/fhir/ValueSet/appointmentstatus.
STATUSES = {
    "booked": "booked",
    "checked_in": "arrived",
    "completed": "fulfilled",
    "cancelled": "cancelled",
    "no_show": "noshow",
}

#: Our type codes → v2-0276 (what kind of visit it is).
KINDS = {
    "consultation": ("ROUTINE", "Routine appointment - default if not valued"),
    "patch_application": ("ROUTINE", "Routine appointment - default if not valued"),
    "patch_read": ("CHECKUP", "A routine check-up, such as an annual physical"),
    "session": ("ROUTINE", "Routine appointment - default if not valued"),
    "follow_up": ("FOLLOWUP", "A follow up visit from a previous appointment"),
}


def service_type(code: str, display: str) -> dict:
    """The appointment type as a concept in our own system (what a client books by)."""
    return concept(
        {"system": APPOINTMENT_TYPE_SYSTEM, "code": code, "display": display}, text=display
    )


def appointment_kind(code: str) -> dict:
    kind, display = KINDS.get(code, KINDS["consultation"])
    return concept({"system": V2_0276, "code": kind, "display": display})


def _participant(actor: dict, type_code: str | None = None) -> dict:
    """A participant who takes part as booked. Only the practitioner gets a `type` (PPRF, the
    primary performer, from the extensible encounter-participant-type set): none there fits a
    patient or a place, and the actor says what they are."""
    item = {"actor": actor, "required": "required", "status": "accepted"}
    if type_code:
        item["type"] = [concept({"system": PARTICIPANT_TYPE, "code": type_code})]
    return item


def appointment_resource(appointment) -> dict:
    """`appointment` with type, series (for the course) selected."""
    kind = appointment.type
    participants = [_participant(reference("Patient", appointment.patient_id))]
    if appointment.practitioner_id:
        participants.append(
            _participant(reference("Practitioner", appointment.practitioner_id), "PPRF")
        )
    participants.append(_participant(reference("Location", appointment.clinic_id)))
    course_id = appointment.series.course_id if appointment.series_id else None
    cancelled = appointment.status == "cancelled"
    minutes = int((appointment.ends_at - appointment.starts_at).total_seconds() // 60)
    return drop_empty(
        {
            "resourceType": "Appointment",
            "id": str(appointment.pk),
            "meta": meta(appointment.updated_at),
            "status": STATUSES[appointment.status],
            "cancelationReason": (
                {"text": appointment.cancel_reason}
                if cancelled and appointment.cancel_reason
                else None
            ),
            "serviceType": [service_type(kind.code, kind.get_code_display())],
            "appointmentType": appointment_kind(kind.code),
            "description": appointment.label,
            "supportingInformation": [reference("CarePlan", course_id)] if course_id else [],
            "start": instant(appointment.starts_at),
            "end": instant(appointment.ends_at),
            "minutesDuration": minutes,
            "created": instant(appointment.booked_at),
            "participant": participants,
        }
    )


def schedule_resource(membership, *, horizon_start: datetime, horizon_end: datetime) -> dict:
    """`membership` (a practitioner's at a clinic) with its user's practitioner selected."""
    return drop_empty(
        {
            "resourceType": "Schedule",
            "id": str(membership.pk),
            "meta": meta(horizon_start),
            "active": True,
            "actor": [
                reference("Practitioner", membership.user.practitioner.pk),
                reference("Location", membership.clinic_id),
            ],
            "planningHorizon": {"start": instant(horizon_start), "end": instant(horizon_end)},
        }
    )


@dataclass(frozen=True)
class SlotKey:
    """What a Slot id names: the schedule, the appointment type (its id) and the start (UTC,
    to the minute)."""

    schedule: int
    type_id: int
    start: datetime

    @property
    def ident(self) -> str:
        return f"{self.schedule}-{self.type_id}-{self.start.astimezone(UTC):%Y%m%d%H%M}"


_SLOT_ID = re.compile(r"(\d{1,18})-(\d{1,18})-(\d{12})")


def parse_slot_id(ident: str) -> SlotKey | None:
    """The key a Slot id names, or None when it is not one this server gives."""
    match = _SLOT_ID.fullmatch(ident)
    if not match:
        return None
    try:
        start = datetime.strptime(match.group(3), "%Y%m%d%H%M").replace(tzinfo=UTC)
    except ValueError:
        return None
    return SlotKey(int(match.group(1)), int(match.group(2)), start)


def slot_resource(key: SlotKey, *, end: datetime, code: str, display: str) -> dict:
    """A free slot. No `meta`: it is computed when asked, not a stored version."""
    return {
        "resourceType": "Slot",
        "id": key.ident,
        "serviceType": [service_type(code, display)],
        "appointmentType": appointment_kind(code),
        "schedule": reference("Schedule", key.schedule),
        "status": "free",
        "start": instant(key.start),
        "end": instant(end),
    }
