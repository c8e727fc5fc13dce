"""The documents the guide's search index holds, built from its topics and questions."""

from mesoclinic.guide import markup, search

LANGUAGES = ("en", "ur")


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
