"""A check-in answered in the patient portal says so (channel "portal"); choices only, no
schema change."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('aftercare', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='checkin',
            name='channel',
            field=models.CharField(blank=True, choices=[('link', "The patient's link"), ('phone', 'By phone'), ('visit', 'At a visit'), ('portal', 'The patient portal')], max_length=10),
        ),
    ]
