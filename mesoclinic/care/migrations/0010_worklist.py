"""The worklist slice of issue 15: the indexes the dashboard's worklist reads by (care.worklist),
and aftercare v2 (English and Urdu) for each kind of procedure: v1 with the warning that lumps
can appear weeks after a session (nontuberculous mycobacteria). Sessions already charted keep
the version they were given; new sessions get v2, the latest published."""

import json
from pathlib import Path

from django.db import migrations, models
from django.utils import timezone

SEED = Path(__file__).resolve().parent.parent / "seed" / "aftercare_v2.json"


def forwards(apps, schema_editor):
    AftercareText = apps.get_model("care", "AftercareText")
    for item in json.loads(SEED.read_text(encoding="utf-8"))["texts"]:
        AftercareText.objects.get_or_create(
            procedure=item["procedure"],
            version=2,
            defaults={
                **{k: v for k, v in item.items() if k != "procedure"},
                "published_at": timezone.now(),
            },
        )


def backwards(apps, schema_editor):
    """Unpublish v2 only where no session was given it (then v1 is current again)."""
    AftercareText = apps.get_model("care", "AftercareText")
    TreatmentSession = apps.get_model("care", "TreatmentSession")
    used = TreatmentSession.objects.values("aftercare_id")
    AftercareText.objects.filter(version=2).exclude(pk__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [("care", "0009_minors_adult_age")]

    operations = [
        migrations.AddIndex(
            model_name="consultation",
            index=models.Index(fields=["clinic", "recorded_at"], name="consultation_clinic_time_idx"),
        ),
        migrations.AddIndex(
            model_name="course",
            index=models.Index(
                condition=models.Q(("status", "active")),
                fields=["clinic", "start_date"],
                name="course_active_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="patchtest",
            index=models.Index(
                condition=models.Q(("result", "pending")),
                fields=["clinic", "applied_at"],
                name="patchtest_pending_idx",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
