"""On PostgreSQL, the stock ledger refuses UPDATE and DELETE from every client, as the audit
trail does: a correction is a new "adjusted" line, never an edit."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION formulary_stockmovement_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'formulary_stockmovement is append-only: %% refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER formulary_stockmovement_append_only
    BEFORE UPDATE OR DELETE ON formulary_stockmovement
    FOR EACH ROW EXECUTE FUNCTION formulary_stockmovement_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS formulary_stockmovement_append_only ON formulary_stockmovement;
DROP FUNCTION IF EXISTS formulary_stockmovement_refuse_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=())


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("formulary", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
