"""A clinic as a Group: the patients registered there, the group a Group-level bulk export
(`Group/<clinic id>/$export`) names. Pure.

Only what the export needs is said: the members are not listed (an export of the group is the
way to read them), so `quantity` and `member` are left out."""

from mesoclinic.fhir.mapping.common import CLINIC_SYSTEM, drop_empty, meta, reference


def group_resource(clinic) -> dict:
    return drop_empty(
        {
            "resourceType": "Group",
            "id": str(clinic.pk),
            "meta": meta(clinic.updated_at),
            "identifier": [{"system": CLINIC_SYSTEM, "value": clinic.slug}],
            "active": clinic.is_active,
            "type": "person",
            "actual": True,
            "name": f"Patients of {clinic.name}",
            "managingEntity": reference("Organization", clinic.pk),
        }
    )
