from django.contrib import admin

from mesoclinic.audit.admin_mixins import AuditedModelAdmin
from mesoclinic.care.models import ContraindicationRule


@admin.register(ContraindicationRule)
class ContraindicationRuleAdmin(AuditedModelAdmin):
    """Medical leads edit the screening policy here; every change is audited, and the model's
    clean() refuses triggers or codes the engine does not know."""

    list_display = ["code", "severity", "unverified", "is_active", "updated_at"]
    list_filter = ["severity", "unverified", "is_active"]
    search_fields = ["code", "message_en", "source"]
