from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.guide import markup


def test_it_renders_paragraphs_lists_headings_and_notes():
    text = "First line\nsame paragraph.\n\n- one\n- two\n\n## Safety\n\n! Weak evidence."
    assert markup.to_html(text) == (
        "<p>First line same paragraph.</p>\n<ul><li>one</li><li>two</li></ul>\n"
        "<h2>Safety</h2>\n"
        '<p class="note">Weak evidence.</p>'
    )


def test_it_uses_the_requested_heading_level():
    assert markup.to_html("## Sub", heading_level=4) == "<h4>Sub</h4>"


def test_it_escapes_whatever_an_editor_types():
    html = markup.to_html('<script>alert("x")</script>\n\n- <b>bold</b>')
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html


def test_it_gives_search_the_words_without_markers():
    assert markup.to_plain_text("## Title\n\n- a\n- b\n\n! note") == "Title\na b\nnote"


@given(st.text())
def test_it_never_emits_a_tag_it_did_not_make(text):
    html = markup.to_html(text)
    allowed = ("<p>", "</p>", '<p class="note">', "<ul>", "</ul>", "<li>", "</li>")
    allowed += ("<h2>", "</h2>")
    rest = html
    for tag in allowed:
        rest = rest.replace(tag, "")
    assert "<" not in rest and ">" not in rest
