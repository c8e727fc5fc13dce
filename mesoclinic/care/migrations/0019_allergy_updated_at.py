"""Allergy.updated_at: the row's last change, for FHIR's meta.lastUpdated. Existing rows take
the last change they record: their retraction, else their recording."""

import django.utils.timezone
from django.db import migrations, models
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    Allergy = apps.get_model("care", "Allergy")
    Allergy.objects.update(updated_at=Coalesce("retracted_at", "recorded_at"))


class Migration(migrations.Migration):
    dependencies = [("care", "0018_adverse_events")]

    operations = [
        migrations.AddField(
            model_name="allergy",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
