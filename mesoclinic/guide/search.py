"""Search rules for the guide: folding, terms and snippets. Pure: no Django imports.

Both databases index text that went through `fold`, and both receive the terms from
`search_terms`, so a search behaves the same on SQLite (FTS5) and PostgreSQL (tsvector).

Folding makes what people type match what editors wrote: Latin case; the Arabic letter
variants an Arabic keyboard produces for Urdu letters (ي/ى → ی, ك → ک, ه → ہ); vowel marks,
tatweel and zero-width joiners; Urdu and Arabic digits.
"""

import re
import unicodedata
from dataclasses import dataclass

from mesoclinic.core.text import fold_digits

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MAX_TERM_LENGTH = 32

_LETTER_VARIANTS = str.maketrans(
    {
        "\u064a": "\u06cc",  # Arabic yeh → Farsi/Urdu yeh
        "\u0649": "\u06cc",  # alef maksura → yeh
        "\u0643": "\u06a9",  # Arabic kaf → keheh
        "\u0647": "\u06c1",  # Arabic heh → heh goal
        "\u06c0": "\u06c1",  # heh with yeh above → heh goal
        "\u0623": "\u0627",  # alef with hamza above → alef
        "\u0625": "\u0627",  # alef with hamza below → alef
        "\u0622": "\u0627",  # alef madda → alef
    }
)
# Vowel marks (harakat), superscript alef, tatweel, zero-width non-joiner and joiner.
_IGNORED = re.compile("[\u064b-\u065f\u0670\u0640\u200c\u200d]")
_WORD = re.compile(r"[^\W_]+")

# Words too common to narrow a search, dropped from queries on both databases alike.
STOPWORDS = frozenset(
    """a an and are as at be by can do does for from how i in is it its me my of on or
    should the to what when where which who why will with you your
    اور ایک ہے ہیں ہو کا کی کے کو کیا میں سے پر یہ وہ بھی تو نہیں ہوتا ہوتی ہوتے کر کرنا
    کیسے کب کون کہاں جو""".split()  # noqa: SIM905 - a word list reads best as words
)


def fold(text: str) -> str:
    """The comparable form of a text: NFKC, case-folded, Urdu letters unified, marks removed."""
    text = unicodedata.normalize("NFKC", text)
    text = _IGNORED.sub("", text).translate(_LETTER_VARIANTS)
    return fold_digits(text).casefold()


def tokens(text: str) -> list[str]:
    """The folded words of a text, in order (letters and digits; underscores split words)."""
    return _WORD.findall(fold(text))


#: Longer "words" (a pasted link, a typo without spaces) are cut: PostgreSQL refuses lexemes of
#: 2 KB, and no one searches for 64 letters at once (a query's terms are shorter still).
MAX_INDEXED_TOKEN_LENGTH = 64


def index_text(text: str) -> str:
    """What the index stores: folded tokens joined by single spaces."""
    return " ".join(token[:MAX_INDEXED_TOKEN_LENGTH] for token in tokens(text))


def search_terms(query: str) -> list[str]:
    """The distinct, meaningful terms of a visitor's query, capped so a pasted essay cannot
    turn into an expensive search. Empty when nothing searchable is left."""
    terms: list[str] = []
    for token in tokens(query[:MAX_QUERY_LENGTH]):
        token = token[:MAX_TERM_LENGTH]
        if token not in STOPWORDS and token not in terms:
            terms.append(token)
    return terms[:MAX_TERMS]


@dataclass(frozen=True)
class Fragment:
    text: str
    highlighted: bool


def _matches(word: str, terms: list[str]) -> bool:
    """Whether a displayed word should be highlighted for these terms. Prefix matching on a
    stem-like head, so "injections" lights up for "injection" and the index's stemming
    ("painful" finds "pain") still shows the reader why a result matched."""
    for folded in tokens(word):
        for term in terms:
            if folded.startswith(term) or (len(term) > 4 and folded.startswith(term[:-2])):
                return True
    return False


def snippet(text: str, terms: list[str], *, words: int = 30) -> list[Fragment]:
    """A window of about `words` words around the first matching word, as fragments to render
    (the template escapes them and marks the highlighted ones)."""
    parts = re.split(r"(\s+)", " ".join(text.split()))
    word_positions = [i for i, part in enumerate(parts) if part and not part.isspace()]
    first = next((n for n, i in enumerate(word_positions) if _matches(parts[i], terms)), 0)
    start = max(0, first - words // 3)
    chosen = word_positions[start : start + words]
    if not chosen:
        return []
    fragments = []
    if start > 0:
        fragments.append(Fragment("… ", False))
    for position, index in enumerate(chosen):
        word = parts[index]
        fragments.append(Fragment(word, _matches(word, terms)))
        if position < len(chosen) - 1:
            fragments.append(Fragment(" ", False))
    if start + words < len(word_positions):
        fragments.append(Fragment(" …", False))
    return fragments
