"""Courses keep the time of their last change (the FHIR CarePlan's meta.lastUpdated). Existing
rows take the migration's time: later than their real last change, never earlier, so a client
syncing with `_lastUpdated` fetches them once more rather than missing one."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0020_consent_updated_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="course",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
    ]
