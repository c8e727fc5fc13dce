"""Who may do what in the clinical pathway. Which patients' records they reach is decided by
`PatientRecordQuerySet.for_user` (the one scoping rule); these say what their role allows."""

from mesoclinic.accounts.roles import Role, is_administrator, is_clinic_staff, roles_of
from mesoclinic.formulary.access import credentialed_dermatologist


def _active(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def can_read_clinical(user) -> bool:
    """Consultations, photos and patch tests: the clinicians, their managers, administrators.
    Receptionists book and take consent; they do not read medical histories."""
    if not _active(user):
        return False
    return is_administrator(user) or bool(roles_of(user) & {Role.PRACTITIONER, Role.CLINIC_MANAGER})


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
