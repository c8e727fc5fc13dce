"""Geometry for the guide's inline SVG pictures.

Pure Python (no Django) so it can be tested without settings or a database. The templates in
``templates/guide/pictures/`` only place the numbers computed here.

Right-to-left: every x coordinate of an RTL layout is the mirror image (``width - x``) of the LTR
one, so the line and circles sit on the right and the text hangs to their left. The text keeps
``text-anchor="start"`` and gets ``direction="rtl"``: in SVG the anchor is relative to the text's
own direction, so the *start* of RTL text is its right edge. (``text-anchor="end"`` with
``direction="rtl"`` would put the text to the right of ``x``, running off the picture.) Setting
``direction`` explicitly for LTR too matters: inline SVG inherits ``direction`` from an enclosing
``dir="rtl"`` element.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 320
"""Width of every timeline viewBox, in user units (about a phone's CSS width)."""


@dataclass(frozen=True, slots=True)
class _Metrics:
    """Vertical rhythm for one script; Nastaliq needs far more line height than Latin."""

    row: int  # distance between the centres of two circles
    pad_top: int  # from the top edge to the first row's top
    pad_bottom: int  # from the last row's bottom to the bottom edge
    title_size: int
    detail_size: int
    title_dy: int  # title baseline relative to the circle's centre
    detail_dy: int  # detail baseline relative to the circle's centre


# ~24 characters of bold 16-unit Latin fit in the 244 units beside the line (about 9.5 units
# each). Urdu in Noto Nastaliq is set a size larger because its letters are small for their
# size, with baselines further apart because its letters rise and fall far from the baseline.
_LTR = _Metrics(
    row=64, pad_top=4, pad_bottom=4, title_size=16, detail_size=13, title_dy=-4, detail_dy=15
)
_RTL = _Metrics(
    row=84, pad_top=6, pad_bottom=8, title_size=17, detail_size=14, title_dy=-9, detail_dy=25
)

_CIRCLE_X = 30  # centre of the line and circles, from the near edge
_CIRCLE_R = 15
_TEXT_X = 58  # where the text starts, from the same edge


@dataclass(frozen=True, slots=True)
class TimelineLine:
    x: float
    y1: float
    y2: float


@dataclass(frozen=True, slots=True)
class TimelineStep:
    number: int
    title: str
    detail: str
    cx: float
    cy: float
    r: float
    text_x: float
    title_y: float
    detail_y: float
    text_anchor: str


@dataclass(frozen=True, slots=True)
class TimelineLayout:
    width: float
    height: float
    title: str
    description: str
    rtl: bool
    direction: str  # "rtl" or "ltr", for the SVG ``direction`` attribute
    line: TimelineLine
    steps: tuple[TimelineStep, ...]
    title_size: float
    detail_size: float
    number_size: float


def timeline_layout(
    steps: Sequence[tuple[str, str]], *, rtl: bool, title: str, description: str
) -> TimelineLayout:
    """Lay out a vertical timeline of ``(title, detail)`` steps, numbered from 1.

    Texts are not measured or wrapped: keep step titles to about 24 characters.
    """
    m = _RTL if rtl else _LTR

    def x(from_near_edge: float) -> float:
        return WIDTH - from_near_edge if rtl else from_near_edge

    placed = []
    for index, (step_title, detail) in enumerate(steps):
        cy = m.pad_top + m.row * index + m.row / 2
        placed.append(
            TimelineStep(
                number=index + 1,
                title=step_title,
                detail=detail,
                cx=x(_CIRCLE_X),
                cy=cy,
                r=_CIRCLE_R,
                text_x=x(_TEXT_X),
                title_y=cy + m.title_dy,
                detail_y=cy + m.detail_dy,
                text_anchor="start",
            )
        )
    first_cy = placed[0].cy if placed else m.pad_top + m.row / 2
    last_cy = placed[-1].cy if placed else first_cy
    return TimelineLayout(
        width=WIDTH,
        height=m.pad_top + m.row * max(len(placed), 1) + m.pad_bottom,
        title=title,
        description=description,
        rtl=rtl,
        direction="rtl" if rtl else "ltr",
        line=TimelineLine(x=x(_CIRCLE_X), y1=first_cy, y2=last_cy),
        steps=tuple(placed),
        title_size=m.title_size,
        detail_size=m.detail_size,
        number_size=14,
    )
