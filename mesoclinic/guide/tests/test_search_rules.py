from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.guide import search


def test_it_folds_arabic_keyboard_letters_to_urdu():
    # Arabic yeh and kaf (what an Arabic keyboard types) match the Urdu letters editors use.
    assert search.fold("كيا") == search.fold("کیا")
    assert search.fold("علاج") == "علاج"


def test_it_ignores_vowel_marks_and_zero_width_joiners():
    assert search.fold("دَوا\u200c") == "دوا"


def test_it_folds_case_and_urdu_digits():
    assert search.fold("PMDC ۴") == "pmdc 4"


def test_it_drops_common_words_and_repeats_from_queries():
    assert search.search_terms("Is it painful? painful!") == ["painful"]
    assert search.search_terms("کیا یہ درد ہوتا ہے") == ["درد"]


def test_it_finds_nothing_to_search_in_punctuation_or_stopwords():
    assert search.search_terms("?!... the") == []


def test_it_caps_long_queries():
    terms = search.search_terms(" ".join(f"word{i}" for i in range(100)))
    assert len(terms) == search.MAX_TERMS


def test_it_highlights_the_matching_words_in_a_snippet():
    fragments = search.snippet("Numbing cream makes injections less painful.", ["injection"])
    assert [f.text for f in fragments if f.highlighted] == ["injections"]


@given(st.text(max_size=600))
def test_it_always_gives_terms_an_index_can_take(query):
    terms = search.search_terms(query)
    assert len(terms) <= search.MAX_TERMS
    for term in terms:
        # Letters and digits only: nothing a tsquery or FTS5 MATCH could read as syntax.
        assert term and len(term) <= search.MAX_TERM_LENGTH
        assert all(ch.isalnum() for ch in term)


@given(st.text(max_size=300), st.lists(st.text(min_size=1, max_size=10), max_size=3))
def test_it_builds_snippets_from_the_original_words(text, terms):
    fragments = search.snippet(text, terms)
    words = set(text.split())
    for fragment in fragments:
        if fragment.text.strip() and fragment.text.strip() != "…":
            assert fragment.text in words
