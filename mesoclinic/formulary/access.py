"""Who may do what with stock and protocols. Which rows they may touch is decided by
`Lot.objects.for_user` (the clinics they work at); these say which actions their role allows."""

from mesoclinic.accounts.roles import Role, is_administrator, roles_of


def _has_role(user, *roles) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(roles_of(user) & set(roles))


def can_handle_stock(user) -> bool:
    """Receive lots and record movements: the people who hold the vials."""
    return is_administrator(user) or _has_role(user, Role.PRACTITIONER, Role.CLINIC_MANAGER)


def can_manage_lots(user) -> bool:
    """Quarantine, release and recall lots, and read recall lists with patients' contacts."""
    return is_administrator(user) or _has_role(user, Role.CLINIC_MANAGER)


def _dermatologist(user):
    # A missing practitioner raises RelatedObjectDoesNotExist, an AttributeError: getattr copes.
    practitioner = getattr(user, "practitioner", None)
    if (
        practitioner is None
        or practitioner.qualification != practitioner.Qualification.DERMATOLOGIST
    ):
        return None
    return practitioner


def credentialed_dermatologist(user):
    """The user's practitioner record if they are a credentialed dermatologist, else None: who
    may approve a protocol or record a dose override."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    practitioner = _dermatologist(user)
    return practitioner if practitioner is not None and practitioner.is_credentialed else None


def can_change_protocols(user) -> bool:
    """Write drafts and new versions: clinic managers and dermatologists only (the issue's
    rule); approving also needs the dermatologist to be credentialed."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return _has_role(user, Role.CLINIC_MANAGER) or _dermatologist(user) is not None
