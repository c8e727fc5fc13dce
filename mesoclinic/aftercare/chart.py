"""A score over a course as an SVG line chart, drawn by the server. Pure Python, no Django.

Points in (a label under each, a value), an SVG string out: axes with value ticks, each point
labelled with its value, an accessible name (`<title>`) and description (`<desc>`, which reads
every value in order, so a screen reader gets the data, not a picture). Every text is escaped.

Right-to-left: the SVG itself is always laid out left to right (`direction="ltr"`), so an Urdu
page around it cannot flip its coordinates; with `rtl=True` time runs from right to left and the
value axis stands on the right, as an Urdu reader expects, and each label is its own bidi
isolate so Urdu words and Latin digits keep their order.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

WIDTH, HEIGHT = 640, 280
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM = 56, 24, 48
#: Room between the value axis and the first or last point, so neither sits on the axis.
INSET = 28


@dataclass(frozen=True)
class Point:
    label: str
    value: Decimal | float | int


def number(value) -> str:
    """A value as the chart writes it: no trailing zeros ("7.5", "12", "0")."""
    text = f"{Decimal(str(value)).normalize():f}"
    return text if text != "-0" else "0"


def nice_top(values: Sequence, scale_max=None) -> Decimal:
    """The top of the value axis: the scale's maximum when given, else the largest value
    rounded up to a multiple of 5 (at least 5)."""
    if scale_max is not None:
        return Decimal(str(scale_max))
    top = max((Decimal(str(v)) for v in values), default=Decimal(0))
    rounded = (top / 5).to_integral_value(rounding="ROUND_CEILING") * 5
    return max(rounded, Decimal(5))


def ticks(top: Decimal, count: int = 4) -> list[Decimal]:
    """`count` + 1 evenly spaced values from 0 to `top`."""
    return [top * i / count for i in range(count + 1)]


def svg(
    points: Sequence[Point],
    *,
    title: str,
    desc: str = "",
    scale_max=None,
    rtl: bool = False,
    ident: str = "chart",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> str:
    """The line chart of `points` in order, as an inline SVG document fragment."""
    values = [Decimal(str(p.value)) for p in points]
    top = nice_top(values, scale_max)
    plot_w = width - 2 * MARGIN_SIDE
    plot_h = height - MARGIN_TOP - MARGIN_BOTTOM
    left, bottom = MARGIN_SIDE, height - MARGIN_BOTTOM

    def x(i: int) -> float:
        share = 0.5 if len(points) == 1 else i / (len(points) - 1)
        if rtl:
            share = 1 - share
        return round(left + INSET + share * (plot_w - 2 * INSET), 1)

    def y(value: Decimal) -> float:
        share = float(min(max(value, Decimal(0)), top) / top) if top else 0.0
        return round(bottom - share * plot_h, 1)

    described = desc or "; ".join(
        f"{p.label}: {number(v)}" for p, v in zip(points, values, strict=True)
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" direction="ltr" class="score-chart" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(described)}</desc>',
    ]
    axis_x = left + plot_w if rtl else left
    anchor = "start" if rtl else "end"
    offset = 8 if rtl else -8
    for tick in ticks(top):
        ty = y(tick)
        out.append(
            f'<line x1="{left}" y1="{ty}" x2="{left + plot_w}" y2="{ty}" '
            f'stroke="#d8dde3" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{axis_x + offset}" y="{ty + 4}" text-anchor="{anchor}" '
            f'font-size="12" fill="#444">{number(tick)}</text>'
        )
    out.append(
        f'<line x1="{axis_x}" y1="{MARGIN_TOP}" x2="{axis_x}" y2="{bottom}" '
        f'stroke="#666" stroke-width="1"/>'
    )
    out.append(
        f'<line x1="{left}" y1="{bottom}" x2="{left + plot_w}" y2="{bottom}" '
        f'stroke="#666" stroke-width="1"/>'
    )
    if len(points) > 1:
        path = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values))
        out.append(
            f'<polyline points="{path}" fill="none" stroke="#0b5cad" stroke-width="2.5" '
            f'stroke-linejoin="round"/>'
        )
    for i, (point, value) in enumerate(zip(points, values, strict=True)):
        px, py = x(i), y(value)
        out.append(
            f'<g class="point"><circle cx="{px}" cy="{py}" r="4.5" fill="#0b5cad">'
            f"<title>{escape(point.label)}: {number(value)}</title></circle>"
            f'<text x="{px}" y="{py - 10}" text-anchor="middle" font-size="12" '
            f'font-weight="bold" fill="#111">{number(value)}</text>'
            f'<text x="{px}" y="{bottom + 20}" text-anchor="middle" font-size="12" fill="#333" '
            f'unicode-bidi="isolate">{escape(point.label)}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)
