"""The first published aftercare texts (English and Urdu) for each kind of procedure."""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

SEED = Path(__file__).resolve().parent.parent / "seed" / "aftercare_v1.json"


def forwards(apps, schema_editor):
    AftercareText = apps.get_model("care", "AftercareText")
    for item in json.loads(SEED.read_text(encoding="utf-8"))["texts"]:
        AftercareText.objects.get_or_create(
            procedure=item["procedure"],
            version=1,
            defaults={
                **{k: v for k, v in item.items() if k != "procedure"},
                "published_at": timezone.now(),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("care", "0006_courses_and_sessions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
