"""The timeline picture's geometry: pure Python, no database and no Django settings."""

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.guide.pictures import TimelineLayout, timeline_layout

STEPS = [
    ("Consultation", "Skin check and a treatment plan"),
    ("First session", "Small injections, about 30 minutes"),
    ("Sessions 2 to 4", "Every 1 to 2 weeks"),
]

texts = st.text(max_size=40)
step_lists = st.lists(st.tuples(texts, texts), min_size=1, max_size=10)


def layout(steps, *, rtl=False):
    return timeline_layout(steps, rtl=rtl, title="Your treatment", description="Three steps.")


def assert_inside_viewbox(t: TimelineLayout):
    assert t.width > 0
    assert t.height > 0
    assert 0 <= t.line.x <= t.width
    assert 0 <= t.line.y1 <= t.line.y2 <= t.height
    for s in t.steps:
        assert s.r <= s.cx <= t.width - s.r
        assert s.r <= s.cy <= t.height - s.r
        assert 0 <= s.text_x <= t.width
        assert 0 < s.title_y < s.detail_y < t.height


def test_it_numbers_the_steps_from_one_and_keeps_their_texts():
    t = layout(STEPS)

    assert [(s.number, s.title, s.detail) for s in t.steps] == [
        (n, title, detail) for n, (title, detail) in enumerate(STEPS, start=1)
    ]
    assert (t.title, t.description, t.width) == ("Your treatment", "Three steps.", 320)


def test_it_grows_taller_with_each_step():
    heights = [layout(STEPS[:n]).height for n in range(1, len(STEPS) + 1)]

    assert heights == sorted(set(heights))


def test_it_stacks_the_circles_down_the_line():
    t = layout(STEPS)

    assert len({s.cx for s in t.steps}) == 1
    assert [s.cy for s in t.steps] == sorted({s.cy for s in t.steps})
    assert (t.line.x, t.line.y1, t.line.y2) == (t.steps[0].cx, t.steps[0].cy, t.steps[-1].cy)


def test_it_puts_the_line_on_the_left_and_the_text_after_it_in_ltr():
    t = layout(STEPS)

    assert t.direction == "ltr"
    assert t.rtl is False
    for s in t.steps:
        assert s.cx < t.width / 2
        assert s.text_x > s.cx + s.r
        assert s.text_anchor == "start"


def test_it_mirrors_the_x_positions_in_rtl():
    ltr, rtl = layout(STEPS), layout(STEPS, rtl=True)

    assert rtl.direction == "rtl"
    assert rtl.rtl is True
    assert rtl.line.x == rtl.width - ltr.line.x
    for left, right in zip(ltr.steps, rtl.steps, strict=True):
        assert right.cx == rtl.width - left.cx
        assert right.text_x == rtl.width - left.text_x
        assert right.text_x < right.cx - right.r  # the text hangs to the left of the circle


def test_it_anchors_rtl_text_at_its_start_which_is_its_right_edge():
    # With direction="rtl", SVG's text-anchor="start" is the right edge; "end" would put the
    # Urdu text to the right of text_x, off the picture.
    assert {s.text_anchor for s in layout(STEPS, rtl=True).steps} == {"start"}


def test_it_still_has_a_size_with_no_steps():
    t = layout([])

    assert t.steps == ()
    assert_inside_viewbox(t)


@given(steps=step_lists, rtl=st.booleans())
def test_it_keeps_every_coordinate_inside_the_viewbox(steps, rtl):
    assert_inside_viewbox(layout(steps, rtl=rtl))


@given(steps=step_lists, rtl=st.booleans())
def test_it_gives_each_added_step_the_same_extra_height_and_no_overlap(steps, rtl):
    t = layout(steps, rtl=rtl)
    shorter = layout(steps[:-1], rtl=rtl) if len(steps) > 1 else None

    assert len(t.steps) == len(steps)
    for above, below in pairwise(t.steps):
        assert below.cy - above.cy >= 2 * above.r
        assert below.title_y > above.detail_y
    if shorter is not None:
        assert t.height - shorter.height == t.steps[-1].cy - t.steps[-2].cy


@given(steps=step_lists)
def test_it_mirrors_any_timeline_exactly(steps):
    ltr, rtl = layout(steps), layout(steps, rtl=True)

    for left, right in zip(ltr.steps, rtl.steps, strict=True):
        assert (right.cx, right.text_x) == (rtl.width - left.cx, rtl.width - left.text_x)
        assert (right.number, right.title, right.detail) == (left.number, left.title, left.detail)
