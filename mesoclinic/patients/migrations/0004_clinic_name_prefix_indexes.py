"""Per-clinic name prefix indexes for the patient search box on PostgreSQL (issue 8).

Staff search their own clinic's patients: (registered_clinic_id, UPPER(name) text_pattern_ops)
reads only that clinic's patients whose name starts with the typed token, where the trigram
index (0003) would list every patient of the chain sharing a common name ("Muhammad") first.
text_pattern_ops because LIKE 'X%' uses a b-tree only under the C collation or with these
operators. The trigram indexes stay for Urdu (contains) and for administrators' chain-wide
searches. SQLite keeps its plain scan.
"""

from django.db import migrations

INDEXES = {
    "patient_clinic_first_name_prefix": "first_name",
    "patient_clinic_last_name_prefix": "last_name",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON patients_patient "
            f"(registered_clinic_id, (UPPER({column}::text)) text_pattern_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("patients", "0003_name_trigram_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
