"""One Urdu spelling per ingredient (formulary/glossary.py): ingredient and protocol names
already stored take the glossary's spelling. Frozen here, like every data migration."""

from django.db import migrations

VARIANTS = {
    "ٹرینیکسیمک": "ٹرانیکسامک",
    "ٹرینیکسامک": "ٹرانیکسامک",
    "بایوٹن": "بائیوٹن",
    "منوکسیڈل": "مائناکسیڈل",
    "مینوکسیڈل": "مائناکسیڈل",
    "مائنوکسیڈل": "مائناکسیڈل",
    "ہائلورونک": "ہائیلورونک",
    "ہیالورونک": "ہائیلورونک",
    "گلوٹاتھیون": "گلوٹاتھائیون",
    "لڈوکین": "لیڈوکین",
}


def spelled(text):
    for variant, canonical in VARIANTS.items():
        text = text.replace(variant, canonical)
    return text


def forwards(apps, schema_editor):
    for name in ("Ingredient", "Protocol"):
        model = apps.get_model("formulary", name)
        for row in model.objects.all():
            fixed = spelled(row.name_ur)
            if fixed != row.name_ur:
                row.name_ur = fixed
                row.save(update_fields=["name_ur"])


class Migration(migrations.Migration):
    dependencies = [("formulary", "0004_frozen_protocol_versions")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
