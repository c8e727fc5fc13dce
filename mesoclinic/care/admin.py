"""Admin for the care policy: screening rules, each clinic's care settings and the consent
texts. Clinical records (consultations, patch tests, consents) are not here on purpose: they are
read and written through the staff pages, whose services lock, validate, scope and audit. Dose
overrides are listed read-only (each listing audited), as they were under the formulary."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.audit.admin_mixins import AuditedModelAdmin
from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.care.models import (
    AftercareText,
    CareSettings,
    ConsentText,
    ContraindicationRule,
    DoseOverride,
)
from mesoclinic.care.policy_reads import rules_by_ingredient
from mesoclinic.formulary.admin import IngredientAdmin, ReadOnlyAdmin
from mesoclinic.formulary.models import Ingredient


@admin.register(ContraindicationRule)
class ContraindicationRuleAdmin(AuditedModelAdmin):
    """Medical leads edit the screening policy here; every change is audited, and the model's
    clean() refuses triggers or codes the engine does not know."""

    list_display = ["code", "severity", "adult_age", "unverified", "is_active", "updated_at"]
    list_filter = ["severity", "unverified", "is_active"]
    search_fields = ["code", "message_en", "source"]


@admin.register(CareSettings)
class CareSettingsAdmin(AuditedModelAdmin):
    list_display = [
        "clinic",
        "patch_read_opens_hours",
        "patch_read_closes_hours",
        "patch_backdate_minutes",
        "patch_valid_days",
        "screening_valid_days",
        "adult_age",
        "updated_at",
    ]


class PublishedTextAdmin(AuditedModelAdmin):
    """Drafts are edited here and published with the action. A published text is what patients
    signed or were given, so it becomes read-only and cannot be deleted; a change is a new
    version."""

    list_display = ["procedure", "version", "title_en", "published_at"]
    list_filter = ["procedure"]
    actions = ["publish"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.published_at is not None:
            return [field.name for field in obj._meta.fields]
        return ["published_at"]

    def has_delete_permission(self, request, obj=None):
        return obj is not None and obj.published_at is None

    @admin.action(description="Publish the selected drafts")
    def publish(self, request, queryset):
        drafts = list(queryset.filter(published_at__isnull=True))
        now = timezone.now()
        for text in drafts:
            type(text).objects.filter(pk=text.pk).update(published_at=now)
            record_event(
                actor=request.user,
                action=Action.UPDATE,
                via=Interface.ADMIN,
                instance=text,
                changed_fields=["published_at"],
            )
        messages.success(request, f"Published {len(drafts)} text(s).")


@admin.register(ConsentText)
class ConsentTextAdmin(PublishedTextAdmin):
    pass


@admin.register(AftercareText)
class AftercareTextAdmin(PublishedTextAdmin):
    pass


@admin.register(DoseOverride)
class DoseOverrideAdmin(ReadOnlyAdmin):
    """Read-only: an override is recorded by a credentialed dermatologist through the plan and
    charting pages (`services.dose_overrides`), which check who and why and audit it."""

    audit_listing = True
    list_display = ["id", "component", "patient", "approved_by", "created_at"]
    raw_id_fields = ["patient"]


# The ingredient admin is the formulary's; the rules that name an ingredient are care's, so
# care, a floor above, adds them to it.
admin.site.unregister(Ingredient)


@admin.register(Ingredient)
class IngredientWithRulesAdmin(IngredientAdmin):
    readonly_fields = [*IngredientAdmin.readonly_fields, "screening_rules"]

    @admin.display(description=_("Screening rules for this ingredient"))
    def screening_rules(self, obj):
        rules = rules_by_ingredient().get(obj.code, []) if obj else []
        return "; ".join(f"{r.code} ({r.severity})" for r in rules) or "—"
