"""DoseOverride moved to care (issue 16, `care.0015`): dropped from the formulary's state
only. The table `formulary_doseoverride`, its rows and its constraint stay, now the care
model's."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0016_doseoverride_moved_from_formulary"),
        ("formulary", "0005_urdu_glossary"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name="doseoverride", name="doseoverride_reason_given"
                ),
                migrations.DeleteModel(name="DoseOverride"),
            ],
            database_operations=[],
        ),
    ]
