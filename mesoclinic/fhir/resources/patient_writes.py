"""Patient create and update over FHIR: the resource read by mapping/patient_input.py, checked
by the patients app's own field rules, written by the same services as the staff pages
(`register_patient`, `update_patient`, via=Interface.FHIR), so a FHIR client cannot store what
a clerk could not.

Statuses: a malformed resource 400; a well-formed one our rules refuse 422, every problem in
one OperationOutcome naming its element; a patient already registered (same CNIC, or same name,
birth date and mobile: the services' duplicate check) 409, naming the elements that collide.
Who may write is the pages' rule (any staff member; a read-only token reads only), applied by
the views' DRF permissions before this runs."""

from django.core.exceptions import ValidationError
from django.utils import translation

from mesoclinic.audit.services import Interface
from mesoclinic.clinics.selectors import clinics_for_user
from mesoclinic.core import validation as shared_validation
from mesoclinic.fhir.mapping.patient_input import PatientInput, read_patient
from mesoclinic.fhir.outcome import FhirError, issue, unprocessable
from mesoclinic.patients import services, validation
from mesoclinic.patients.models import Patient

VIA = Interface.FHIR


def _max_length(name: str) -> int:
    return Patient._meta.get_field(name).max_length


def _email(value: str) -> str:
    if value:
        Patient._meta.get_field("email").run_validators(value)  # the address and its length
    return value


#: Each field's check, from the patients app (the same the staff form and the API run).
CLEANERS = {
    "first_name": lambda v: validation.clean_name(v, _max_length("first_name")),
    "last_name": lambda v: validation.clean_name(v, _max_length("last_name")),
    "name_ur": lambda v: validation.clean_name(v, _max_length("name_ur")),
    "mobile": shared_validation.clean_mobile,
    "email": _email,
    "date_of_birth": validation.clean_date_of_birth,
    "emergency_contact_name": lambda v: validation.clean_name(
        v, _max_length("emergency_contact_name")
    ),
    "emergency_contact_relation": lambda v: validation.clean_name(
        v, _max_length("emergency_contact_relation")
    ),
    "emergency_contact_phone": shared_validation.clean_optional_phone,
}


def _validated(resource: dict) -> PatientInput:
    """The resource's fields, cleaned; every problem raised together (400 or 422)."""
    found = read_patient(resource)
    issues = [
        issue(problem.code, problem.diagnostics, expression=[problem.expression])
        for problem in found.problems
    ]
    for name, clean in CLEANERS.items():
        if name not in found.fields:
            continue
        try:
            found.fields[name] = clean(found.fields[name])
        except ValidationError as refused:
            path = found.paths.get(name, "Patient")
            issues += [issue("value", message, expression=[path]) for message in refused.messages]
    if issues:
        raise FhirError(found.status if found.problems else 422, issues)
    return found


def _duplicate(refused: ValidationError, found: PatientInput) -> FhirError:
    """The services refuse only duplicates (and the race past their check): a 409 naming the
    elements that collide: the CNIC, or the name, birth date and mobile together."""
    paths = {
        "cnic": [found.paths.get("cnic", "Patient.identifier")],
        "__all__": [
            found.paths.get("first_name", "Patient.name"),
            "Patient.birthDate",
            found.paths.get("mobile", "Patient.telecom"),
        ],
    }
    issues = []
    for name, messages in refused.message_dict.items():
        issues += [
            issue("duplicate", message, expression=paths.get(name, ["Patient"]))
            for message in messages
        ]
    return FhirError(409, issues)


def _clinic(user, found: PatientInput):
    """The clinic a new patient joins: managingOrganization, which must be one of the user's
    (active) clinics, or the user's only clinic when it is left out."""
    clinics = clinics_for_user(user)
    if found.organization is not None:
        clinic = None
        if (
            found.organization.isascii()
            and found.organization.isdigit()
            and len(found.organization) <= 18
        ):
            clinic = clinics.filter(pk=int(found.organization)).first()
        if clinic is None:
            raise unprocessable(
                [
                    issue(
                        "business-rule",
                        f"Organization/{found.organization} is not a clinic you work at: a "
                        "patient is registered at one of your clinics.",
                        expression=["Patient.managingOrganization"],
                    )
                ]
            )
        return clinic
    mine = list(clinics[:2])
    if len(mine) != 1:
        raise unprocessable(
            [
                issue(
                    "required",
                    "Say which clinic registers the patient: managingOrganization "
                    "(Organization/<id>), one of the clinics you work at.",
                    expression=["Patient.managingOrganization"],
                )
            ]
        )
    return mine[0]


def create_patient(user, resource: dict) -> Patient:
    with translation.override("en"):  # OperationOutcome diagnostics are in English
        found = _validated(resource)
        clinic = _clinic(user, found)
        try:
            return services.register_patient(
                acting_user=user, via=VIA, clinic=clinic, data=found.fields
            )
        except ValidationError as refused:
            raise _duplicate(refused, found) from None


def update_patient(user, patient: Patient, resource: dict) -> Patient:
    """PUT replaces the patient's details with the resource's: an element left out (a CNIC, an
    e-mail, the emergency contact) is cleared, as FHIR's update means. The registering clinic
    is fixed once registered."""
    with translation.override("en"):
        found = _validated(resource)
        clinic = patient.registered_clinic_id
        if found.organization is not None and found.organization != str(clinic):
            raise unprocessable(
                [
                    issue(
                        "business-rule",
                        "The clinic that registered a patient does not change: "
                        f"managingOrganization must stay Organization/{clinic}.",
                        expression=["Patient.managingOrganization"],
                    )
                ]
            )
        try:
            services.update_patient(acting_user=user, via=VIA, patient=patient, data=found.fields)
        except ValidationError as refused:
            raise _duplicate(refused, found) from None
        return patient
