"""The treatment record as FHIR R4: a course is a CarePlan, a charted session a Procedure, each
product and lot given in it a MedicationAdministration. Pure: rows in (duck-typed, with what
resources/treatment.py selects and prefetches), dicts out.

A charted session is never edited (new facts are a new record), so a Procedure and its
MedicationAdministrations are versioned by the time the session was entered; a course changes
(status, dates, plan) and carries its own `updated_at`."""

from decimal import Decimal

from mesoclinic.fhir.mapping.common import (
    BASE,
    CODE_SYSTEM,
    SNOMED,
    UCUM,
    coding,
    concept,
    day,
    drop_empty,
    instant,
    meta,
    reference,
)

PRODUCT_SYSTEM = f"{CODE_SYSTEM}/product"  # a formulary product, by our id
INGREDIENT_SYSTEM = f"{CODE_SYSTEM}/ingredient"  # an active substance, by its screening code
ZONE_SYSTEM = f"{CODE_SYSTEM}/zone"  # the treatment maps' zones (care/zones.py)
TECHNIQUE_SYSTEM = f"{CODE_SYSTEM}/technique"  # a protocol's injection technique
DRAP_SYSTEM = f"{BASE}/sid/drap-registration"  # as printed on the pack

#: SNOMED CT 372464004 "Intradermal route", in the R4 example value set
#: http://hl7.org/fhir/ValueSet/route-codes (descendants of 284009009 Route of administration).
INTRADERMAL = coding(SNOMED, "372464004", "Intradermal route")

#: Course.status → CarePlan.status (required binding: RequestStatus). A paused course is
#: "on-hold" (it may resume); a cancelled one "revoked" (ended before it was done).
CARE_PLAN_STATUS = {
    "active": "active",
    "paused": "on-hold",
    "completed": "completed",
    "cancelled": "revoked",
}
#: The course's status as the status of what it still plans (CarePlanActivityStatus).
ACTIVITY_STATUS = {
    "active": "in-progress",
    "paused": "on-hold",
    "completed": "completed",
    "cancelled": "cancelled",
}
#: A session not yet charted, by the course's status.
PLANNED_SESSION_STATUS = {
    "active": "scheduled",
    "paused": "on-hold",
    "completed": "cancelled",  # a completed course has no session left to give
    "cancelled": "cancelled",
}


def words(code: str) -> str:
    """A stable code as words for a `display` ("cheek_left" → "Cheek left")."""
    return code.replace("_", " ").capitalize()


def quantity_ml(volume: Decimal) -> dict:
    return {"value": _number(volume), "unit": "mL", "system": UCUM, "code": "mL"}


def _number(value: Decimal):
    """A FHIR decimal as JSON: an integer when whole (2.00 → 2), else the decimal as a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def _component_text(component) -> str:
    """The protocol component: its ingredient at its strength, or the named product."""
    protocol_component = component.protocol_component
    if protocol_component.product_id:
        name = protocol_component.product.brand
    else:
        name = protocol_component.ingredient.name
    if protocol_component.concentration is not None and protocol_component.unit:
        name = f"{name} {_number(protocol_component.concentration)} {protocol_component.unit}"
    return name


def _component_concept(component) -> dict:
    protocol_component = component.protocol_component
    if protocol_component.product_id:
        item = coding(
            PRODUCT_SYSTEM, str(protocol_component.product_id), protocol_component.product.brand
        )
    else:
        ingredient = protocol_component.ingredient
        item = coding(INGREDIENT_SYSTEM, ingredient.code, ingredient.name)
    return concept(item, text=_component_text(component))


def care_plan_resource(course) -> dict:
    """A course: its status, the protocol it follows, what it gives at each session (one
    activity per component) and each planned session (charted ones name their Procedure)."""
    charted = {session.number: session.pk for session in course.sessions.all()}
    status = course.status
    activities = []
    for component in course.components.all():
        activities.append(
            {
                "detail": {
                    "kind": "MedicationRequest",
                    "code": concept(text="Intradermal injection, per session"),
                    "status": ACTIVITY_STATUS[status],
                    "productCodeableConcept": _component_concept(component),
                    "quantity": quantity_ml(component.volume_per_session),
                    "description": (
                        f"{_number(component.volume_per_session)} mL per session"
                        + (f" over {component.points} points" if component.points else "")
                    ),
                }
            }
        )
    for number, planned_on in enumerate(course.session_dates, start=1):
        done = charted.get(number)
        activities.append(
            {
                "outcomeReference": [reference("Procedure", done)] if done else [],
                "detail": {
                    "code": concept(text=f"Session {number} of {course.sessions_planned}"),
                    "status": "completed" if done else PLANNED_SESSION_STATUS[status],
                    "scheduledPeriod": {"start": planned_on, "end": planned_on},
                },
            }
        )
    version = course.protocol_version
    notes = []
    if course.status_reason:
        notes.append({"text": f"{words(status)}: {course.status_reason}"})
    resource = {
        "resourceType": "CarePlan",
        "id": str(course.pk),
        "meta": meta(course.updated_at),
        "status": CARE_PLAN_STATUS[status],
        "intent": "plan",
        "title": version.protocol.name,
        "description": (
            f"{version.protocol.name} (protocol version {version.number}) for "
            f"{words(course.indication).lower()}: {course.sessions_planned} sessions every "
            f"{course.interval_days} days, maintenance due {day(course.maintenance_due)}."
        ),
        "subject": reference("Patient", course.patient_id),
        # The consultation's indication is the Condition the course treats (same id).
        "addresses": [reference("Condition", course.consultation_id)]
        if course.consultation_id
        else [],
        "period": {
            "start": day(course.start_date),
            "end": course.session_dates[-1] if course.session_dates else None,
        },
        "created": instant(course.entered_at),
        "activity": activities,
        "note": notes,
    }
    return drop_empty(resource)


def _zones(zone_codes) -> list[dict]:
    return [
        concept(coding(ZONE_SYSTEM, code, words(code)), text=words(code)) for code in zone_codes
    ]


def procedure_resource(session) -> dict:
    """A charted session: who gave it, when, where on the face or body, and how."""
    zones = sorted({code for product in session.products.all() for code in product.zones})
    how = [
        f"{session.points} injection points",
        f"depth: {session.depth}",
        f"needle: {session.needle}",
    ]
    if session.numbing_cream:
        how.append("numbing cream used")
    notes = [{"text": "; ".join(how) + "."}]
    if session.reactions:
        notes.append({"text": f"Immediate reactions: {session.reactions}"})
    if session.override_reason:
        notes.append({"text": f"Dermatologist's reason for an override: {session.override_reason}"})
    resource = {
        "resourceType": "Procedure",
        "id": str(session.pk),
        "meta": meta(session.entered_at),
        "basedOn": [reference("CarePlan", session.course_id)],
        "status": "completed",
        "code": concept(
            coding(TECHNIQUE_SYSTEM, session.technique, words(session.technique)),
            text=f"Mesotherapy session {session.number} ({words(session.technique).lower()})",
        ),
        "subject": reference("Patient", session.patient_id),
        "performedPeriod": {"start": instant(session.started_at), "end": instant(session.ended_at)},
        "performer": [
            {
                "actor": reference("Practitioner", session.practitioner_id),
                "onBehalfOf": reference("Organization", session.clinic_id),
            }
        ],
        "bodySite": _zones(zones),
        "note": notes,
    }
    return drop_empty(resource)


def _medication(lot) -> dict:
    """The product as given, down to the lot: the lot is what a recall traces."""
    product = lot.product
    identifiers = []
    if product.drap_registration:
        identifiers.append({"system": DRAP_SYSTEM, "value": product.drap_registration})
    return {
        "resourceType": "Medication",
        "id": "lot",
        "identifier": identifiers,
        "code": concept(
            coding(PRODUCT_SYSTEM, str(product.pk), product.brand),
            text=f"{product.brand} ({product.manufacturer})",
        ),
        "batch": {"lotNumber": lot.lot_number, "expirationDate": day(lot.expires_on)},
    }


def medication_administration_resource(line) -> dict:
    """One product from one lot given in a session, intradermally, with its volume and zones."""
    session = line.session
    zones = ", ".join(words(code).lower() for code in line.zones)
    resource = {
        "resourceType": "MedicationAdministration",
        "id": str(line.pk),
        "meta": meta(session.entered_at),
        "contained": [_medication(line.lot)],
        "partOf": [reference("Procedure", session.pk)],
        "status": "completed",
        "medicationReference": {"reference": "#lot"},
        "subject": reference("Patient", session.patient_id),
        "effectivePeriod": {"start": instant(session.started_at), "end": instant(session.ended_at)},
        "performer": [{"actor": reference("Practitioner", session.practitioner_id)}],
        "dosage": {
            "text": f"{_number(line.volume)} mL intradermally" + (f" to {zones}" if zones else ""),
            "site": concept(text=zones) if zones else None,
            "route": concept(INTRADERMAL),
            "dose": quantity_ml(line.volume),
        },
    }
    return drop_empty(resource)
