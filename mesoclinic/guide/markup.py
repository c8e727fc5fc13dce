"""The guide's tiny text format, turned into safe HTML. Pure: no Django imports.

Editors write plain text in the admin; a full markup language (or raw HTML) would let a typo or
a pasted script break a public page. Blocks are separated by blank lines:

- a block whose lines all start with "- " is a bulleted list;
- a line starting with "## " is a subheading;
- a block starting with "! " is a highlighted note (evidence caveats, safety warnings);
- anything else is a paragraph (its lines joined with spaces).

Everything is HTML-escaped, so the output never carries markup the editor typed.
"""

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Block:
    kind: str  # "paragraph", "list", "heading" or "note"
    lines: tuple[str, ...]


def parse(text: str) -> list[Block]:
    blocks: list[Block] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n\n"):
        lines = [line.strip() for line in raw.split("\n") if line.strip()]
        if not lines:
            continue
        # A heading line inside a block splits it, so "## Title\ntext" still works.
        current: list[str] = []
        for line in lines:
            if line.startswith("## "):
                blocks.extend(_block(current))
                current = []
                blocks.append(Block("heading", (line[3:].strip(),)))
            else:
                current.append(line)
        blocks.extend(_block(current))
    return [block for block in blocks if any(block.lines)]


def _block(lines: list[str]) -> list[Block]:
    if not lines:
        return []
    if all(line.startswith("- ") for line in lines):
        return [Block("list", tuple(line[2:].strip() for line in lines))]
    if lines[0].startswith("! "):
        return [Block("note", (" ".join([lines[0][2:].strip(), *lines[1:]]),))]
    return [Block("paragraph", (" ".join(lines),))]


def to_html(text: str, *, heading_level: int = 2) -> str:
    """Render the format as HTML; `heading_level` is the level of '## ' subheadings."""
    parts = []
    for block in parse(text):
        if block.kind == "heading":
            parts.append(f"<h{heading_level}>{escape(block.lines[0])}</h{heading_level}>")
        elif block.kind == "list":
            items = "".join(f"<li>{escape(line)}</li>" for line in block.lines)
            parts.append(f"<ul>{items}</ul>")
        elif block.kind == "note":
            parts.append(f'<p class="note">{escape(block.lines[0])}</p>')
        else:
            parts.append(f"<p>{escape(block.lines[0])}</p>")
    return "\n".join(parts)


def to_plain_text(text: str) -> str:
    """The words a reader sees, without markers: what the search index stores."""
    return "\n".join(" ".join(block.lines) for block in parse(text))
