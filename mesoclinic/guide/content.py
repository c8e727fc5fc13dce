"""The guide's shipped content and the documents its search index holds."""

import json
from pathlib import Path

from mesoclinic.guide import markup, search

SEED_DIR = Path(__file__).resolve().parent / "seed"
LANGUAGES = ("en", "ur")


def read_seed(name: str = "content_v1.json") -> dict:
    return json.loads((SEED_DIR / name).read_text(encoding="utf-8"))


def load_content(data: dict, *, Topic, Question, Concern, TimelineStep) -> None:
    """Create or update every item by its slug (or order, for timeline steps): what migration
    0003 does, for tests and tools that start from an emptied database."""
    topics = {}
    for item in data["topics"]:
        fields = {k: v for k, v in item.items() if k != "slug"}
        topics[item["slug"]], _ = Topic.objects.update_or_create(slug=item["slug"], defaults=fields)
    for item in data["questions"]:
        fields = {k: v for k, v in item.items() if k not in ("slug", "topic")}
        fields["topic"] = topics.get(item.get("topic"))
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
