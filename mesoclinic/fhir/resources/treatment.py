"""The treatment record: CarePlan (a course), Procedure (a charted session),
MedicationAdministration (each product and lot given in a session) and AdverseEvent. All are
clinical records: read through the care models' own `for_user` (the one scoping rule: no
receptionist, no archived patient but for administrators), and every read is audited.

Each search page costs a constant number of queries: the rows (one), plus one per prefetch
named beside each queryset."""

from django.db.models import Prefetch, Q

from mesoclinic.care.models import (
    AdverseEvent,
    Course,
    CourseComponent,
    SessionProduct,
    TreatmentSession,
)
from mesoclinic.fhir import filters
from mesoclinic.fhir.mapping.adverse import (
    SERIOUS_FROM_GRADE,
    SEVERITIES,
    adverse_event_resource,
)
from mesoclinic.fhir.mapping.treatment import (
    CARE_PLAN_STATUS,
    care_plan_resource,
    medication_administration_resource,
    procedure_resource,
)
from mesoclinic.fhir.registry import (
    ResourceType,
    SearchParam,
    Source,
    everything,
    nothing,
    register,
)

SP = "http://hl7.org/fhir/SearchParameter/"


def constant(code_wanted: str) -> filters.Filter:
    """A token every row has (Procedure's status is always "completed"): that code matches
    all, any other nothing."""
    return filters.token(lambda _system, code: everything() if code == code_wanted else nothing())


def patient_params(type_name: str, *, subject: bool = True) -> tuple[SearchParam, ...]:
    params = (
        SearchParam("patient", "reference", "The patient (Patient/12).", SP + "clinical-patient"),
    )
    if subject:
        params += (
            SearchParam(
                "subject", "reference", "The patient (Patient/12).", SP + f"{type_name}-subject"
            ),
        )
    return params


# --- CarePlan -----------------------------------------------------------------------------


def visible_courses(user):
    """Courses, with their protocol (joined), components (query 2, with their ingredient or
    product joined) and charted sessions' numbers (query 3)."""
    return (
        Course.objects.for_user(user)
        .select_related("protocol_version__protocol")
        .prefetch_related(
            Prefetch(
                "components",
                queryset=CourseComponent.objects.select_related(
                    "protocol_component__ingredient", "protocol_component__product"
                ),
            ),
            Prefetch(
                "sessions", queryset=TreatmentSession.objects.only("id", "course_id", "number")
            ),
        )
    )


CARE_PLAN = register(
    ResourceType(
        name="CarePlan",
        documentation=(
            "A course of sessions on one approved protocol version: status, components given "
            "each session, and each planned session (charted ones name their Procedure)."
        ),
        sources=(
            Source(
                queryset=visible_courses,
                to_resource=care_plan_resource,
                patient="patient_id",
                clinic="patient__registered_clinic_id",
                filters={
                    "patient": filters.reference("patient_id", "Patient"),
                    "subject": filters.reference("patient_id", "Patient"),
                    "date": filters.date("start_date", is_datetime=False),
                    "status": filters.exact(
                        "status", choices={fhir: ours for ours, fhir in CARE_PLAN_STATUS.items()}
                    ),
                    "intent": constant("plan"),
                },
            ),
        ),
        params=(
            *patient_params("CarePlan"),
            SearchParam(
                "date",
                "date",
                "The course's first session (its period's start).",
                SP + "clinical-date",
            ),
            SearchParam(
                "status",
                "token",
                "active, on-hold (paused), completed or revoked (cancelled).",
                SP + "CarePlan-status",
            ),
            SearchParam("intent", "token", "Always plan.", SP + "CarePlan-intent"),
        ),
    )
)


# --- Procedure ----------------------------------------------------------------------------


def visible_sessions(user):
    """Sessions, with the zones of their products (query 2)."""
    return TreatmentSession.objects.for_user(user).prefetch_related(
        Prefetch("products", queryset=SessionProduct.objects.only("id", "session_id", "zones"))
    )


PROCEDURE = register(
    ResourceType(
        name="Procedure",
        documentation="A charted mesotherapy session, based on its course's CarePlan.",
        sources=(
            Source(
                queryset=visible_sessions,
                to_resource=procedure_resource,
                updated="entered_at",  # a charted session is never edited
                patient="patient_id",
                clinic="patient__registered_clinic_id",
                filters={
                    "patient": filters.reference("patient_id", "Patient"),
                    "subject": filters.reference("patient_id", "Patient"),
                    "date": filters.date("started_at"),
                    "status": constant("completed"),
                    "based-on": filters.reference("course_id", "CarePlan"),
                    "performer": filters.reference("practitioner_id", "Practitioner"),
                },
            ),
        ),
        params=(
            *patient_params("Procedure"),
            SearchParam("date", "date", "When the session started.", SP + "clinical-date"),
            SearchParam("status", "token", "Always completed.", SP + "Procedure-status"),
            SearchParam(
                "based-on", "reference", "The course (CarePlan/7).", SP + "Procedure-based-on"
            ),
            SearchParam(
                "performer",
                "reference",
                "Who gave the session (Practitioner/3).",
                SP + "Procedure-performer",
            ),
        ),
    )
)


# --- MedicationAdministration -------------------------------------------------------------


def visible_lines(user):
    """Each product and lot given in a session the user may see (the sessions' own scoping,
    as a subquery), with the session and the lot's product joined: one query."""
    return SessionProduct.objects.filter(
        session__in=TreatmentSession.objects.for_user(user).values("pk")
    ).select_related("session", "lot__product")


def _lot_number(system: str | None, code: str) -> Q:
    return Q(lot__lot_number=code) if code else nothing()


MEDICATION_ADMINISTRATION = register(
    ResourceType(
        name="MedicationAdministration",
        documentation=(
            "Each product and lot given in a session, intradermally, with its volume (mL); "
            "the product and lot (number, expiry) are a contained Medication."
        ),
        sources=(
            Source(
                queryset=visible_lines,
                to_resource=medication_administration_resource,
                updated="session__entered_at",  # written with the session, never edited
                patient="session__patient_id",
                clinic="session__patient__registered_clinic_id",
                filters={
                    "patient": filters.reference("session__patient_id", "Patient"),
                    "subject": filters.reference("session__patient_id", "Patient"),
                    "effective-time": filters.date("session__started_at"),
                    "status": constant("completed"),
                    "performer": filters.reference("session__practitioner_id", "Practitioner"),
                    "part-of": filters.reference("session_id", "Procedure"),
                    "lot-number": filters.token(_lot_number),
                },
            ),
        ),
        params=(
            *patient_params("MedicationAdministration"),
            SearchParam(
                "effective-time",
                "date",
                "When the session started.",
                SP + "MedicationAdministration-effective-time",
            ),
            SearchParam("status", "token", "Always completed.", SP + "medications-status"),
            SearchParam(
                "performer",
                "reference",
                "Who gave it (Practitioner/3).",
                SP + "MedicationAdministration-performer",
            ),
            SearchParam("part-of", "reference", "The session it was given in (Procedure/5)."),
            SearchParam(
                "lot-number",
                "token",
                "The lot number, exactly as on the pack (a recall's question: who had it?).",
            ),
        ),
    )
)


# --- AdverseEvent -------------------------------------------------------------------------


def visible_events(user):
    """Adverse events, with the products given in their session (query 2: the suspects)."""
    return (
        AdverseEvent.objects.for_user(user)
        .select_related("session")
        .prefetch_related(
            Prefetch("session__products", queryset=SessionProduct.objects.only("id", "session_id"))
        )
    )


def _seriousness(system: str | None, code: str) -> Q:
    serious = Q(grade__gte=SERIOUS_FROM_GRADE) | Q(outcome="fatal")
    if code == "Serious":
        return serious
    if code == "Non-serious":
        return Q(grade__isnull=False) & ~serious
    return nothing()


def _severity(system: str | None, code: str) -> Q:
    return Q(grade__in=SEVERITIES[code]) if code in SEVERITIES else nothing()


ADVERSE_EVENT = register(
    ResourceType(
        name="AdverseEvent",
        documentation=(
            "A harm after a session, followed to its end. Severity is derived from the CTCAE "
            "v5 grade (1 mild, 2 moderate, 3-5 severe), which itself is the extension "
            "https://fhir.mesoclinic.pk/StructureDefinition/ctcae-grade (valueInteger)."
        ),
        sources=(
            Source(
                queryset=visible_events,
                to_resource=adverse_event_resource,
                patient="patient_id",
                clinic="patient__registered_clinic_id",
                filters={
                    "patient": filters.reference("patient_id", "Patient"),
                    "subject": filters.reference("patient_id", "Patient"),
                    "date": filters.date("opened_at"),
                    "seriousness": filters.token(_seriousness),
                    "severity": filters.token(_severity),
                    "actuality": constant("actual"),
                },
            ),
        ),
        params=(
            SearchParam("patient", "reference", "The patient (Patient/12)."),
            SearchParam(
                "subject", "reference", "The patient (Patient/12).", SP + "AdverseEvent-subject"
            ),
            SearchParam("date", "date", "When it was opened.", SP + "AdverseEvent-date"),
            SearchParam(
                "seriousness",
                "token",
                "Serious (CTCAE grade 3 or more, or fatal) or Non-serious (grade 1-2).",
                SP + "AdverseEvent-seriousness",
            ),
            SearchParam(
                "severity",
                "token",
                "mild (grade 1), moderate (grade 2) or severe (grades 3-5).",
                SP + "AdverseEvent-severity",
            ),
            SearchParam("actuality", "token", "Always actual.", SP + "AdverseEvent-actuality"),
        ),
    )
)
