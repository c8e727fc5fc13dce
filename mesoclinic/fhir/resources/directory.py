"""The clinic directory: Organization and Location (each clinic), Practitioner and
PractitionerRole (each practitioner's membership of a clinic). Not patient data: reads are not
audited, as the JSON API's are not. Scoped by the clinics' rule (`Kind.CLINIC`): staff see
their clinics and the practitioners who work there, administrators every one."""

from datetime import datetime, time, timedelta

from django.db.models import Prefetch, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from mesoclinic.clinics import scoping
from mesoclinic.clinics.credentials import normalize_registration_number
from mesoclinic.clinics.models import Clinic, Membership, OpeningHours, Practitioner
from mesoclinic.fhir import filters, search
from mesoclinic.fhir.mapping.common import CLINIC_SYSTEM
from mesoclinic.fhir.mapping.directory import (
    COUNCIL_SYSTEMS,
    location_resource,
    organization_resource,
    practitioner_resource,
    practitioner_role_resource,
)
from mesoclinic.fhir.outcome import invalid
from mesoclinic.fhir.registry import ResourceType, SearchParam, Source, nothing, register

SP = "http://hl7.org/fhir/SearchParameter/"


def visible_clinics(user):
    return scoping.restrict(Clinic.objects.all(), user, scoping.Kind.CLINIC, clinic="id")


def visible_memberships(user):
    return scoping.restrict(Membership.objects.all(), user, scoping.Kind.CLINIC, clinic="clinic_id")


def boolean(path_true: Q) -> filters.Filter:
    """A token parameter taking true or false: `path_true` is the condition for true."""

    def condition(value: str) -> Q:
        _system, code = search.parse_token(value)
        if code not in ("true", "false"):
            raise invalid(f"This parameter takes true or false, not {code!r}.")
        return path_true if code == "true" else ~path_true

    return condition


# --- Organization and Location: each clinic ---------------------------------------------------


def _clinic_identifier(system: str | None, code: str) -> Q:
    if system in (None, CLINIC_SYSTEM):
        return Q(slug=code)
    return nothing()


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
                filters={
                    "name": filters.string("name"),
                    "identifier": filters.token(_clinic_identifier),
                    "active": boolean(Q(is_active=True)),
                    "address-city": filters.string("city"),
                },
            ),
        ),
        params=(
            SearchParam("name", "string", "The clinic's name.", SP + "Organization-name"),
            SearchParam(
                "identifier",
                "token",
                f"The clinic's slug ({CLINIC_SYSTEM}).",
                SP + "Organization-identifier",
            ),
            SearchParam("active", "token", "true or false.", SP + "Organization-active"),
            SearchParam(
                "address-city", "string", "The clinic's city.", SP + "Organization-address-city"
            ),
        ),
    )
)


def visible_locations(user):
    """Clinics with their opening hours (2 queries a page)."""
    return visible_clinics(user).prefetch_related(
        Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens"))
    )


LOCATION = register(
    ResourceType(
        name="Location",
        documentation=(
            "Each clinic as the place patients come to: address, position, telecom and opening "
            "hours (a day with a prayer break has two intervals)."
        ),
        audited=False,
        sources=(
            Source(
                queryset=visible_locations,
                to_resource=lambda clinic: location_resource(clinic, clinic.opening_hours.all()),
                clinic="id",
                filters={
                    "name": filters.string("name"),
                    "address-city": filters.string("city"),
                    "address": filters.string("address", "city"),
                    "organization": filters.reference("id", "Organization"),
                },
            ),
        ),
        params=(
            SearchParam("name", "string", "The clinic's name.", SP + "Location-name"),
            SearchParam("address-city", "string", "The city.", SP + "Location-address-city"),
            SearchParam("address", "string", "Any part of the address.", SP + "Location-address"),
            SearchParam(
                "organization",
                "reference",
                "The clinic as an Organization (the same id).",
                SP + "Location-organization",
            ),
        ),
    )
)


# --- Practitioner and PractitionerRole ------------------------------------------------------


def visible_practitioners(user):
    """Practitioners who work at a clinic the user sees (one query a page: with their user)."""
    members = visible_memberships(user).values("user_id")
    return Practitioner.objects.filter(user_id__in=members).select_related("user")


def _registration(system: str | None, code: str) -> Q:
    number = normalize_registration_number(code)
    if system is None:
        return Q(registration_number=number)
    for body, council_system in COUNCIL_SYSTEMS.items():
        if system == council_system:
            return Q(registering_body=body, registration_number=number)
    return nothing()


def lapsed_at(practitioner) -> datetime | None:
    """When the registration lapsed (the start of the day after its expiry, clinic time), if it
    has: the Practitioner and its roles changed then (a problem named, `active` false) without
    a write, so their meta.lastUpdated is at least this. `_lastUpdated` searches read the
    stored times only."""
    expires = practitioner.registration_expires_on
    if expires is None or expires >= timezone.localdate():
        return None
    return datetime.combine(
        expires + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
    )


def _changed(updated: datetime, practitioner) -> datetime:
    lapsed = lapsed_at(practitioner)
    return max(updated, lapsed) if lapsed is not None else updated


def _practitioner(practitioner) -> dict:
    return practitioner_resource(
        practitioner,
        practitioner.credential_status(),
        _changed(practitioner.updated_at, practitioner),
    )


PRACTITIONER = register(
    ResourceType(
        name="Practitioner",
        documentation=(
            "The chain's practitioners, with their council registration (PMDC or PNMC) as "
            "identifier and qualification: its expiry, whether it was verified, and why it "
            "does not stand when it does not."
        ),
        audited=False,
        sources=(
            Source(
                queryset=visible_practitioners,
                to_resource=_practitioner,
                filters={
                    "identifier": filters.token(_registration),
                    "name": filters.string("user__first_name", "user__last_name"),
                    "active": boolean(Q(user__is_active=True)),
                },
            ),
        ),
        params=(
            SearchParam(
                "identifier",
                "token",
                "The council registration number (system "
                f"{COUNCIL_SYSTEMS['pmdc']} or {COUNCIL_SYSTEMS['pnmc']}).",
                SP + "Practitioner-identifier",
            ),
            SearchParam("name", "string", "Given or family name.", SP + "Practitioner-name"),
            SearchParam("active", "token", "true or false.", SP + "Practitioner-active"),
        ),
    )
)


def visible_roles(user):
    """Memberships of practitioners at the user's clinics, with the practitioner, their user
    and the clinic joined (one query a page); `fhir_updated` is the later of the membership's
    and the practitioner's last change."""
    return (
        visible_memberships(user)
        .filter(user__practitioner__isnull=False)
        .select_related("user__practitioner", "clinic")
        .annotate(fhir_updated=Greatest("updated_at", "user__practitioner__updated_at"))
    )


def _role(membership) -> dict:
    practitioner = membership.user.practitioner
    return practitioner_role_resource(
        membership,
        practitioner,
        practitioner.is_credentialed,
        _changed(membership.fhir_updated, practitioner),
    )


def _credentialed() -> Q:
    """Roles whose practitioner is credentialed today and whose account is active."""
    return Q(user__practitioner__in=Practitioner.objects.credentialed(), user__is_active=True)


def include_practitioners(user, rows) -> list[dict]:
    """PractitionerRole:practitioner: already joined to the page's rows (no query); a role
    the user sees is at one of their clinics, so its practitioner is one they see."""
    return [_practitioner(row.user.practitioner) for row in rows]


def include_organizations(user, rows) -> list[dict]:
    """PractitionerRole:organization: the clinics, joined to the page's rows (no query)."""
    return [organization_resource(row.clinic) for row in rows]


PRACTITIONER_ROLE = register(
    ResourceType(
        name="PractitionerRole",
        documentation=(
            "A practitioner's work at one clinic (Organization and Location); active while "
            "their registration is verified and unexpired."
        ),
        audited=False,
        includes={
            "PractitionerRole:practitioner": include_practitioners,
            "PractitionerRole:organization": include_organizations,
        },
        sources=(
            Source(
                queryset=visible_roles,
                to_resource=_role,
                updated="fhir_updated",
                clinic="clinic_id",
                filters={
                    "practitioner": filters.reference("user__practitioner__id", "Practitioner"),
                    "organization": filters.reference("clinic_id", "Organization"),
                    "location": filters.reference("clinic_id", "Location"),
                    "active": lambda value: boolean(_credentialed())(value),
                },
            ),
        ),
        params=(
            SearchParam(
                "practitioner",
                "reference",
                "The practitioner.",
                SP + "PractitionerRole-practitioner",
            ),
            SearchParam(
                "organization", "reference", "The clinic.", SP + "PractitionerRole-organization"
            ),
            SearchParam(
                "location",
                "reference",
                "The clinic, as a Location.",
                SP + "PractitionerRole-location",
            ),
            SearchParam(
                "active",
                "token",
                "true: credentialed today (verified, unexpired).",
                SP + "PractitionerRole-active",
            ),
        ),
    )
)
