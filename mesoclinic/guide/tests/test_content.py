"""The shipped guide: every topic and question of the source text, in both languages."""

import pytest

from mesoclinic.guide import markup
from mesoclinic.guide.models import Concern, Question, SearchEntry, TimelineStep, Topic

pytestmark = pytest.mark.django_db

#: Every question the source text (shared/seed/mesotherapy-guide.txt) answers.
SOURCE_QUESTIONS = {
    "safe-for-all-skin-types": "skin",
    "how-many-sessions": "4",
    "is-it-painful": "numbing",
    "what-ingredients": "tranexamic",
    "for-melasma": "melasma",
    "side-effects": "72",
    "for-hair-loss": "scalp",
    "benefits": "",
    "is-it-permanent": "3",
    "where-available": "Islamabad",
    "pregnancy-breastfeeding": "No",
    "must-a-dermatologist-do-it": "dermatologist",
}

#: Every topic the source covers, with a fact its page must state.
SOURCE_TOPICS = {
    "what-is-mesotherapy": "mesoderm",
    "history": "1952",
    "what-it-treats": "cellulite",
    "ingredients": "kojic",
    "treatment-timeline": "3 to 6 months",
    "what-a-session-feels-like": "numbing",
    "safety": "72 hours",
    "skin-types-in-pakistan": "V",
    "who-should-perform-it": "PMDC",
    "availability-in-pakistan": "Rawalpindi",
}


def test_it_answers_every_question_of_the_source_in_english_and_urdu():
    questions = {q.slug: q for q in Question.objects.filter(is_published=True)}
    for slug, fact in SOURCE_QUESTIONS.items():
        question = questions[slug]
        assert question.question_en.endswith("?"), slug
        assert question.question_ur.endswith("؟"), slug
        assert fact in question.answer_en, slug
        assert question.answer_ur.strip(), slug


def test_it_covers_every_topic_of_the_source_in_both_languages():
    topics = {t.slug: t for t in Topic.objects.filter(is_published=True)}
    for slug, fact in SOURCE_TOPICS.items():
        topic = topics[slug]
        assert fact in topic.body_en + topic.summary_en, slug
        assert topic.title_ur and topic.summary_ur and topic.body_ur, slug


def test_it_states_the_history_and_the_honest_evidence_notes():
    history = Topic.objects.get(slug="history").body_en
    assert "France" in history and "Pistor" in history
    treats = Topic.objects.get(slug="what-it-treats").body_en
    notes = [b.lines[0] for b in markup.parse(treats) if b.kind == "note"]
    assert any("cellulite" in note.lower() for note in notes)
    assert any("lightening" in note.lower() or "whitening" in note.lower() for note in notes)


def test_it_writes_urdu_with_urdu_letters_not_arabic_look_alikes():
    texts = [t.body_ur + t.title_ur for t in Topic.objects.all()]
    texts += [q.question_ur + q.answer_ur for q in Question.objects.all()]
    for text in texts:
        assert not set(text) & {"\u064a", "\u0643"}


def test_it_ships_concerns_and_timeline_for_the_self_check_and_picture():
    assert Concern.objects.filter(indication="melasma").exists()
    assert Concern.objects.get(code="cellulite").note_en
    steps = list(TimelineStep.objects.values_list("title_en", flat=True))
    assert steps[0].startswith("Consultation") and len(steps) == 5


def test_it_indexes_every_published_topic_and_question_in_both_languages():
    count = Topic.objects.filter(is_published=True).count()
    count += Question.objects.filter(is_published=True).count()
    assert SearchEntry.objects.filter(language="en").count() == count
    assert SearchEntry.objects.filter(language="ur").count() == count


def test_it_refuses_a_concern_whose_ingredients_the_rules_do_not_know():
    from django.core.exceptions import ValidationError

    concern = Concern.objects.get(code="melasma")
    for bad in ("tranexamic_acid", [1], ["tranexamic_acid", "bleach"]):
        concern.typical_ingredients = bad
        with pytest.raises(ValidationError):
            concern.full_clean()


def test_it_indexes_the_text_as_the_running_code_folds_it():
    from mesoclinic.guide.search import index_text

    for entry in SearchEntry.objects.all():
        assert entry.title_folded == index_text(entry.title)
        assert entry.text_folded == index_text(entry.text)
