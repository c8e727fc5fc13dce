"""Trigram indexes for the patient search box on PostgreSQL (issue 8).

The name search asks UPPER(first_name) LIKE 'TOKEN%', UPPER(last_name) LIKE 'TOKEN%' (Django's
istartswith) and name_ur LIKE '%TOKEN%' (contains: Urdu script has no case); GIN trigram indexes
on exactly those expressions answer all three, in English and in Urdu script, without reading
the table. SQLite has no trigram index and keeps the primary-key scan; it is the embedded default,
not the chain's production database.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "patient_first_name_trgm": "(UPPER(first_name::text))",
    "patient_last_name_trgm": "(UPPER(last_name::text))",
    "patient_name_ur_trgm": "name_ur",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON patients_patient "
            f"USING gin ({expression} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("patients", "0002_enquiry")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create, drop, elidable=False),
    ]
