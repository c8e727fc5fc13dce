"""The public patient guide: topics, questions, self-check concerns and the timeline picture.

Content is data, so a clinic's editors change it in the admin without a release; the shipped
text is loaded by a data migration, so production has it too. Every text comes in English and
Urdu; `localized()` picks the visitor's language and falls back to English when a translation
is missing, so an untranslated edit never shows a blank page.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mesoclinic.care.rules import INDICATIONS, INGREDIENTS


class LocalizedText:
    """`title = LocalizedText()` reads `title_ur` on Urdu pages and `title_en` otherwise."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        return self if instance is None else instance.localized(self.name)


class Localized(models.Model):
    class Meta:
        abstract = True

    def localized(self, field: str, language: str | None = None) -> str:
        language = (language or translation.get_language() or "en")[:2]
        value = getattr(self, f"{field}_{language}", "") if language == "ur" else ""
        return value or getattr(self, f"{field}_en")


class Topic(Localized):
    """One page of the guide (what it is, history, safety …), written in both languages."""

    class Picture(models.TextChoices):
        NONE = "", _("None")
        TIMELINE = "timeline", _("Treatment timeline")
        TREATMENT_AREAS = "treatment_areas", _("Treatment areas")

    slug = models.SlugField(max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(default=100)
    picture = models.CharField(max_length=20, choices=Picture.choices, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=120)
    title_ur = models.CharField(_("title (Urdu)"), max_length=120, blank=True)
    summary_en = models.CharField(
        _("summary (English)"), max_length=300, help_text=_("Shown in lists and search engines.")
    )
    summary_ur = models.CharField(_("summary (Urdu)"), max_length=300, blank=True)
    body_en = models.TextField(
        _("text (English)"),
        help_text=_(
            "Blank line between paragraphs; '- ' starts a list item, '## ' a subheading, "
            "'! ' a highlighted note."
        ),
    )
    body_ur = models.TextField(_("text (Urdu)"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.title_en

    title = LocalizedText()

    summary = LocalizedText()

    body = LocalizedText()


class Question(Localized):
    """A frequently asked question with its answer, linked to the topic that explains more."""

    slug = models.SlugField(max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(default=100)
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    question_en = models.CharField(_("question (English)"), max_length=200)
    question_ur = models.CharField(_("question (Urdu)"), max_length=200, blank=True)
    answer_en = models.TextField(_("answer (English)"))
    answer_ur = models.TextField(_("answer (Urdu)"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.question_en

    question = LocalizedText()

    answer = LocalizedText()


def _ingredient_help() -> str:
    # Formatted when shown, not at import, so the admin sees it in the user's language.
    return gettext("Ingredient codes, e.g. tranexamic_acid. Known: %(codes)s") % {
        "codes": ", ".join(INGREDIENTS)
    }


class Concern(Localized):
    """What a visitor wants treated, in their words, mapped to the indication code the rules
    engine knows and the ingredients typically used for it (so ingredient rules can warn)."""

    code = models.SlugField(max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(default=100)
    indication = models.CharField(max_length=40, choices=[(c, c) for c in INDICATIONS])
    label_en = models.CharField(_("label (English)"), max_length=120)
    label_ur = models.CharField(_("label (Urdu)"), max_length=120, blank=True)
    typical_ingredients = models.JSONField(
        default=list,
        blank=True,
        help_text=lazy(_ingredient_help, str)(),
    )
    note_en = models.CharField(_("note (English)"), max_length=300, blank=True)
    note_ur = models.CharField(_("note (Urdu)"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.label_en

    def clean(self):
        """The self-check evaluates these codes: a typo would break it for every visitor."""
        codes = self.typical_ingredients
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            raise ValidationError(
                {"typical_ingredients": _('Give a list of codes, e.g. ["tranexamic_acid"].')}
            )
        unknown = sorted(set(codes) - set(INGREDIENTS))
        if unknown:
            raise ValidationError(
                {
                    "typical_ingredients": _("Unknown ingredient codes: %(codes)s")
                    % {"codes": ", ".join(unknown)}
                }
            )

    label = LocalizedText()

    note = LocalizedText()


class TimelineStep(Localized):
    """A step of the treatment-timeline picture. Editable because course lengths and intervals
    are clinic data with sources, never constants in code."""

    order = models.PositiveSmallIntegerField(unique=True)
    title_en = models.CharField(_("title (English)"), max_length=30)
    title_ur = models.CharField(_("title (Urdu)"), max_length=30, blank=True)
    detail_en = models.CharField(_("detail (English)"), max_length=50)
    detail_ur = models.CharField(_("detail (Urdu)"), max_length=50, blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.title_en

    title = LocalizedText()

    detail = LocalizedText()


class SearchEntry(models.Model):
    """One searchable document per topic or question and language, rebuilt whenever content
    changes. `title_folded`/`text_folded` hold the text after `search.fold` (case, Urdu letter
    variants, diacritics, digits) as space-separated tokens; the full-text index over them is
    created per database by migration 0002 (PostgreSQL: a generated tsvector column with a GIN
    index; SQLite: an FTS5 table kept in step by triggers)."""

    class Kind(models.TextChoices):
        TOPIC = "topic", _("Guide")
        QUESTION = "question", _("Question")

    language = models.CharField(max_length=2)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, null=True, related_name="+")
    title = models.CharField(max_length=200)
    text = models.TextField()
    title_folded = models.TextField()
    text_folded = models.TextField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="searchentry_language_known", condition=models.Q(language__in=["en", "ur"])
            ),
            models.CheckConstraint(
                name="searchentry_one_source",
                condition=models.Q(kind="topic", topic__isnull=False, question__isnull=True)
                | models.Q(kind="question", question__isnull=False, topic__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.language}: {self.title}"
