"""When a side-effect report becomes an adverse event. Pure Python, no Django.

The clinic's thresholds and effect lists are data (`aftercare.AftercareSettings`, with their
source); this module only applies them. Defaults (`../shared/CLINICAL.md`, "Default
escalation"): any grade ≥ 2; any expected effect still present after 72 h; any nodule, abscess
or discharge appearing later than 7 days after a session (an NTM work-up: acid-fast smear,
culture, biopsy); any sign of an allergic reaction. Every trigger is named with the effect that
fired it, and an effect that fires none is logged without alarm.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from mesoclinic.aftercare.vocabulary import (
    DEFAULT_ALLERGIC,
    DEFAULT_EXPECTED,
    DEFAULT_LATE_INFECTION,
    EMERGENCY,
)


class Trigger(StrEnum):
    GRADE = "grade"  # graded at or above the clinic's threshold
    PERSISTING = "persisting"  # an expected effect still there after its window
    LATE_INFECTION = "late_infection"  # a nodule, abscess or discharge appearing late
    ALLERGIC = "allergic"  # any sign of an allergic reaction


@dataclass(frozen=True)
class Rules:
    escalate_grade: int = 2
    expected_hours: int = 72
    late_infection_days: int = 7
    expected: frozenset[str] = frozenset(DEFAULT_EXPECTED)
    late_infection: frozenset[str] = frozenset(DEFAULT_LATE_INFECTION)
    allergic: frozenset[str] = frozenset(DEFAULT_ALLERGIC)


@dataclass(frozen=True)
class Effect:
    """One effect as reported: its code, its grade (the clinician's when confirmed, else the
    patient's own rating; None when not rated), whether it is still there, and when it began
    (None: not said, judged at the report's time)."""

    code: str
    grade: int | None = None
    present: bool = True
    onset: datetime | None = None


@dataclass(frozen=True)
class Decision:
    triggers: tuple[tuple[Trigger, str], ...] = ()  # (trigger, effect code), in a fixed order
    checklist: tuple[str, ...] = ()
    emergency: bool = False  # the patient is told to seek emergency care now
    highest_grade: int | None = None

    @property
    def escalate(self) -> bool:
        return bool(self.triggers)

    @property
    def trigger_codes(self) -> tuple[str, ...]:
        return tuple(sorted({trigger.value for trigger, _ in self.triggers}))


#: The work-up each trigger adds to the event's checklist (report_lots: every event).
CHECKLIST = {
    Trigger.GRADE: ("review_in_person", "photograph"),
    Trigger.PERSISTING: ("review_in_person", "photograph"),
    Trigger.LATE_INFECTION: (
        "review_in_person",
        "photograph",
        "acid_fast_smear",
        "culture",
        "biopsy",
        "stop_products",
    ),
    Trigger.ALLERGIC: (
        "assess_airway",
        "antihistamine_or_adrenaline",
        "review_in_person",
        "stop_products",
    ),
}


def decide(
    effects: tuple[Effect, ...] | list[Effect],
    *,
    session_ended_at: datetime,
    reported_at: datetime,
    rules: Rules,
) -> Decision:
    """Every trigger the effects fire, the checklist they need, and whether it is an emergency."""
    found: list[tuple[Trigger, str]] = []
    since_session = reported_at - session_ended_at
    for effect in effects:
        # A grade counts whether or not the effect has gone (a grade-2 bruise needed care);
        # an allergic sign counts even when it has passed.
        if effect.grade is not None and effect.grade >= rules.escalate_grade:
            found.append((Trigger.GRADE, effect.code))
        if (
            effect.present
            and effect.code in rules.expected
            and since_session > timedelta(hours=rules.expected_hours)
        ):
            found.append((Trigger.PERSISTING, effect.code))
        if effect.code in rules.late_infection:
            began = (effect.onset or reported_at) - session_ended_at
            if began > timedelta(days=rules.late_infection_days):
                found.append((Trigger.LATE_INFECTION, effect.code))
        # Breathing trouble or a swelling face always escalates, whatever the clinic's lists:
        # the patient is sent to emergency care, and the clinic must know it.
        if effect.code in rules.allergic or effect.code in EMERGENCY:
            found.append((Trigger.ALLERGIC, effect.code))
    order = list(Trigger)
    found = sorted(set(found), key=lambda pair: (order.index(pair[0]), pair[1]))
    steps: list[str] = []
    for trigger in dict.fromkeys(trigger for trigger, _ in found):
        steps.extend(step for step in CHECKLIST[trigger] if step not in steps)
    if found:
        steps.append("report_lots")
    grades = [effect.grade for effect in effects if effect.grade is not None]
    return Decision(
        triggers=tuple(found),
        checklist=tuple(steps),
        emergency=any(effect.code in EMERGENCY for effect in effects),
        highest_grade=max(grades) if grades else None,
    )


def check_in_offsets(value) -> list[str]:
    """What is wrong with a clinic's check-in schedule (hours after the session): a list of
    whole hours from 1 to 2,016 (12 weeks, the end of NTM's incubation), each once, ascending.
    Empty: it is good."""
    problems = []
    if not isinstance(value, list | tuple) or not value:
        return ["Give at least one check-in, in hours after the session, e.g. [24, 72, 504]."]
    if not all(isinstance(h, int) and not isinstance(h, bool) for h in value):
        return ["Every check-in is a whole number of hours."]
    if any(not 1 <= h <= 2016 for h in value):
        problems.append("Each check-in is from 1 to 2,016 hours (12 weeks) after the session.")
    if list(value) != sorted(set(value)):
        problems.append("List each check-in once, earliest first.")
    return problems


def due_times(ended_at: datetime, offsets) -> list[tuple[int, datetime]]:
    """(hours, due time) for each check-in after a session that ended at `ended_at`."""
    return [(hours, ended_at + timedelta(hours=hours)) for hours in offsets]


def cluster_reached(times: list[datetime], *, now: datetime, window_days: int, threshold: int):
    """Whether at least `threshold` events fall within the last `window_days` before `now`."""
    start = now - timedelta(days=window_days)
    return sum(1 for t in times if start <= t <= now) >= threshold
