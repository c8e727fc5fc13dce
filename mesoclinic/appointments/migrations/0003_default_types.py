"""Existing clinics get the default appointment types (new clinics get them when created)."""

from django.db import migrations

from mesoclinic.appointments.defaults import DEFAULT_TYPES, SOURCE


def create(apps, schema_editor):
    Clinic = apps.get_model("clinics", "Clinic")
    AppointmentType = apps.get_model("appointments", "AppointmentType")
    AppointmentType.objects.bulk_create(
        [
            AppointmentType(
                clinic_id=clinic_id,
                code=d.code,
                duration_minutes=d.duration_minutes,
                buffer_before_minutes=d.buffer_before_minutes,
                buffer_after_minutes=d.buffer_after_minutes,
                requirement=d.requirement,
                needs_room=d.needs_room,
                source=SOURCE,
            )
            for clinic_id in Clinic.objects.values_list("pk", flat=True)
            for d in DEFAULT_TYPES
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("appointments", "0002_no_double_booking")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
