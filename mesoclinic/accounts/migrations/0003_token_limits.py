# Issue 20: tokens expire, record their last use, carry a scope and name their successor.

import django.db.models.deletion
from datetime import timedelta

from django.db import migrations, models


def expire_existing(apps, schema_editor):
    """Tokens issued before expiry existed get the default lifetime from now: integrations
    keep working and are told, by the token page and the admin, when to rotate."""
    from django.conf import settings
    from django.utils import timezone

    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_role_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, help_text="After this the token is refused."),
        ),
        migrations.RunPython(expire_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(help_text="After this the token is refused."),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="last_used_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Updated at most once every few minutes, not on every request.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="replaced_by",
            field=models.OneToOneField(
                blank=True,
                help_text="The token issued when this one was rotated.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="replaces",
                to="accounts.apitoken",
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "Read only"), ("read_write", "Read and write")],
                default="read_write",
                max_length=10,
            ),
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=models.Q(("scope__in", ["read", "read_write"])),
                name="api_token_scope_known",
            ),
        ),
    ]
