"""A signature drawn on a touch screen, as strokes. Pure Python, no Django.

The page's canvas sends the strokes (lists of [x, y] points in a WIDTH × HEIGHT box) rather than
a picture: they are small, need no image library to check, and print as a sharp SVG path on the
consent PDF. An empty pad, a tap or a tiny scribble is not a signature and is refused.
"""

import itertools
import json
import math
from collections.abc import Sequence

WIDTH, HEIGHT = 600, 200
MAX_POINTS = 5000
#: Least ink (total stroke length, in box units) and extent that count as a signature.
MIN_INK = 60
MIN_EXTENT = 30
#: A drawn signature has many points; two or three make a ruled line, not a hand.
MIN_POINTS = 8

Strokes = tuple[tuple[tuple[float, float], ...], ...]


class InvalidSignature(ValueError):
    """Why the strokes cannot stand as a signature: `code` is one of "empty", "unreadable",
    "too_long", "too_small" (forms translate it), the message is English."""

    MESSAGES = {
        "empty": "Please sign in the box.",
        "unreadable": "The signature could not be read; please sign again.",
        "too_long": "The signature is too long; please clear it and sign again.",
        "too_small": "That is too small to be a signature; please sign in the box.",
    }

    def __init__(self, code: str):
        super().__init__(self.MESSAGES[code])
        self.code = code


def parse(raw: str | Sequence) -> Strokes:
    """Strokes from the pad's JSON (or an already decoded list), checked and rounded."""
    if isinstance(raw, str):
        if not raw.strip():
            raise InvalidSignature("empty")
        try:
            raw = json.loads(raw)
        except (ValueError, RecursionError):  # deeply nested input is unreadable, not a crash
            raise InvalidSignature("unreadable") from None
    if not isinstance(raw, list):
        raise InvalidSignature("unreadable")
    strokes = []
    total = 0
    for stroke in raw:
        if not isinstance(stroke, list):
            raise InvalidSignature("unreadable")
        points = []
        for point in stroke:
            if (
                not isinstance(point, list)
                or len(point) != 2
                or not all(
                    isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                    for v in point
                )
            ):
                raise InvalidSignature("unreadable")
            x, y = point
            if not (0 <= x <= WIDTH and 0 <= y <= HEIGHT):
                raise InvalidSignature("unreadable")
            points.append((round(x, 1), round(y, 1)))
        total += len(points)
        if total > MAX_POINTS:
            raise InvalidSignature("too_long")
        if points:
            strokes.append(tuple(points))
    result = tuple(strokes)
    if not result:
        raise InvalidSignature("empty")
    if total < MIN_POINTS or ink(result) < MIN_INK or extent(result) < MIN_EXTENT:
        raise InvalidSignature("too_small")
    return result


def ink(strokes: Strokes) -> float:
    """Total length of the lines drawn."""
    return sum(math.dist(a, b) for stroke in strokes for a, b in itertools.pairwise(stroke))


def extent(strokes: Strokes) -> float:
    """The larger side of the box the signature covers."""
    xs = [x for stroke in strokes for x, _ in stroke]
    ys = [y for stroke in strokes for _, y in stroke]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def svg_path(strokes: Strokes) -> str:
    """An SVG path ("M x y L x y …") drawing the strokes in a WIDTH × HEIGHT viewBox."""
    parts = []
    for stroke in strokes:
        (x0, y0), *rest = stroke
        parts.append(f"M{x0:g} {y0:g}" + "".join(f" L{x:g} {y:g}" for x, y in rest))
    return " ".join(parts)


def as_json(strokes: Strokes) -> list:
    return [[list(point) for point in stroke] for stroke in strokes]
