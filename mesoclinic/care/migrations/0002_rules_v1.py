"""The default screening policy, seeded from CLINICAL.md with each rule's source. Production
gets it here, not from the demo; medical leads edit it in the admin."""

import json
from pathlib import Path

from django.db import migrations

SEED = Path(__file__).resolve().parent.parent / "seed" / "rules_v1.json"


def forwards(apps, schema_editor):
    Rule = apps.get_model("care", "ContraindicationRule")
    known = {field.name for field in Rule._meta.get_fields()}
    for item in json.loads(SEED.read_text(encoding="utf-8")):
        if not set(item) <= known:
            # A rule needing a field added later (the minor rule's adult_age) is loaded by the
            # migration that adds the field (care 0008), never half here.
            continue
        fields = {key: value for key, value in item.items() if key != "code"}
        Rule.objects.update_or_create(code=item["code"], defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
