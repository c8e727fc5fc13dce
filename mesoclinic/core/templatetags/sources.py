"""Sources as a clinician reads them: the seeds cite the project's own files ("CLINICAL.md",
"the seed guide"), which mean nothing on a clinic's page; the stored text keeps them (an
approved protocol version is frozen), the page says what they are."""

import re

from django import template

register = template.Library()

_FILES = (
    (re.compile(r"(?:shared/)?CLINICAL\.md"), "mesoclinic clinical reference"),
    (re.compile(r"\bseed guide\b"), "mesoclinic patient guide"),
)


@register.filter
def plain_source(text) -> str:
    """`text` with the project's file names replaced by what they are."""
    text = str(text or "")
    for pattern, words in _FILES:
        text = pattern.sub(words, text)
    return text
