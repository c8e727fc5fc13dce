"""Patient: read and search through the patients' own scoped queryset (receptionists included:
who a patient is and how to reach them is not clinical)."""

from django.db.models import Q

from mesoclinic.core.phones import normalize_mobile
from mesoclinic.core.text import InvalidIdentifier
from mesoclinic.fhir import filters
from mesoclinic.fhir.mapping.common import CNIC_SYSTEM, MRN_SYSTEM
from mesoclinic.fhir.mapping.directory import organization_resource
from mesoclinic.fhir.mapping.patient import GENDERS, patient_resource
from mesoclinic.fhir.registry import ResourceType, SearchParam, Source, nothing, register
from mesoclinic.fhir.resources.directory import visible_clinics
from mesoclinic.fhir.resources.patient_writes import create_patient, update_patient
from mesoclinic.patients.identifiers import normalize_cnic
from mesoclinic.patients.models import Patient

SP = "http://hl7.org/fhir/SearchParameter/"


def visible_patients(user):
    return Patient.objects.for_user(user)


def archived_patients(user):
    """Archived patients of the user's clinics: a read of one answers 410 Gone, not 404."""
    return Patient.objects.for_user(user, archived=True).filter(archived_at__isnull=False)


def _identifier(system: str | None, code: str) -> Q:
    if system == CNIC_SYSTEM:
        try:
            return Q(cnic=normalize_cnic(code))
        except InvalidIdentifier:
            return nothing()
    if system == MRN_SYSTEM:
        return Q(mrn=code)
    if system is None:
        return Q(mrn=code) | Q(cnic=code)
    return nothing()


def _phone(system: str | None, code: str) -> Q:
    try:
        return Q(mobile=normalize_mobile(code))
    except InvalidIdentifier:
        return nothing()


def include_organizations(user, rows) -> list[dict]:
    """Patient:organization, the clinics the page's patients are registered at (one query)."""
    ids = {row.registered_clinic_id for row in rows}
    return [organization_resource(clinic) for clinic in visible_clinics(user).filter(pk__in=ids)]


PATIENT = register(
    ResourceType(
        name="Patient",
        documentation=(
            "The chain's patients, by the clinic they are registered at. Create and update "
            "run the staff pages' checks and duplicate search: a malformed resource is 400, "
            "one our rules refuse 422 (every problem named), a patient already registered "
            "409. managingOrganization chooses the clinic (one of yours; left out, your only "
            "one) and never changes."
        ),
        create=create_patient,
        update=update_patient,
        includes={"Patient:organization": include_organizations},
        sources=(
            Source(
                queryset=visible_patients,
                to_resource=patient_resource,
                gone=archived_patients,
                patient="id",
                clinic="registered_clinic_id",
                filters={
                    "identifier": filters.token(_identifier),
                    "name": filters.string("first_name", "last_name", "name_ur"),
                    "family": filters.string("last_name"),
                    "given": filters.string("first_name"),
                    "birthdate": filters.date("date_of_birth", is_datetime=False),
                    "gender": filters.exact("sex", choices={v: k for k, v in GENDERS.items()}),
                    "phone": filters.token(_phone),
                    "organization": filters.reference("registered_clinic_id", "Organization"),
                },
            ),
        ),
        params=(
            SearchParam(
                "identifier",
                "token",
                f"MRN ({MRN_SYSTEM}) or CNIC ({CNIC_SYSTEM}, 13 digits).",
                SP + "Patient-identifier",
            ),
            SearchParam("name", "string", "Any part of the name.", SP + "Patient-name"),
            SearchParam("family", "string", "Family name.", SP + "individual-family"),
            SearchParam("given", "string", "Given name.", SP + "individual-given"),
            SearchParam("birthdate", "date", "Date of birth.", SP + "individual-birthdate"),
            SearchParam("gender", "token", "female, male or other.", SP + "individual-gender"),
            SearchParam("phone", "token", "Mobile number.", SP + "individual-phone"),
            SearchParam(
                "organization",
                "reference",
                "The clinic the patient is registered at.",
                SP + "Patient-organization",
            ),
        ),
    )
)
