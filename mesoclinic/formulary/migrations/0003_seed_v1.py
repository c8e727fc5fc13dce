"""Loads the default ingredients and draft protocols (seed/formulary_v1.json), so production has
them too. The protocols arrive as drafts marked with what the clinic must confirm: approving one
needs a named, credentialed dermatologist, which only the clinic can supply. The loader is a
copy frozen here, so later code cannot change what this migration did. Cellulite has no default
protocol: a systematic review found no clear evidence that mesotherapy works for it."""

import json
from decimal import Decimal
from pathlib import Path

from django.db import migrations

SEED = Path(__file__).resolve().parent.parent / "seed" / "formulary_v1.json"
DECIMALS = (
    "concentration",
    "volume_per_point_min",
    "volume_per_point_max",
    "volume_per_session_min",
    "volume_per_session_max",
    "session_ceiling",
)


def forwards(apps, schema_editor):
    Ingredient = apps.get_model("formulary", "Ingredient")
    Protocol = apps.get_model("formulary", "Protocol")
    ProtocolVersion = apps.get_model("formulary", "ProtocolVersion")
    ProtocolComponent = apps.get_model("formulary", "ProtocolComponent")
    data = json.loads(SEED.read_text(encoding="utf-8"))
    ingredients = {}
    for row in data["ingredients"]:
        ingredients[row["code"]], _ = Ingredient.objects.update_or_create(
            code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
        )
    for row in data["protocols"]:
        if Protocol.objects.filter(code=row["code"]).exists():
            continue
        version = dict(row["version"])
        components = version.pop("components")
        protocol = Protocol.objects.create(
            code=row["code"], name=row["name"], name_ur=row["name_ur"], indication=row["indication"]
        )
        saved = ProtocolVersion.objects.create(protocol=protocol, number=1, **version)
        for component in components:
            fields = dict(component)
            fields["ingredient"] = ingredients[fields["ingredient"]]
            for name in DECIMALS:
                if fields.get(name) is not None:
                    fields[name] = Decimal(fields[name])
            ProtocolComponent.objects.create(version=saved, **fields)


class Migration(migrations.Migration):
    dependencies = [("formulary", "0002_ledger_append_only")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
