"""POST /Appointment: a booking through `appointments.services.book`, the service the booking
page and the JSON API call, so it is refused for the same reasons (the clinic closed, the time
taken, outside hours, leave, an archived patient, an uncredentialed practitioner ...), each
named in the OperationOutcome with its code in REFUSAL_SYSTEM: 409 when the time is taken,
422 otherwise. Only roles that book on the pages (the schedule kind) may create.

What the resource names: a Patient participant (required), a Practitioner participant
(optional when the type needs nobody in particular, or the service picks the first free one),
the clinic as a Location participant, `start`, and the type as a code of
APPOINTMENT_TYPE_SYSTEM in `serviceType` (or `appointmentType`). A `slot` reference
(Slot/<id>) gives the practitioner, the clinic, the type and the start at once; anything also
given must agree with it. `end`, if given, must be `start` plus the type's duration."""

from datetime import datetime, timedelta

from django.utils import timezone

from mesoclinic.appointments import selectors as appointment_selectors
from mesoclinic.appointments import services
from mesoclinic.appointments.models import AppointmentType
from mesoclinic.audit.services import Interface
from mesoclinic.clinics import scoping
from mesoclinic.clinics.models import Clinic, Membership, Practitioner
from mesoclinic.fhir.mapping.scheduling import (
    APPOINTMENT_TYPE_SYSTEM,
    REFUSAL_SYSTEM,
    parse_slot_id,
)
from mesoclinic.fhir.outcome import FhirError, forbidden, invalid, issue, unprocessable
from mesoclinic.patients.models import Patient

#: The statuses a new booking may be sent with: it is booked at once.
NEW_STATUSES = (None, "booked", "proposed", "pending")


def _refuse(diagnostics: str, *, expression: str = "", code: str = "business-rule"):
    return unprocessable([issue(code, diagnostics, expression=[expression] if expression else ())])


def refused_outcome(refused: services.BookingRefused) -> FhirError:
    """Every reason the service gave, each an issue with its refusal code."""
    issues = []
    for refusal in refused.refusals:
        item = issue("conflict" if refused.clash else "business-rule", refusal.message)
        item["details"] = {
            "coding": [{"system": REFUSAL_SYSTEM, "code": refusal.code}],
            "text": refusal.message,
        }
        issues.append(item)
    return FhirError(409 if refused.clash else 422, issues)


def _participants(body: dict) -> dict[str, str]:
    """{"Patient": "12", "Practitioner": "3", "Location": "1"} from the participants' actors."""
    found: dict[str, str] = {}
    participants = body.get("participant")
    if not isinstance(participants, list) or not participants:
        raise invalid(
            "An Appointment needs its participants.", expression=["Appointment.participant"]
        )
    for index, participant in enumerate(participants):
        actor = participant.get("actor") if isinstance(participant, dict) else None
        reference = actor.get("reference") if isinstance(actor, dict) else None
        where = f"Appointment.participant[{index}].actor"
        if not isinstance(reference, str):
            raise invalid("Each participant needs an actor reference.", expression=[where])
        parts = reference.rstrip("/").split("/")
        if len(parts) < 2 or parts[-2] not in ("Patient", "Practitioner", "Location"):
            raise _refuse(
                "Participants here are one Patient, one Practitioner and the clinic's Location.",
                expression=where,
            )
        if parts[-2] in found:
            raise _refuse(f"Name one {parts[-2]} participant.", expression=where)
        found[parts[-2]] = parts[-1]
    return found


def _number(value: str | None) -> int | None:
    return (
        int(value) if value and value.isascii() and value.isdigit() and len(value) <= 18 else None
    )


def _type_code(body: dict) -> str | None:
    services_ = body.get("serviceType")
    concepts = [*(services_ if isinstance(services_, list) else []), body.get("appointmentType")]
    for concept in concepts:
        codings = concept.get("coding") if isinstance(concept, dict) else None
        for coding in codings if isinstance(codings, list) else []:
            if isinstance(coding, dict) and coding.get("system") == APPOINTMENT_TYPE_SYSTEM:
                code = coding.get("code")
                return code if isinstance(code, str) else None
    return None


def _instant(body: dict, name: str) -> datetime | None:
    value = body.get(name)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or timezone.is_naive(moment):
        raise invalid(
            f"{name} must be a FHIR instant with its time zone.", expression=[f"Appointment.{name}"]
        )
    return moment


def _slot(user, body: dict):
    """The Slot the body names: (its schedule's membership, its type id, its start) or None."""
    refs = body.get("slot") or []
    if not refs:
        return None
    if not isinstance(refs, list) or len(refs) != 1 or not isinstance(refs[0], dict):
        raise _refuse("Name one Slot.", expression="Appointment.slot")
    reference = str(refs[0].get("reference", ""))
    key = parse_slot_id(reference.rstrip("/").rpartition("/")[2])
    membership = None
    if key is not None and reference.rstrip("/").split("/")[-2:-1] in (["Slot"], []):
        membership = (
            scoping.restrict(
                Membership.objects.all(), user, scoping.Kind.SCHEDULE, clinic="clinic_id"
            )
            .filter(pk=key.schedule, user__practitioner__isnull=False)
            .first()
        )
    if membership is None:
        raise _refuse(
            f"The slot {reference!r} is not one of this server's.", expression="Appointment.slot"
        )
    return membership, key


def _agree(given, from_slot, what: str):
    if given is not None and from_slot is not None and given != from_slot:
        raise _refuse(f"The {what} differs from the slot's.")
    return given if given is not None else from_slot


def create_appointment(user, body: dict):
    if not scoping.reaches(user, scoping.Kind.SCHEDULE):
        raise forbidden("Your role does not book appointments.")
    if body.get("status") not in NEW_STATUSES:
        raise _refuse(
            "A new appointment is booked: send status booked (or proposed, pending).",
            expression="Appointment.status",
        )
    actors = _participants(body)
    slot = _slot(user, body)
    membership, key = slot if slot else (None, None)

    clinic_id = _agree(
        _number(actors.get("Location")) if "Location" in actors else None,
        membership.clinic_id if membership else None,
        "clinic",
    )
    practitioner_id = _agree(
        _number(actors.get("Practitioner")) if "Practitioner" in actors else None,
        membership.user.practitioner.pk if membership else None,
        "practitioner",
    )
    clinics = scoping.restrict(
        Clinic.objects.filter(is_active=True), user, scoping.Kind.SCHEDULE, clinic="pk"
    )
    if clinic_id is None and practitioner_id is not None:
        at = list(clinics.filter(memberships__user__practitioner__id=practitioner_id)[:2])
        clinic_id = at[0].pk if len(at) == 1 else None
    clinic = clinics.filter(pk=clinic_id).first() if clinic_id else None
    if clinic is None:
        raise _refuse(
            "Name the clinic as a Location participant (Location/<id>) of a clinic you book at.",
            expression="Appointment.participant",
        )

    patient_id = _number(actors.get("Patient"))
    # Archived patients included: the service refuses them, naming why (as on the pages).
    patient = Patient.objects.for_user(user, archived=True).filter(pk=patient_id).first()
    if patient is None:
        raise _refuse(
            "Name a Patient you may see as a participant.", expression="Appointment.participant"
        )

    practitioner = None
    if practitioner_id is not None or "Practitioner" in actors:
        practitioner = (
            Practitioner.objects.filter(pk=practitioner_id, user__memberships__clinic_id=clinic.pk)
            .select_related("user")
            .first()
        )
        if practitioner is None:
            raise _refuse(
                "No practitioner of this clinic has that id.", expression="Appointment.participant"
            )

    code = _type_code(body)
    appointment_type = appointment_selectors.type_of(clinic.pk, code) if code else None
    if key is not None:
        slot_type = AppointmentType.objects.filter(pk=key.type_id, clinic_id=clinic.pk).first()
        if slot_type is None or (appointment_type and appointment_type.pk != slot_type.pk):
            raise _refuse("The appointment type differs from the slot's.")
        appointment_type = slot_type
    if appointment_type is None:
        raise _refuse(
            f"Name the appointment type as a serviceType code of {APPOINTMENT_TYPE_SYSTEM} "
            "that this clinic books.",
            expression="Appointment.serviceType",
        )

    start = _agree(_instant(body, "start"), key.start if key else None, "start")
    if start is None:
        raise _refuse("Give the start (or a Slot).", expression="Appointment.start")
    end = _instant(body, "end")
    if end is not None and end != start + timedelta(minutes=appointment_type.duration_minutes):
        raise _refuse(
            f"A {appointment_type.get_code_display()} here lasts "
            f"{appointment_type.duration_minutes} minutes: end must be start plus that.",
            expression="Appointment.end",
        )
    try:
        return services.book(
            acting_user=user,
            clinic=clinic,
            appointment_type=appointment_type,
            start=start,
            patient=patient,
            practitioner=practitioner,
            via=Interface.FHIR,
        )
    except services.BookingRefused as refused:
        raise refused_outcome(refused) from None
