"""Django admin that audits: every view, change and deletion made there lands in the trail."""

from django.contrib import admin

from mesoclinic.audit.services import Action, Interface, record_event


class AuditedModelAdmin(admin.ModelAdmin):
    #: Audit opening the list too: for personal data, where a listing or search is a read.
    audit_listing = False
    #: Records are never hard-deleted from the admin (issue 20): a patient is archived, a
    #: clinical record is corrected or retracted through its service. Only settings whose rows
    #: may simply go (a break, a leave, a closure) say `deletable = True`; without it the
    #: delete page answers 403 and "delete selected" is not offered.
    deletable = False

    def has_delete_permission(self, request, obj=None):
        return self.deletable and super().has_delete_permission(request, obj)

    def changelist_view(self, request, extra_context=None):
        if self.audit_listing:
            record_event(
                actor=request.user,
                action=Action.LIST,
                via=Interface.ADMIN,
                object_type=self.model._meta.label_lower,
            )
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_event(
            actor=request.user,
            action=Action.UPDATE if change else Action.CREATE,
            via=Interface.ADMIN,
            instance=obj,
            changed_fields=form.changed_data,
        )

    def save_formset(self, request, form, formset, change):
        """Inline rows (opening hours, rooms, memberships: who may see which clinic) are
        audited one by one, like the record they belong to."""
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            record_event(
                actor=request.user, action=Action.DELETE, via=Interface.ADMIN, instance=obj
            )
            obj.delete()
        for obj, changed in formset.changed_objects:
            obj.save()
            record_event(
                actor=request.user,
                action=Action.UPDATE,
                via=Interface.ADMIN,
                instance=obj,
                changed_fields=changed,
            )
        for obj in formset.new_objects:
            obj.save()
            record_event(
                actor=request.user, action=Action.CREATE, via=Interface.ADMIN, instance=obj
            )
        formset.save_m2m()

    def delete_model(self, request, obj):
        record_event(actor=request.user, action=Action.DELETE, via=Interface.ADMIN, instance=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record_event(
                actor=request.user, action=Action.DELETE, via=Interface.ADMIN, instance=obj
            )
        super().delete_queryset(request, queryset)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None:
                record_event(
                    actor=request.user, action=Action.VIEW, via=Interface.ADMIN, instance=obj
                )
        return super().change_view(request, object_id, form_url, extra_context)
