"""The roles a person can hold, as Django groups, and the questions every view asks of them.

Roles are groups (not flags on the user) so an administrator can grant them in the admin, and
so later issues can attach model permissions to a role without a migration per user.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECEPTIONIST = "receptionist", _("Receptionist")
    PRACTITIONER = "practitioner", _("Practitioner")
    CLINIC_MANAGER = "clinic_manager", _("Clinic manager")
    ADMINISTRATOR = "administrator", _("Administrator")
    PATIENT = "patient", _("Patient")


#: Roles that work inside a clinic and may see that clinic's patients.
STAFF_ROLES = frozenset({Role.RECEPTIONIST, Role.PRACTITIONER, Role.CLINIC_MANAGER})


def roles_of(user) -> frozenset[str]:
    """The user's role names, read once per user object (one query) and then cached on it."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_mesoclinic_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._mesoclinic_roles = cached
    return cached


def is_administrator(user) -> bool:
    """Administrators see every clinic; a superuser counts as one."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or Role.ADMINISTRATOR in roles_of(user)


def is_clinic_staff(user) -> bool:
    """Receptionists, practitioners and clinic managers: they see their own clinics' patients."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(roles_of(user) & STAFF_ROLES)


def can_use_staff_pages(user) -> bool:
    return is_administrator(user) or is_clinic_staff(user)


def is_patient_account(user) -> bool:
    """A patient's portal account (and not staff): it signs in, times out and proves its
    second factor on the portal's pages, not the staff's."""
    return Role.PATIENT.value in roles_of(user) and not can_use_staff_pages(user)


def role_labels(group_names) -> list[str]:
    """Translated labels for role group names (unknown groups keep their own name)."""
    labels = {role.value: role.label for role in Role}
    return sorted(str(labels.get(name, name)) for name in group_names)
