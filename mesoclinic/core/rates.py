"""Rates as the environment writes them ("120/min", "50/10s", "off"): a pure rule, so the
settings can refuse a malformed one at start-up instead of the API failing on its first request.
"""

import re
from dataclasses import dataclass

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(s|sec|second|m|min|minute|h|hour|d|day)\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 60 * 60, "d": 24 * 60 * 60}


@dataclass(frozen=True)
class Rate:
    requests: int
    seconds: int


def parse_rate(text: str | None) -> Rate | None:
    """ "120/min" → 120 per 60 s; "50/10s" → 50 per 10 s; "off" or empty → None (no limit)."""
    if text is None or text.strip().lower() in ("", "off", "none"):
        return None
    match = _RATE.match(text.lower())
    if not match:
        raise ValueError(f"Not a rate: {text!r} (write it as 120/min, 50/10s or off).")
    count, multiple, unit = match.groups()
    seconds = int(multiple or 1) * _UNIT_SECONDS[unit[0]]
    if seconds == 0:
        raise ValueError(f"Not a rate: {text!r} (a period of zero seconds).")
    return Rate(int(count), seconds)
