"""The clinic directory: Organization and Location (a clinic is both: the legal unit and the
place), Practitioner and PractitionerRole. Pure."""

from mesoclinic.fhir.mapping.common import CLINIC_SYSTEM, drop_empty, meta


def organization_resource(clinic) -> dict:
    telecom = [{"system": "phone", "value": clinic.phone, "use": "work"}]
    if clinic.email:
        telecom.append({"system": "email", "value": clinic.email, "use": "work"})
    return drop_empty(
        {
            "resourceType": "Organization",
            "id": str(clinic.pk),
            "meta": meta(clinic.updated_at),
            "identifier": [{"system": CLINIC_SYSTEM, "value": clinic.slug}],
            "active": clinic.is_active,
            "type": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/organization-type",
                            "code": "prov",
                            "display": "Healthcare Provider",
                        }
                    ]
                }
            ],
            "name": clinic.name,
            "telecom": telecom,
            "address": [
                {"use": "work", "text": clinic.address, "city": clinic.city, "country": "PK"}
            ],
        }
    )
