"""What charting a session hands the gate and the services: the lots given (`Line`), the
session as typed (`SessionInput`), and a session not given yet (`before_start`, for the start
check and the start page's preview).

Its own module so that the gate's facts (`gate_facts`) and the charting service (`sessions`)
both import it, and neither imports the other.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from mesoclinic.formulary.models import Lot


@dataclass
class Line:
    lot: Lot
    volume: Decimal
    zones: list[str] = field(default_factory=list)


@dataclass
class SessionInput:
    lines: list[Line]
    points: int
    technique: str
    depth: str
    needle: str
    started_at: object
    ended_at: object
    pregnant_today: bool | None  # None: not asked today
    breastfeeding_today: bool | None
    numbing_cream: bool = False
    reactions: str = ""
    # When the page's start check passed (the gate run before the needle); None from the API,
    # which records a session in one step.
    start_checked_at: object = None
    start_number: int | None = None  # the session number the start check was for
    # A credentialed dermatologist's clinical reason to start before the protocol's interval or
    # give more than the plan (or, across the day, the protocol's per-session maximum).
    override_reason: str = ""
    # Overrides recorded while charting, by protocol component id (set by record_session).
    dose_overrides: dict = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data, lines: list[Line]) -> "SessionInput":
        """From validated form or API data (pregnancy answers as booleans, None if not asked)."""
        return cls(
            lines=lines,
            points=data["points"],
            technique=data["technique"],
            depth=data["depth"],
            needle=data["needle"],
            numbing_cream=data.get("numbing_cream", False),
            started_at=data["started_at"],
            ended_at=data["ended_at"],
            reactions=data.get("reactions", ""),
            pregnant_today=data["pregnant_today"],
            breastfeeding_today=data["breastfeeding_today"],
            start_checked_at=data.get("start_checked_at"),
            start_number=data.get("start_number"),
            override_reason=data.get("override_reason") or "",
        )


def before_start(
    *, pregnant_today, breastfeeding_today, at=None, override_reason: str = ""
) -> SessionInput:
    """A session not given yet (no lots, no technique): what the start check and the start
    page's preview hand the gate."""
    return SessionInput(
        lines=[],
        points=1,
        technique="",
        depth="",
        needle="",
        started_at=at,
        ended_at=at,
        pregnant_today=pregnant_today,
        breastfeeding_today=breastfeeding_today,
        override_reason=override_reason,
    )
