"""No double booking, guaranteed by PostgreSQL: three exclusion constraints refuse two active
appointments whose blocked ranges (buffers included) overlap on one practitioner, one room or
one patient. `&&` on half-open ranges catches partial overlaps as well as identical ones, and
the check runs inside the insert, so concurrent bookings cannot both pass it.

SQLite has no exclusion constraints: there the booking services re-check inside a write
transaction, which SQLite serializes (`transaction_mode = IMMEDIATE` in settings).
"""

from django.db import migrations

ACTIVE = "status IN ('booked', 'checked_in', 'completed')"
RESOURCES = {
    "appointment_practitioner_no_overlap": "practitioner_id",
    "appointment_room_no_overlap": "room_id",
    "appointment_patient_no_overlap": "patient_id",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, column in RESOURCES.items():
        schema_editor.execute(
            f"ALTER TABLE appointments_appointment ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, tstzrange(blocked_from, blocked_until, '[)') WITH &&) "
            f"WHERE ({ACTIVE} AND {column} IS NOT NULL)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in RESOURCES:
        schema_editor.execute(
            f"ALTER TABLE appointments_appointment DROP CONSTRAINT IF EXISTS {name}"
        )


class Migration(migrations.Migration):
    dependencies = [("appointments", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
