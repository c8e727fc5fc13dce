"""Minors (issue 15): the age from which a patient is screened as an adult, as the chain's
"minor" rule (seed/rules_v1.json, adult from 18: mesoclinic default, clinic to confirm) and as
each clinic's own optional value. The rule is loaded here because migration 0002 cannot store
its adult_age; an existing row of that code (a chain's own) is left as it is."""

import json
from pathlib import Path

import django.core.validators
from django.db import migrations, models

SEED = Path(__file__).resolve().parent.parent / "seed" / "rules_v1.json"


def forwards(apps, schema_editor):
    Rule = apps.get_model("care", "ContraindicationRule")
    for item in json.loads(SEED.read_text(encoding="utf-8")):
        if "adult_age" not in item:
            continue  # loaded by 0002
        fields = {key: value for key, value in item.items() if key != "code"}
        Rule.objects.get_or_create(code=item["code"], defaults=fields)


class Migration(migrations.Migration):

    dependencies = [
        ('care', '0008_i15_gate_time_and_courses'),
        ('clinics', '0002_default_services'),
    ]

    operations = [
        migrations.AddField(
            model_name='caresettings',
            name='adult_age',
            field=models.PositiveSmallIntegerField(blank=True, help_text="Below this age a screening needs a credentialed dermatologist's review and a parent or guardian signs the consent. Empty: the chain's screening rule (18 as shipped: mesoclinic default, clinic to confirm). Give your source below.", null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(130)], verbose_name='adult from (years)'),
        ),
        migrations.AddField(
            model_name='contraindicationrule',
            name='adult_age',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Only for a rule with the age:minor trigger: younger patients are minors. A clinic may set its own age in its care settings.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(130)], verbose_name='adult from (years)'),
        ),
        migrations.AddConstraint(
            model_name='caresettings',
            constraint=models.CheckConstraint(condition=models.Q(('adult_age__isnull', True), models.Q(('adult_age__gte', 1), ('adult_age__lte', 130)), _connector='OR'), name='caresettings_adult_age_range'),
        ),
        migrations.AddConstraint(
            model_name='contraindicationrule',
            constraint=models.CheckConstraint(condition=models.Q(('adult_age__isnull', True), models.Q(('adult_age__gte', 1), ('adult_age__lte', 130)), _connector='OR'), name='contraindicationrule_adult_age_range'),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
