"""The message templates in the admin: the chain's defaults and each clinic's own wording.

Versioned like the consent texts: a stored version is never changed (messages name the version
they were written from), so "Save" on a version writes the next version with the edited text,
through `message_templates.save_version` (validated, audited). The change page shows the
message in both languages with sample values and its SMS segments.
"""

from django import forms
from django.contrib import admin
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from mesoclinic.audit.admin_mixins import AuditedModelAdmin
from mesoclinic.audit.services import Interface
from mesoclinic.notifications import message_templates
from mesoclinic.notifications.catalogue import DEFAULT_TEMPLATES
from mesoclinic.notifications.models import MessageTemplate


class ParametersField(forms.CharField):
    """WhatsApp parameters typed as names separated by commas, stored as a list."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [name.strip() for name in text.split(",") if name.strip()]


#: What the clinic writes in a version; the rest (version, who, when) the save records.
EDITABLE = [
    "clinic_id",
    "code",
    "language",
    "text",
    "title",
    "whatsapp_template",
    "whatsapp_parameters",
    "source",
]


class MessageTemplateForm(forms.ModelForm):
    code = forms.ChoiceField(choices=[(code, code) for code in sorted(DEFAULT_TEMPLATES)])
    whatsapp_parameters = ParametersField(
        required=False,
        help_text=_("Placeholder names in the order of the approved template: clinic, link."),
    )

    class Meta:
        model = MessageTemplate
        fields = EDITABLE
        widgets = {"text": forms.Textarea(attrs={"rows": 6, "dir": "auto"})}

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        code = data.get("code") or self.instance.code
        message_templates.validate(
            code=code,
            text=data.get("text", ""),
            title=data.get("title", ""),
            whatsapp_parameters=data.get("whatsapp_parameters", []),
            language=data.get("language") or self.instance.language,
        )
        return data


@admin.register(MessageTemplate)
class MessageTemplateAdmin(AuditedModelAdmin):
    form = MessageTemplateForm
    list_display = ["code", "language", "owner", "version", "created_at", "created_by"]
    list_filter = ["code", "language"]
    search_fields = ["code", "text"]

    def owner(self, obj):
        return _("clinic %(id)s") % {"id": obj.clinic_id} if obj.clinic_id else _("chain default")

    owner.short_description = _("whose")

    def get_readonly_fields(self, request, obj=None):
        fixed = ["preview", "version", "created_at", "created_by"]
        if obj is not None:
            # A new version of the same message: its owner, code and language stay.
            return [*fixed, "clinic_id", "code", "language"]
        return fixed

    def get_fields(self, request, obj=None):
        return [*EDITABLE, "preview", "version", "created_at", "created_by"]

    def has_delete_permission(self, request, obj=None):
        return False  # sent messages name their version

    @admin.display(description=_("Preview with sample values"))
    def preview(self, obj):
        if obj is None or not obj.pk:
            return _("Save to see the preview.")
        rows = []
        for item in message_templates.preview(
            code=obj.code, clinic_id=obj.clinic_id, texts={obj.language: obj.text}
        ):
            segments = (
                _("%(n)s SMS segment(s), %(encoding)s, %(chars)s characters")
                % {
                    "n": item.segments.segments,
                    "encoding": item.segments.encoding,
                    "chars": item.segments.characters,
                }
                if item.segments
                else item.problem
            )
            rows.append(
                (
                    item.language,
                    "rtl" if item.language == "ur" else "ltr",
                    # Line breaks as <br>: an inline style would need the CSP's unsafe-inline.
                    linebreaksbr(item.text, autoescape=True),
                    segments,
                )
            )
        return format_html(
            '<div class="message-preview">{}</div>',
            format_html_join(
                "",
                '<div lang="{0}" dir="{1}" class="preview-{0}"><p>'
                "{2}</p><p><small>{3}</small></p></div>",
                rows,
            ),
        )

    def save_model(self, request, obj, form, change):
        """Every save is a new version (audited by the service, not by the mixin)."""
        row = message_templates.save_version(
            acting_user=request.user,
            via=Interface.ADMIN,
            clinic_id=obj.clinic_id,
            code=obj.code,
            language=obj.language,
            text=obj.text,
            title=obj.title,
            whatsapp_template=obj.whatsapp_template,
            whatsapp_parameters=obj.whatsapp_parameters,
            source=obj.source,
        )
        # The admin goes on with the new version (its messages, its redirect).
        obj.pk, obj.version = row.pk, row.version
        obj.created_at, obj.created_by = row.created_at, row.created_by
