"""Reads for the public guide: published content, the full-text search and the clinic finder.

Search runs on the database's own full-text index (see migration 0002): PostgreSQL's tsvector
with a GIN index, or SQLite's FTS5. Both receive the same folded terms from `search.search_terms`.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Prefetch
from django.db.models.functions import Lower

from mesoclinic.clinics.models import Clinic, Membership, OpeningHours, Practitioner
from mesoclinic.guide import search
from mesoclinic.guide.models import Concern, Question, SearchEntry, TimelineStep, Topic

MAX_RESULTS = 20


def published_topics():
    return Topic.objects.filter(is_published=True)


def published_questions():
    return Question.objects.filter(is_published=True).select_related("topic")


def active_concerns():
    return Concern.objects.filter(is_active=True)


def timeline_steps():
    return TimelineStep.objects.all()


@dataclass(frozen=True)
class SearchHit:
    entry: SearchEntry
    fragments: list[search.Fragment]


#: How long a search's results are kept. The index is rebuilt on every content edit, which
#: moves `SEARCH_VERSION` (seen at once by every process sharing the cache: all of them with
#: Redis, this one with the local-memory default); another process's local copy lasts this long.
SEARCH_CACHE_SECONDS = 300
SEARCH_VERSION = "guide-search-version"


def search_guide(query: str, *, language: str) -> tuple[list[str], list[SearchHit]]:
    """The terms searched for and the best matches (visitor's language first, then by rank).
    Two queries (the index lookup, then the matching entries with their topic or question),
    or none when the same terms were searched in the same language since the last edit: the
    public guide's search is the same for every visitor (issue 23)."""
    terms = search.search_terms(query)
    if not terms:
        return terms, []
    version = cache.get_or_set(SEARCH_VERSION, time.time_ns, timeout=None)
    digest = hashlib.sha256("\x1f".join(terms).encode()).hexdigest()[:32]
    key = f"guide-search:{version}:{language}:{digest}"
    hits = cache.get(key)
    if hits is None:
        hits = _search(terms, language)
        cache.set(key, hits, timeout=SEARCH_CACHE_SECONDS)
    return terms, hits


def forget_searches() -> None:
    """Every cached search is stale (the index was rebuilt): move to a new version."""
    try:
        cache.incr(SEARCH_VERSION)
    except ValueError:  # never set, or evicted: any new value is a new version
        cache.set(SEARCH_VERSION, time.time_ns(), timeout=None)


def _search(terms: list[str], language: str) -> list[SearchHit]:
    if connection.vendor == "postgresql":
        ranked = _ranked_postgresql(terms, language)
    else:
        ranked = _ranked_sqlite(terms, language)
    entries = SearchEntry.objects.select_related("topic", "question__topic").in_bulk(ranked)
    hits = [
        SearchHit(entry=entries[pk], fragments=search.snippet(entries[pk].text, terms))
        for pk in ranked
        if pk in entries
    ]
    return hits


def _ranked_postgresql(terms: list[str], language: str) -> list[int]:
    # Terms are letters and digits only (search.search_terms), so the tsquery text cannot carry
    # operators. English rows were indexed with the 'english' configuration (stemming); Urdu rows
    # hold folded tokens as they are, so their query is a tsquery literal, not parsed again.
    english = " & ".join(f"{term}:*" for term in terms)
    literal = " & ".join(f"'{term}':*" for term in terms)
    sql = """
        SELECT id FROM guide_searchentry
        WHERE (language = 'en' AND document @@ to_tsquery('english', %s))
           OR (language = 'ur' AND document @@ %s::tsquery)
        ORDER BY (language = %s) DESC,
                 ts_rank(document, CASE WHEN language = 'en'
                                        THEN to_tsquery('english', %s) ELSE %s::tsquery END) DESC,
                 id
        LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [english, literal, language, english, literal, MAX_RESULTS])
        return [row[0] for row in cursor.fetchall()]


def _ranked_sqlite(terms: list[str], language: str) -> list[int]:
    match = " AND ".join(f'"{term}"*' for term in terms)
    sql = """
        SELECT e.id FROM guide_searchentry_fts
        JOIN guide_searchentry e ON e.id = guide_searchentry_fts.rowid
        WHERE guide_searchentry_fts MATCH %s
        ORDER BY (e.language = %s) DESC, bm25(guide_searchentry_fts, 5.0, 1.0), e.id
        LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, language, MAX_RESULTS])
        return [row[0] for row in cursor.fetchall()]


def public_clinics(city: str | None = None):
    """Active clinics for the finder, with hours, services and credentialed practitioners loaded
    (4 queries whatever the number of clinics). `city` matches case-insensitively."""
    clinics = Clinic.objects.filter(is_active=True).order_by("city", "name")
    if city:
        clinics = clinics.annotate(city_lower=Lower("city")).filter(city_lower=city.lower())
    return clinics.prefetch_related(
        Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens")),
        "services",
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(
                user__is_active=True, user__practitioner__in=Practitioner.objects.credentialed()
            )
            .select_related("user__practitioner")
            .order_by("user__last_name", "user__first_name"),
            to_attr="credentialed_memberships",
        ),
    )


def cities() -> list[tuple[str, int]]:
    """Cities with at least one active clinic, and how many (one grouped query)."""
    rows = (
        Clinic.objects.filter(is_active=True)
        .values("city")
        .annotate(clinics=Count("id"))
        .order_by("city")
    )
    return [(row["city"], row["clinics"]) for row in rows]


def get_public_clinic(slug: str):
    return public_clinics().filter(slug=slug).first()
