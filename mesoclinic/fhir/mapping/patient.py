"""Patient (http://hl7.org/fhir/R4/patient.html) from our Patient. Pure.

Identifiers: the MRN (type MR) and, when known, the CNIC (type NI, 13 digits), under the
systems in common.py. An archived patient is `active: false`; staff cannot read them at all."""

from mesoclinic.fhir.mapping.common import (
    CNIC_SYSTEM,
    MRN_SYSTEM,
    coding,
    concept,
    day,
    drop_empty,
    meta,
    reference,
)

V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
LANGUAGE_SYSTEM = "urn:ietf:bcp:47"
#: Our sex values are FHIR's AdministrativeGender codes; "unknown" is FHIR's own fourth code.
GENDERS = {"female": "female", "male": "male", "other": "other"}
LANGUAGES = {"en": "English", "ur": "Urdu"}


def patient_resource(patient) -> dict:
    identifiers = []
    if patient.mrn:
        identifiers.append(
            {
                "use": "usual",
                "type": concept(coding(V2_0203, "MR", "Medical record number")),
                "system": MRN_SYSTEM,
                "value": patient.mrn,
            }
        )
    if patient.cnic:
        identifiers.append(
            {
                "use": "official",
                "type": concept(coding(V2_0203, "NI", "National unique individual identifier")),
                "system": CNIC_SYSTEM,
                "value": patient.cnic,
            }
        )
    names = [{"use": "official", "family": patient.last_name, "given": [patient.first_name]}]
    if patient.name_ur:
        names.append({"use": "usual", "text": patient.name_ur})
    telecom = [{"system": "phone", "value": patient.mobile, "use": "mobile", "rank": 1}]
    if patient.email:
        telecom.append({"system": "email", "value": patient.email})
    contact = []
    if patient.emergency_contact_name or patient.emergency_contact_phone:
        contact.append(
            {
                "relationship": [
                    concept(
                        coding("http://terminology.hl7.org/CodeSystem/v2-0131", "C"),
                        text=patient.emergency_contact_relation or "Emergency contact",
                    )
                ],
                "name": {"text": patient.emergency_contact_name},
                "telecom": [{"system": "phone", "value": patient.emergency_contact_phone}],
            }
        )
    resource = {
        "resourceType": "Patient",
        "id": str(patient.pk),
        "meta": meta(patient.updated_at),
        "identifier": identifiers,
        "active": patient.archived_at is None,
        "name": names,
        "telecom": telecom,
        "gender": GENDERS.get(patient.sex, "unknown"),
        "birthDate": day(patient.date_of_birth),
        "contact": contact,
        "communication": [
            {
                "language": concept(
                    coding(
                        LANGUAGE_SYSTEM,
                        patient.preferred_language,
                        LANGUAGES.get(patient.preferred_language),
                    )
                ),
                "preferred": True,
            }
        ],
        "managingOrganization": reference("Organization", patient.registered_clinic_id),
    }
    return drop_empty(resource)
