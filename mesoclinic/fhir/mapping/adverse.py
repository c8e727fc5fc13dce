"""AdverseEvent (http://hl7.org/fhir/R4/adverseevent.html) from our adverse event. Pure.

R4's severity has three codes (mild, moderate, severe) where the clinic grades with CTCAE v5
(1–5, CLINICAL.md), so the grade itself travels in an extension and severity is derived from
it: 1 mild, 2 moderate, 3–5 severe (grade 3 is "severe or medically significant"; 4 and 5 are
worse still). Seriousness (an example binding) is "Serious" from grade 3 up, or when the event
was fatal: CTCAE grade 3 names hospitalisation and disability, ICH's criteria for a serious
event; below that it is "Non-serious". An event not yet graded has neither.

The suspects are the session it followed (its Procedure) and each product and lot given in it
(its MedicationAdministrations): the lot is what a recall traces."""

from mesoclinic.fhir.mapping.common import (
    BASE,
    CODE_SYSTEM,
    EXTENSION,
    coding,
    concept,
    drop_empty,
    instant,
    meta,
    reference,
)

CTCAE_GRADE = f"{EXTENSION}/ctcae-grade"  # valueInteger, 1–5 (CTCAE v5.0)
EVENT_SYSTEM = f"{BASE}/sid/adverse-event"  # "AE-12", how the clinic's pages name an event
EFFECT_SYSTEM = f"{CODE_SYSTEM}/side-effect"  # aftercare.vocabulary.EFFECTS
SEVERITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
SERIOUSNESS_SYSTEM = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"
OUTCOME_SYSTEM = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"

SEVERITIES = {"mild": (1,), "moderate": (2,), "severe": (3, 4, 5)}
SERIOUS_FROM_GRADE = 3
OUTCOME_DISPLAYS = {
    "resolved": "Resolved",
    "recovering": "Recovering",
    "ongoing": "Ongoing",
    "resolvedWithSequelae": "Resolved with Sequelae",
    "fatal": "Fatal",
    "unknown": "Unknown",
}


def severity_of(grade: int | None) -> str | None:
    """The R4 severity of a CTCAE grade: 1 mild, 2 moderate, 3–5 severe; None ungraded."""
    for code, grades in SEVERITIES.items():
        if grade in grades:
            return code
    return None


def seriousness_of(grade: int | None, outcome: str) -> str | None:
    """ "Serious" from grade 3 or when fatal, "Non-serious" for grades 1–2, None ungraded."""
    if outcome == "fatal" or (grade is not None and grade >= SERIOUS_FROM_GRADE):
        return "Serious"
    if grade is not None:
        return "Non-serious"
    return None


def _words(code: str) -> str:
    """A side-effect code as words ("pain_burning" → "Pain burning")."""
    return code.replace("_", " ").capitalize()


def adverse_event_resource(event) -> dict:
    """`event.session.products` prefetched (the lots given in the session)."""
    severity = severity_of(event.grade)
    seriousness = seriousness_of(event.grade, event.outcome)
    # An open event is still being followed: "ongoing" until it is closed with its outcome.
    outcome = event.outcome if event.status == "closed" and event.outcome else "ongoing"
    suspects = [{"instance": reference("Procedure", event.session_id)}]
    suspects += [
        {"instance": reference("MedicationAdministration", line.pk)}
        for line in event.session.products.all()
    ]
    resource = {
        "resourceType": "AdverseEvent",
        "id": str(event.pk),
        "meta": meta(event.updated_at),
        "extension": ([{"url": CTCAE_GRADE, "valueInteger": event.grade}] if event.grade else []),
        "identifier": {"system": EVENT_SYSTEM, "value": f"AE-{event.pk}"},
        "actuality": "actual",
        # One effect is a coded event; several are one event described in words (codings in
        # one CodeableConcept would claim they mean the same thing).
        "event": concept(
            *(
                coding(EFFECT_SYSTEM, code, _words(code))
                for code in event.effects
                if len(event.effects) == 1
            ),
            text="; ".join(_words(code) for code in event.effects) or "Harm after a session",
        ),
        "subject": reference("Patient", event.patient_id),
        "date": instant(event.opened_at),
        "detected": instant(event.opened_at),
        "recordedDate": instant(event.opened_at),
        "recorder": (reference("Patient", event.patient_id) if event.source == "patient" else None),
        "seriousness": (
            concept(coding(SERIOUSNESS_SYSTEM, seriousness, seriousness)) if seriousness else None
        ),
        "severity": (
            concept(coding(SEVERITY_SYSTEM, severity, severity.capitalize())) if severity else None
        ),
        "outcome": concept(coding(OUTCOME_SYSTEM, outcome, OUTCOME_DISPLAYS[outcome])),
        "contributor": (
            [reference("Practitioner", event.dermatologist_id)] if event.dermatologist_id else []
        ),
        "suspectEntity": suspects,
    }
    return drop_empty(resource)
