"""Adverse events keep the time of their last change (the FHIR AdverseEvent's
meta.lastUpdated); existing rows take the migration's time (see 0021)."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0021_course_updated_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="adverseevent",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
    ]
