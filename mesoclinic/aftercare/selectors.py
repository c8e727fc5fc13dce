"""Aftercare's reads: the clinic's settings, and check-ins as the pages and the API see them,
scoped by the one rule (`clinics.scoping`, through each model's `for_user`)."""

from django.http import Http404

from mesoclinic.aftercare.models import AftercareSettings, CheckIn


def settings_for(clinic_id: int) -> AftercareSettings:
    """The clinic's settings, or the defaults (unsaved) when it has not set its own."""
    return AftercareSettings.objects.filter(clinic_id=clinic_id).first() or AftercareSettings(
        clinic_id=clinic_id
    )


def get_check_in_for_user(user, pk) -> CheckIn:
    """A check-in `user` may see, or 404 (missing and another clinic's look the same)."""
    found = (
        CheckIn.objects.for_user(user)
        .select_related("session", "patient", "clinic", "adverse_event")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found
