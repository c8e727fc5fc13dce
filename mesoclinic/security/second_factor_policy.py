"""Who must prove a second factor, and where a signed-in request goes until they have.

Pure: plain facts in, a decision out, so hypothesis can check every combination. The facts are
gathered in `second_factor.py` (one query per request); the role names are the group names of
`accounts.roles.Role`, repeated here as strings because this module imports no Django.

Why these roles: administrators see every clinic, managers and practitioners read clinical
records (faces, pregnancy, allergies), so a stolen password alone must not open them.
Receptionists work at shared front-desk PCs and read no clinical record; each clinic decides
(`Clinic.receptionists_need_second_factor`). Patients (the coming portal) are never required to.
"""

from dataclasses import dataclass
from enum import StrEnum

ADMINISTRATOR = "administrator"
CLINIC_MANAGER = "clinic_manager"
PRACTITIONER = "practitioner"
RECEPTIONIST = "receptionist"
PATIENT = "patient"

#: Roles that always need a second factor.
ALWAYS = frozenset({ADMINISTRATOR, CLINIC_MANAGER, PRACTITIONER})


def is_required(
    *, roles: frozenset[str], is_superuser: bool, a_clinic_requires_receptionists: bool
) -> bool:
    """True when this person must have (and prove) a second factor.

    `a_clinic_requires_receptionists`: one of the person's active clinics asks it of its
    receptionists. A patient role never requires one by itself; someone holding a staff role
    as well is judged by the staff role.
    """
    if is_superuser or roles & ALWAYS:
        return True
    return RECEPTIONIST in roles and a_clinic_requires_receptionists


class Route(StrEnum):
    """Where a signed-in request goes."""

    PASS = "pass"  # serve it
    VERIFY = "verify"  # prove a factor first
    ENROL = "enrol"  # set up a factor first (required, none yet)


@dataclass(frozen=True)
class Facts:
    verified: bool  # this session proved a factor
    required: bool  # `is_required` said so
    has_factor: bool  # a confirmed authenticator app or passkey


def route(facts: Facts) -> Route:
    """A verified session passes; anyone with a factor proves it (whether required or chose
    to have one); a required person without one enrols; everyone else passes."""
    if facts.verified:
        return Route.PASS
    if facts.has_factor:
        return Route.VERIFY
    if facts.required:
        return Route.ENROL
    return Route.PASS


def is_exempt(path: str, *, exempt_prefixes: tuple[str, ...]) -> bool:
    """Paths served whatever the second factor: sign-in and -out, the second-factor pages
    themselves, static files, health, language switching, public pages, signed webhooks and
    token-authenticated feeds. A prefix ending in "/" matches the folder; any other prefix
    matches the path exactly."""
    for prefix in exempt_prefixes:
        if path == prefix or (prefix.endswith("/") and path.startswith(prefix)):
            return True
    return False


def may_remove(*, required: bool, factors_left_after: int) -> bool:
    """A person who must have a second factor cannot remove their last one; they would be
    sent straight back to enrol, and in between hold a session with none."""
    return not required or factors_left_after > 0
