"""Who may do what in the clinical pathway. Which records they read, and whether their role
reads clinical records at all, is decided by the one scoping rule (`clinics.scoping`, asked
by every `for_user`); these say which writes their role allows."""

from mesoclinic.accounts.roles import Role, is_clinic_staff, roles_of
from mesoclinic.formulary.access import credentialed_dermatologist


def _active(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def can_record_clinical(user) -> bool:
    """Record a consultation, apply or read a patch test: practitioners."""
    return _active(user) and Role.PRACTITIONER in roles_of(user)


def can_witness_consent(user) -> bool:
    """Any member of a clinic's staff may witness a patient's signature (administrators, who
    belong to no clinic, may not)."""
    return _active(user) and is_clinic_staff(user)


def can_justify(user):
    """A relative contraindication is justified by a credentialed dermatologist: their
    practitioner record, or None."""
    return credentialed_dermatologist(user)


def can_retract_allergy(user):
    """An allergy recorded in error is retracted by a credentialed dermatologist who records
    clinically (a practitioner): their practitioner record, or None."""
    return credentialed_dermatologist(user) if can_record_clinical(user) else None
