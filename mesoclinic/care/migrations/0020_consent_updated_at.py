"""Consent.updated_at: the row's last change, for FHIR's meta.lastUpdated. Existing rows take
the last change they record: their end, else their entry (when a PDF copy was stored is not
recorded on the row; the audit trail has it)."""

import django.utils.timezone
from django.db import migrations, models
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    Consent = apps.get_model("care", "Consent")
    Consent.objects.update(updated_at=Coalesce("invalidated_at", "entered_at"))


class Migration(migrations.Migration):
    dependencies = [("care", "0019_allergy_updated_at")]

    operations = [
        migrations.AddField(
            model_name="consent",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
