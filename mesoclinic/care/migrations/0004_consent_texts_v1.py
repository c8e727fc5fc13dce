"""The first published consent texts (English and Urdu) for each kind of procedure. Production
gets them here; a clinic publishes later versions in the admin."""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

SEED = Path(__file__).resolve().parent.parent / "seed" / "consent_texts_v1.json"


def forwards(apps, schema_editor):
    ConsentText = apps.get_model("care", "ConsentText")
    for item in json.loads(SEED.read_text(encoding="utf-8"))["texts"]:
        ConsentText.objects.get_or_create(
            procedure=item["procedure"],
            version=1,
            defaults={**{k: v for k, v in item.items() if k != "procedure"}},
        )
    ConsentText.objects.filter(version=1, published_at__isnull=True).update(
        published_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [("care", "0003_screening_records")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
