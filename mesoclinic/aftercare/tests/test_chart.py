"""The server-drawn score chart: points in, an accessible SVG out, safe in a right-to-left page.
Pure: no database."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.aftercare import chart

SVG = "{http://www.w3.org/2000/svg}"
FALL = [
    chart.Point("Baseline", Decimal("6.00")),
    chart.Point("Session 1", Decimal("4.80")),
    chart.Point("Session 2", Decimal("3.60")),
    chart.Point("Session 4", Decimal("1.80")),
]


def _points(svg: str) -> list[tuple[float, float]]:
    root = ET.fromstring(svg)
    return [(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(f"{SVG}circle")]


def test_it_draws_a_falling_score_as_a_line_going_down_left_to_right():
    drawn = _points(chart.svg(FALL, title="mMASI", scale_max=24))
    xs, ys = zip(*drawn, strict=True)
    assert list(xs) == sorted(xs)  # time runs left to right
    assert list(ys) == sorted(ys)  # lower value, lower on the page (SVG y grows downward)


def test_it_runs_time_right_to_left_for_an_urdu_reader_and_stays_ltr_inside():
    svg = chart.svg(FALL, title="mMASI", scale_max=24, rtl=True)
    xs = [x for x, _ in _points(svg)]
    assert xs == sorted(xs, reverse=True)
    assert 'direction="ltr"' in svg  # coordinates never flip inside an RTL page


def test_it_names_and_describes_itself_for_a_screen_reader():
    svg = chart.svg(FALL, title="mMASI over the course", scale_max=24, ident="c1")
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").text == "mMASI over the course"
    assert root.find(f"{SVG}desc").text == (
        "Baseline: 6; Session 1: 4.8; Session 2: 3.6; Session 4: 1.8"
    )


def test_it_labels_the_axis_from_zero_to_the_scales_top_and_every_point():
    svg = chart.svg(FALL, title="MASI", scale_max=24)
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    for tick in ("0", "6", "12", "18", "24"):
        assert tick in texts
    for label in ("Baseline", "Session 4", "4.8", "1.8"):
        assert label in texts


def test_it_escapes_every_label():
    svg = chart.svg([chart.Point("<script>x</script>", 3)], title="a & <b>")
    assert "<script>" not in svg
    ET.fromstring(svg)  # still well-formed


def test_it_keeps_urdu_labels_whole():
    svg = chart.svg([chart.Point("ابتدائی", 6), chart.Point("سیشن 4", 2)], title="mMASI")
    assert "ابتدائی" in svg and "سیشن 4" in svg
    assert re.search(r'unicode-bidi="isolate">سیشن 4<', svg)


def test_it_draws_one_point_and_no_points_without_failing():
    assert len(_points(chart.svg([chart.Point("Baseline", 5)], title="x"))) == 1
    assert _points(chart.svg([], title="x")) == []


@given(st.lists(st.decimals(min_value=0, max_value=48, places=2), min_size=1, max_size=12))
def test_every_point_stays_inside_the_picture(values):
    svg = chart.svg([chart.Point(f"S{i}", v) for i, v in enumerate(values)], title="t")
    for x, y in _points(svg):
        assert 0 <= x <= chart.WIDTH and 0 <= y <= chart.HEIGHT
