"""Consent names the plan (issue 15): a consent is given on a planned course and keeps the
plan it named with its fingerprint; version 2 of every consent text names the products, the
number of sessions and the interval from the course instead of v1's fixed "4 to 6 sessions,
1 to 2 weeks apart" (which contradicted the melasma protocol's 14 to 28 days).

Standing consents signed on v1 named no plan: they are ended here (audited, as the command
line), so the gate asks for a consent on the plan before the next session. That is the safe
default: the patient consented to a number of sessions and an interval their plan may not have.
"""

import json
from pathlib import Path

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

SEED = Path(__file__).resolve().parent.parent / "seed" / "consent_texts_v2.json"
#: Begins like `care.models.consents.PLAN_NOT_NAMED`, which the consent page recognises.
REASON = "Signed before consents named the plan: take a new consent on the plan."


def publish_texts(apps, schema_editor=None):
    """Version 2 of each procedure's text, published now (also used by the tests, which
    flush data-migration rows)."""
    ConsentText = apps.get_model("care", "ConsentText")
    now = timezone.now()
    for item in json.loads(SEED.read_text(encoding="utf-8"))["texts"]:
        ConsentText.objects.get_or_create(
            procedure=item["procedure"],
            version=2,
            defaults={
                **{k: v for k, v in item.items() if k != "procedure"},
                "published_at": now,
            },
        )


def end_consents_without_plan(apps, schema_editor):
    Consent = apps.get_model("care", "Consent")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    now = timezone.now()
    standing = Consent.objects.filter(invalidated_at__isnull=True, course__isnull=True)
    for consent in standing.only("id", "clinic_id"):
        Consent.objects.filter(pk=consent.pk).update(invalidated_at=now, invalidated_reason=REASON)
        AuditEvent.objects.create(
            actor=None,
            action="update",
            interface="cli",
            object_type="care.consent",
            object_id=str(consent.pk),
            clinic_id=consent.clinic_id,
            changed_fields=["invalidated_at", "invalidated_reason"],
            detail={"migration": "consent_plan"},
        )


def forwards(apps, schema_editor):
    publish_texts(apps, schema_editor)
    end_consents_without_plan(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_remove_auditevent_audit_interface_known_and_more"),
        ("care", "0010_worklist"),
        ("clinics", "0002_default_services"),
        ("patients", "0004_clinic_name_prefix_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="consent",
            name="course",
            field=models.ForeignKey(
                blank=True,
                help_text="The planned course this consent names (empty only on old consents).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="consents",
                to="care.course",
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="plan",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="The plan as the patient read it: products, sessions, interval.",
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="plan_digest",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddConstraint(
            model_name="consent",
            constraint=models.UniqueConstraint(
                condition=models.Q(("course__isnull", False), ("invalidated_at__isnull", True)),
                fields=("course",),
                name="consent_one_valid_per_course",
            ),
        ),
        migrations.AddConstraint(
            model_name="consent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("course__isnull", True), ("plan_digest", "")),
                    models.Q(
                        ("course__isnull", False), models.Q(("plan_digest", ""), _negated=True)
                    ),
                    _connector="OR",
                ),
                name="consent_plan_with_course",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
