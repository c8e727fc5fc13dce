"""Group: each clinic as the group of its patients, so `Group/<id>/$export` names a resource
the server has (the CapabilityStatement lists the group-export operation on it). Read and search
only; not patient data, so not audited (as Organization)."""

from mesoclinic.fhir import filters
from mesoclinic.fhir.mapping.group import group_resource
from mesoclinic.fhir.registry import ResourceType, SearchParam, Source, register
from mesoclinic.fhir.resources.directory import visible_clinics

GROUP = register(
    ResourceType(
        name="Group",
        documentation=(
            "Each clinic as the group of the patients registered there (members not listed: "
            "export the group to read them)."
        ),
        audited=False,
        sources=(
            Source(
                queryset=visible_clinics,
                to_resource=group_resource,
                clinic="id",
                filters={"name": filters.string("name")},
            ),
        ),
        params=(SearchParam("name", "string", "The clinic's name."),),
    )
)
