"""Writes for clinics and practitioners, each one transaction with its audit row."""

from django.db import transaction
from django.utils import timezone

from mesoclinic.audit.services import Action, record_event, save_audited
from mesoclinic.clinics.credentials import normalize_registration_number
from mesoclinic.clinics.models import Practitioner


@transaction.atomic
def record_registration(
    *, acting_user, via: str, practitioner: Practitioner, number: str, expires_on
) -> Practitioner:
    """Set the registration number (at the council the qualification names) and expiry. A
    changed number or expiry needs verifying again, which the model derives (the verification
    names the number and expiry it checked)."""
    practitioner.registration_number = normalize_registration_number(number)
    practitioner.registration_expires_on = expires_on
    save_audited(
        practitioner,
        actor=acting_user,
        via=via,
        fields=["registration_number", "registration_expires_on"],
    )
    return practitioner


@transaction.atomic
def verify_practitioner(*, acting_user, via: str, practitioner: Practitioner, evidence: str):
    """Record that `acting_user` checked the registration as it stands now, on `evidence`."""
    if not evidence.strip():
        raise ValueError("Verification needs an evidence note.")
    practitioner.verified_at = timezone.now()
    practitioner.verified_by = acting_user
    practitioner.verification_evidence = evidence.strip()
    practitioner.verified_registration_number = practitioner.registration_number
    practitioner.verified_expires_on = practitioner.registration_expires_on
    practitioner.save(
        update_fields=[
            "verified_at",
            "verified_by",
            "verification_evidence",
            "verified_registration_number",
            "verified_expires_on",
        ]
    )
    record_event(
        actor=acting_user,
        action=Action.UPDATE,
        via=via,
        instance=practitioner,
        changed_fields=["verification"],
    )
    return practitioner
