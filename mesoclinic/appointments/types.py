"""Every clinic's appointment types start from the defaults (`defaults.DEFAULT_TYPES`)."""

from mesoclinic.appointments.defaults import DEFAULT_TYPES, SOURCE
from mesoclinic.appointments.models import AppointmentType


def ensure_default_types(clinic_id: int) -> None:
    """Give a clinic the default types it lacks (one query when it has them all)."""
    have = set(AppointmentType.objects.filter(clinic_id=clinic_id).values_list("code", flat=True))
    missing = [
        AppointmentType(
            clinic_id=clinic_id,
            code=default.code,
            duration_minutes=default.duration_minutes,
            buffer_before_minutes=default.buffer_before_minutes,
            buffer_after_minutes=default.buffer_after_minutes,
            requirement=default.requirement,
            needs_room=default.needs_room,
            source=SOURCE,
        )
        for default in DEFAULT_TYPES
        if default.code not in have
    ]
    if missing:
        AppointmentType.objects.bulk_create(missing, ignore_conflicts=True)
