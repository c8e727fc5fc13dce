"""Guide search on the database's own full-text index, in English and Urdu."""

import pytest
from django.urls import reverse
from django.utils import translation

from mesoclinic.guide import selectors, services
from mesoclinic.guide.models import Question

pytestmark = pytest.mark.django_db


def _titles(query, language="en"):
    _terms, hits = selectors.search_guide(query, language=language)
    return [(hit.entry.language, hit.entry.question_id or hit.entry.topic_id) for hit in hits], hits


def test_it_finds_english_words_by_their_stem():
    _ids, hits = _titles("injection pain")
    assert hits
    assert any("pain" in hit.entry.text.lower() for hit in hits)


def test_it_finds_the_pain_question_for_painful():
    _ids, hits = _titles("painful")
    slugs = {hit.entry.question.slug for hit in hits if hit.entry.question}
    assert "is-it-painful" in slugs


def test_it_finds_urdu_text_typed_with_an_arabic_keyboard():
    urdu = Question.objects.get(slug="pregnancy-breastfeeding").question_ur
    word = next(w for w in urdu.split() if "ی" in w and len(w) > 3)
    arabic_keyboard = word.replace("ی", "ي").replace("ک", "ك")
    _ids, hits = _titles(arabic_keyboard, language="ur")
    assert any(
        hit.entry.question and hit.entry.question.slug == "pregnancy-breastfeeding" for hit in hits
    )


def test_it_puts_the_visitors_language_first():
    _ids, hits = _titles("PMDC", language="ur")
    assert hits and hits[0].entry.language == "ur"


def test_it_marks_the_matched_words_in_the_snippet():
    _ids, hits = _titles("melasma")
    assert any(f.highlighted and "melasma" in f.text.lower() for f in hits[0].fragments)


def test_it_reindexes_when_an_editor_changes_an_answer(administrator):
    question = Question.objects.get(slug="is-it-painful")
    question.answer_en += "\n\nZygomaticus is a muscle."
    services.save_content(acting_user=administrator, item=question, changed_fields=["answer_en"])
    _ids, hits = _titles("zygomaticus")
    assert [hit.entry.question.slug for hit in hits] == ["is-it-painful"]


def test_it_forgets_an_unpublished_question(administrator):
    question = Question.objects.get(slug="is-it-painful")
    question.is_published = False
    services.save_content(acting_user=administrator, item=question, changed_fields=["is_published"])
    _ids, hits = _titles("numbing")
    assert all(hit.entry.question_id != question.pk for hit in hits)


def test_it_searches_with_two_queries(django_assert_num_queries):
    # 1: the full-text index lookup, ranked; 2: the matching entries with topic/question.
    with django_assert_num_queries(2):
        selectors.search_guide("melasma sessions", language="en")


def test_the_same_search_again_is_served_from_the_cache(django_assert_num_queries):
    first = selectors.search_guide("melasma sessions", language="en")
    with django_assert_num_queries(0):
        again = selectors.search_guide("Melasma   SESSIONS", language="en")
    assert [h.entry.pk for h in again[1]] == [h.entry.pk for h in first[1]]
    with django_assert_num_queries(2):  # the other language is its own search
        selectors.search_guide("melasma sessions", language="ur")


def test_an_edit_shows_in_a_search_cached_before_it(administrator):
    """The cached answer to a search is dropped by the edit: the new word is found at once,
    the removed one no longer is."""
    assert _titles("zygomaticus")[1] == []
    question = Question.objects.get(slug="is-it-painful")
    question.answer_en += "\n\nZygomaticus is a muscle."
    services.save_content(acting_user=administrator, item=question, changed_fields=["answer_en"])
    assert [hit.entry.question.slug for hit in _titles("zygomaticus")[1]] == ["is-it-painful"]
    question.answer_en = question.answer_en.replace("Zygomaticus is a muscle.", "")
    services.save_content(acting_user=administrator, item=question, changed_fields=["answer_en"])
    assert _titles("zygomaticus")[1] == []


@pytest.mark.parametrize(
    "query", ["", "   ", "?!", "the", "x" * 500, "' OR 1=1 --", 'melasma" OR "a', "a:* & b", "\\"]
)
def test_it_answers_odd_searches_with_a_page_never_an_error(client, query):
    with translation.override("ur"):
        url = reverse("guide:search")
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    assert response["Content-Language"] == "ur"


def test_it_explains_an_empty_or_overlong_search(client):
    empty = client.get(reverse("guide:search"), {"q": ""})
    assert "Type a word to search for" in empty.content.decode()
    long = client.get(reverse("guide:search"), {"q": "x" * 500})
    assert "under 200 characters" in long.content.decode()


def test_it_shows_results_with_links_to_the_answer(client):
    response = client.get(reverse("guide:search"), {"q": "melasma"})
    html = response.content.decode()
    assert "/en/guide/faq/#for-melasma" in html
    assert "<mark>" in html
