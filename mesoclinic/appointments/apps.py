from django.apps import AppConfig
from django.db.models.signals import post_save


def _new_clinic_gets_default_types(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from mesoclinic.appointments.types import ensure_default_types

        ensure_default_types(instance.pk)


class AppointmentsConfig(AppConfig):
    """The appointment book (issue 18). A new clinic gets the default appointment types, which
    it then edits (durations, buffers, who takes them)."""

    name = "mesoclinic.appointments"
    label = "appointments"

    def ready(self):
        from mesoclinic.appointments import receivers  # noqa: F401  (patient_archived)

        post_save.connect(
            _new_clinic_gets_default_types,
            sender="clinics.Clinic",
            dispatch_uid="appointments.default_types",
        )
