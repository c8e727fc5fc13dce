"""The clinic directory: Organization (and, from the directory slice, Location, Practitioner,
PractitionerRole). Not patient data: reads are not audited, as the JSON API's are not."""

from mesoclinic.clinics import scoping
from mesoclinic.clinics.models import Clinic
from mesoclinic.fhir import filters
from mesoclinic.fhir.mapping.directory import organization_resource
from mesoclinic.fhir.registry import ResourceType, SearchParam, Source, register

SP = "http://hl7.org/fhir/SearchParameter/"


def visible_clinics(user):
    return scoping.restrict(Clinic.objects.all(), user, scoping.Kind.CLINIC, clinic="id")


ORGANIZATION = register(
    ResourceType(
        name="Organization",
        documentation="The chain's clinics, as organizations.",
        audited=False,
        sources=(
            Source(
                queryset=visible_clinics,
                to_resource=organization_resource,
                clinic="id",
                filters={"name": filters.string("name")},
            ),
        ),
        params=(SearchParam("name", "string", "The clinic's name.", SP + "Organization-name"),),
    )
)
