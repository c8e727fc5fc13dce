"""Entries keep their real time (issue 15).

Every clinical record keeps when it was entered (the server's clock) beside the time it states:
the existing entry times are renamed `entered_at` (and a reading's `read_entered_at`); records
that had none (consultations, consents) take their stated time, the only one known. A patch
test stated further back than the clinic's new `patch_backdate_minutes` (default 2 hours)
carries a dermatologist's attestation.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


OLD_SOURCE = (
    "CLINICAL.md: no authoritative mesotherapy patch-test protocol was found (unverified); "
    "default read 24-72 h after application. Validity: mesoclinic default, clinic to confirm."
)
NEW_SOURCE = (
    OLD_SOURCE + " Application stated at most 2 h before it is entered unless a credentialed "
    "dermatologist attests it with a reason: mesoclinic default, clinic to confirm (issue 15, a "
    "dermatologist's review: an application typed 72 h back could be read at once, so the "
    "window meant nothing)."
)


def patch_tests_entered_with_their_times(apps, schema_editor):
    """Before the checks that a stated time is never after its entry: the service always wrote
    both, so these touch no row unless one was written around it; then the stated time is the
    best known entry time."""
    PatchTest = apps.get_model("care", "PatchTest")
    PatchTest.objects.filter(applied_at__gt=F("entered_at")).update(entered_at=F("applied_at"))
    PatchTest.objects.filter(read_at__isnull=False, read_entered_at__isnull=True).update(
        read_entered_at=F("read_at")
    )
    PatchTest.objects.filter(read_at__gt=F("read_entered_at")).update(read_entered_at=F("read_at"))


def entered_at_from_stated_times(apps, schema_editor):
    """Consultations and consents were always entered when they were made (the services set
    both times to now), so the stated time is their entry time. A clinic still on the shipped
    source text gets the text that names the new default; one that wrote its own keeps it."""
    apps.get_model("care", "Consultation").objects.update(entered_at=F("recorded_at"))
    apps.get_model("care", "Consent").objects.update(entered_at=F("signed_at"))
    apps.get_model("care", "CareSettings").objects.filter(source=OLD_SOURCE).update(
        source=NEW_SOURCE
    )


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0012_credentials_recording_qualifications"),
        ("clinics", "0002_default_services"),
        ("patients", "0004_clinic_name_prefix_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(
            model_name="course",
            old_name="created_at",
            new_name="entered_at",
        ),
        migrations.AlterField(
            model_name="course",
            name="entered_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="entered at"
            ),
        ),
        migrations.RenameField(
            model_name="patchtest",
            old_name="created_at",
            new_name="entered_at",
        ),
        migrations.AlterField(
            model_name="patchtest",
            name="entered_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="entered at"
            ),
        ),
        migrations.RenameField(
            model_name="patchtest",
            old_name="read_recorded_at",
            new_name="read_entered_at",
        ),
        migrations.AlterField(
            model_name="patchtest",
            name="read_entered_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="reading entered at"
            ),
        ),
        migrations.RenameField(
            model_name="treatmentsession",
            old_name="created_at",
            new_name="entered_at",
        ),
        migrations.AlterField(
            model_name="treatmentsession",
            name="entered_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="entered at"
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="entered_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="entered at"
            ),
        ),
        migrations.AddField(
            model_name="consultation",
            name="entered_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="entered at"
            ),
        ),
        migrations.AddField(
            model_name="caresettings",
            name="patch_backdate_minutes",
            field=models.PositiveSmallIntegerField(
                default=120,
                help_text="Further back needs a credentialed dermatologist's attestation with a reason.",
                validators=[django.core.validators.MaxValueValidator(1440)],
                verbose_name="patch test: application may be stated up to (minutes) before it is entered",
            ),
        ),
        migrations.AddField(
            model_name="patchtest",
            name="backdate_attested_by",
            field=models.ForeignKey(
                blank=True,
                help_text="The dermatologist who attested an application time stated further back.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clinics.practitioner",
            ),
        ),
        migrations.AddField(
            model_name="patchtest",
            name="backdate_reason",
            field=models.TextField(blank=True, verbose_name="why the application was entered late"),
        ),
        migrations.AlterField(
            model_name="caresettings",
            name="source",
            field=models.TextField(
                default=NEW_SOURCE,
                verbose_name="source of these values",
            ),
        ),
        migrations.AddConstraint(
            model_name="caresettings",
            constraint=models.CheckConstraint(
                condition=models.Q(("patch_backdate_minutes__lte", 1440)),
                name="caresettings_backdate_bounded",
            ),
        ),
        migrations.AddConstraint(
            model_name="patchtest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("backdate_attested_by__isnull", True), ("backdate_reason", "")),
                    models.Q(
                        ("backdate_attested_by__isnull", False),
                        models.Q(("backdate_reason", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="patchtest_backdate_attested",
            ),
        ),
        migrations.RunPython(patch_tests_entered_with_their_times, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="patchtest",
            constraint=models.CheckConstraint(
                condition=models.Q(("applied_at__lte", models.F("entered_at"))),
                name="patchtest_applied_not_after_entry",
            ),
        ),
        migrations.AddConstraint(
            model_name="patchtest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("read_at__isnull", True), ("read_entered_at__isnull", True)),
                    models.Q(
                        ("read_at__isnull", False), ("read_at__lte", models.F("read_entered_at"))
                    ),
                    _connector="OR",
                ),
                name="patchtest_read_not_after_entry",
            ),
        ),
        migrations.RunPython(entered_at_from_stated_times, migrations.RunPython.noop),
    ]
