"""One course under way per patient and indication (issue 15), and a session's override reason.

Before the constraint, existing data is checked: two courses under way for one patient and
indication are a clinical question (which plan stands?), not one a migration may answer by
cancelling either, so the upgrade stops and names them; a clinician ends one on the plan page
and runs the migration again."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count


def refuse_two_courses_under_way(apps, schema_editor):
    Course = apps.get_model("care", "Course")
    doubled = list(
        Course.objects.filter(status__in=["active", "paused"])
        .values("patient_id", "indication")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("patient_id", "indication")
    )
    if doubled:
        named = "; ".join(
            f"patient {row['patient_id']} ({row['indication']}): courses "
            + ", ".join(
                str(pk)
                for pk in Course.objects.filter(
                    patient_id=row["patient_id"],
                    indication=row["indication"],
                    status__in=["active", "paused"],
                )
                .order_by("id")
                .values_list("id", flat=True)
            )
            for row in doubled
        )
        raise RuntimeError(
            "These patients have more than one course under way for the same indication; "
            "complete or cancel all but one on the plan page, then migrate again: " + named
        )


class Migration(migrations.Migration):

    dependencies = [
        ('care', '0007_aftercare_v1'),
        ('clinics', '0002_default_services'),
        ('formulary', '0004_frozen_protocol_versions'),
        ('patients', '0004_clinic_name_prefix_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(refuse_two_courses_under_way, migrations.RunPython.noop),
        migrations.AddField(
            model_name='treatmentsession',
            name='override_reason',
            field=models.TextField(blank=True, help_text="Why this session came before the interval or passed the plan's volume.", verbose_name="dermatologist's reason for an override"),
        ),
        migrations.AddConstraint(
            model_name='course',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['active', 'paused'])), fields=('patient', 'indication'), name='course_one_under_way_per_indication', violation_error_message='This patient already has a course under way for this indication.'),
        ),
    ]
