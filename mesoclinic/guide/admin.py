from django.contrib import admin

from mesoclinic.guide import services
from mesoclinic.guide.models import Concern, Question, TimelineStep, Topic


class ContentAdmin(admin.ModelAdmin):
    """Guide editors' changes are audited and re-index the search in the same transaction."""

    def save_model(self, request, obj, form, change):
        services.save_content(
            acting_user=request.user, item=obj, changed_fields=form.changed_data, created=not change
        )

    def delete_model(self, request, obj):
        services.delete_content(acting_user=request.user, items=[obj])

    def delete_queryset(self, request, queryset):
        services.delete_content(acting_user=request.user, items=list(queryset))


@admin.register(Topic)
class TopicAdmin(ContentAdmin):
    list_display = ["title_en", "title_ur", "order", "is_published", "updated_at"]
    list_editable = ["order"]
    search_fields = ["title_en", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}


@admin.register(Question)
class QuestionAdmin(ContentAdmin):
    list_display = ["question_en", "topic", "order", "is_published"]
    list_filter = ["topic", "is_published"]
    search_fields = ["question_en", "slug"]


@admin.register(Concern)
class ConcernAdmin(ContentAdmin):
    list_display = ["label_en", "code", "indication", "order", "is_active"]


@admin.register(TimelineStep)
class TimelineStepAdmin(ContentAdmin):
    list_display = ["order", "title_en", "detail_en"]
