"""DoseOverride moves from the formulary to care (issue 16): a care record about one patient.

State only: the table keeps its name (`formulary_doseoverride`), its rows, its foreign keys and
its check constraint, so the database is not touched. The plan's link to it
(`CourseComponent.override`) now names the care model; its column and foreign key stay as
they are. The content type is renamed so the admin's permissions and history follow the model.
`formulary.0006` then drops the model from the formulary's state.
"""

import django.db.models.deletion
from django.db import migrations, models


def rename_content_type(app_from, app_to):
    """The content type follows the model, unless one for `app_to` exists already (a database
    migrated back and forth): then the old one is left stale, as Django leaves them."""

    def rename(apps, schema_editor):
        content_types = apps.get_model("contenttypes", "ContentType").objects.using(
            schema_editor.connection.alias
        )
        if not content_types.filter(app_label=app_to, model="doseoverride").exists():
            content_types.filter(app_label=app_from, model="doseoverride").update(
                app_label=app_to
            )

    return rename


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0015_allergy_retraction"),
        ("clinics", "0003_credentials_registering_body"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("formulary", "0005_urdu_glossary"),
        ("patients", "0004_clinic_name_prefix_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DoseOverride",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("limits_crossed", models.JSONField(help_text="Codes of the limits crossed.")),
                        (
                            "amount",
                            models.JSONField(
                                help_text="The amount allowed: per point, points, total (mL)."
                            ),
                        ),
                        ("reason", models.TextField(verbose_name="reason")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "approved_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="clinics.practitioner",
                            ),
                        ),
                        (
                            "component",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="formulary.protocolcomponent",
                            ),
                        ),
                        (
                            "patient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="patients.patient",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "formulary_doseoverride",
                        "ordering": ["-id"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("reason", ""), _negated=True),
                                name="doseoverride_reason_given",
                            )
                        ],
                    },
                ),
                migrations.AlterField(
                    model_name="coursecomponent",
                    name="override",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="care.doseoverride",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            rename_content_type("formulary", "care"), rename_content_type("care", "formulary")
        ),
    ]
