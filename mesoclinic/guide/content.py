"""Loading the shipped guide content and building its search index.

Both take the model classes as arguments so the data migration can pass its historical models
and the services the current ones: a production install gets the same content and index as
the demo, by the same code.
"""

import json
from pathlib import Path

from mesoclinic.guide import markup, search

SEED_DIR = Path(__file__).resolve().parent / "seed"
LANGUAGES = ("en", "ur")


def read_seed(name: str = "content_v1.json") -> dict:
    return json.loads((SEED_DIR / name).read_text(encoding="utf-8"))


def load_content(data: dict, *, Topic, Question, Concern, TimelineStep) -> None:
    """Create or update every item by its slug (or order, for timeline steps)."""
    topics = {}
    for item in data["topics"]:
        fields = {k: v for k, v in item.items() if k != "slug"}
        topics[item["slug"]], _ = Topic.objects.update_or_create(slug=item["slug"], defaults=fields)
    for item in data["questions"]:
        fields = {k: v for k, v in item.items() if k not in ("slug", "topic")}
        fields["topic"] = (
            topics.get(item.get("topic")) or Topic.objects.filter(slug=item.get("topic")).first()
        )
        Question.objects.update_or_create(slug=item["slug"], defaults=fields)
    for item in data["concerns"]:
        fields = {k: v for k, v in item.items() if k != "code"}
        Concern.objects.update_or_create(code=item["code"], defaults=fields)
    for item in data["timeline_steps"]:
        fields = {k: v for k, v in item.items() if k != "order"}
        TimelineStep.objects.update_or_create(order=item["order"], defaults=fields)


def search_documents(topics, questions) -> list[dict]:
    """The index rows for published topics and questions, one per language that has text."""
    rows = []
    for topic in topics:
        for language in LANGUAGES:
            title = getattr(topic, f"title_{language}")
            body = getattr(topic, f"body_{language}")
            if title and body:
                text = "\n".join(
                    [getattr(topic, f"summary_{language}"), markup.to_plain_text(body)]
                )
                rows.append(_row(language, "topic", title, text, topic=topic))
    for question in questions:
        for language in LANGUAGES:
            title = getattr(question, f"question_{language}")
            answer = getattr(question, f"answer_{language}")
            if title and answer:
                text = markup.to_plain_text(answer)
                rows.append(_row(language, "question", title, text, question=question))
    return rows


def _row(language, kind, title, text, **source) -> dict:
    return {
        "language": language,
        "kind": kind,
        "title": title,
        "text": text,
        "title_folded": search.index_text(title),
        "text_folded": search.index_text(text),
        **source,
    }


def rebuild_search_index(*, Topic, Question, SearchEntry) -> int:
    """Replace the whole index (the guide is a few dozen documents; a rebuild takes
    milliseconds and can never leave a stale row behind)."""
    SearchEntry.objects.all().delete()
    rows = search_documents(
        Topic.objects.filter(is_published=True), Question.objects.filter(is_published=True)
    )
    SearchEntry.objects.bulk_create(SearchEntry(**row) for row in rows)
    return len(rows)
