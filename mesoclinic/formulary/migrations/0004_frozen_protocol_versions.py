"""On PostgreSQL, an approved or retired protocol version and its cocktail cannot be changed by
any client: sessions point at the version they followed, so what it said must stay what it
says. The one change allowed is retiring an approved version. Drafts change freely."""

from django.db import migrations

CONTENT = (
    "protocol_id, number, technique, depth, needle, sessions_min, sessions_max, "
    "interval_days_min, interval_days_max, maintenance_days_min, maintenance_days_max, "
    "outcome_scale, evidence, unverified, notes, revision, based_on_id, created_by_id, "
    "created_at, approved_by_id, approved_at"
)

CREATE = f"""
CREATE OR REPLACE FUNCTION formulary_version_refuse_change() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'draft' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'UPDATE'
       AND OLD.status = 'approved' AND NEW.status = 'retired'
       AND ({', '.join('NEW.' + c.strip() for c in CONTENT.split(','))})
           IS NOT DISTINCT FROM ({', '.join('OLD.' + c.strip() for c in CONTENT.split(','))})
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'protocol version %% is %%: it cannot change (%% refused)',
        OLD.id, OLD.status, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER formulary_version_frozen
    BEFORE UPDATE OR DELETE ON formulary_protocolversion
    FOR EACH ROW EXECUTE FUNCTION formulary_version_refuse_change();

CREATE OR REPLACE FUNCTION formulary_component_refuse_change() RETURNS trigger AS $$
DECLARE
    version_status text;
BEGIN
    SELECT status INTO version_status FROM formulary_protocolversion
        WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.version_id ELSE NEW.version_id END;
    IF version_status IS NOT NULL AND version_status <> 'draft' THEN
        RAISE EXCEPTION 'the cocktail of a %% protocol version cannot change', version_status
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER formulary_component_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON formulary_protocolcomponent
    FOR EACH ROW EXECUTE FUNCTION formulary_component_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS formulary_component_frozen ON formulary_protocolcomponent;
DROP FUNCTION IF EXISTS formulary_component_refuse_change();
DROP TRIGGER IF EXISTS formulary_version_frozen ON formulary_protocolversion;
DROP FUNCTION IF EXISTS formulary_version_refuse_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=())


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("formulary", "0003_seed_v1")]

    operations = [migrations.RunPython(forwards, backwards)]
