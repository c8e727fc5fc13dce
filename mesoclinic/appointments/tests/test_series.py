"""A course's gaps in local days, the nearest free alternatives, and shifting what follows."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.appointments.availability import Interval
from mesoclinic.appointments.series import (
    Gap,
    GapProblem,
    Step,
    gap_problems,
    nearest,
    shift_following,
)
from mesoclinic.appointments.slots import Slot

KHI = ZoneInfo("Asia/Karachi")
WEEKLY = Gap(7, 14)


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=KHI)


def course(*days, hour=11):
    """Sessions on the given local dates, each 7–14 days after the previous."""
    return [
        Step(f"Session {n + 1}", at(day, hour), WEEKLY if n else None) for n, day in enumerate(days)
    ]


def test_it_accepts_a_course_within_its_gaps():
    assert (
        gap_problems(course(date(2026, 12, 7), date(2026, 12, 14), date(2026, 12, 28)), KHI) == []
    )


def test_it_names_each_session_too_close_or_too_far():
    steps = course(date(2026, 12, 7), date(2026, 12, 10), date(2026, 12, 30))
    assert gap_problems(steps, KHI) == [
        GapProblem(1, "Session 2", 3, 7, 14),
        GapProblem(2, "Session 3", 20, 7, 14),
    ]


def test_it_counts_days_on_the_karachi_calendar_not_utc():
    # 00:30 in Karachi on the 14th is still the 13th in UTC: seven local days, six UTC days.
    first = Step("Session 1", at(date(2026, 12, 7), 11))
    second = Step("Session 2", at(date(2026, 12, 14), 0, 30), WEEKLY)
    assert second.start.astimezone(UTC).date() == date(2026, 12, 13)
    assert gap_problems([first, second], KHI) == []


def test_it_refuses_a_step_not_after_the_previous_one():
    steps = [
        Step("Session 1", at(date(2026, 12, 7), 11)),
        Step("Maintenance", at(date(2026, 12, 7), 10)),
    ]
    assert gap_problems(steps, KHI) == [GapProblem(1, "Maintenance", 0, None, None)]


def test_it_checks_the_patch_test_read_against_its_window():
    applied = at(date(2026, 12, 1), 10)
    window = Interval(applied + timedelta(hours=24), applied + timedelta(hours=72))
    read = Step("Patch-test reading", applied + timedelta(hours=80), window=window)
    assert gap_problems([Step("Patch test", applied), read], KHI) == [
        GapProblem(1, "Patch-test reading", None, None, None)
    ]
    on_time = Step("Patch-test reading", applied + timedelta(hours=48), window=window)
    assert gap_problems([Step("Patch test", applied), on_time], KHI) == []


def test_it_offers_the_nearest_slots_one_per_start_earlier_first_on_ties():
    target = at(date(2026, 12, 7), 12)
    slots = [
        Slot(target - timedelta(hours=1), target, 1, None),
        Slot(target + timedelta(hours=1), target + timedelta(hours=2), 1, None),
        Slot(target + timedelta(hours=1), target + timedelta(hours=2), 2, None),
        Slot(target + timedelta(minutes=30), target + timedelta(hours=1), 2, None),
        Slot(target + timedelta(hours=5), target + timedelta(hours=6), 1, None),
    ]
    assert nearest(slots, target) == [slots[3], slots[0], slots[1]]
    assert nearest(slots, target, count=1) == [slots[3]]


def test_it_shifts_the_following_sessions_only_as_far_as_their_gaps_need():
    steps = course(date(2026, 12, 7), date(2026, 12, 14), date(2026, 12, 28), date(2027, 1, 4))
    moved = shift_following(steps, 1, at(date(2026, 12, 19), 15), KHI)
    # Session 3 is now 9 days after session 2: still fine, so it stays and so does session 4.
    assert moved == [steps[0].start, at(date(2026, 12, 19), 15), steps[2].start, steps[3].start]
    steps = course(date(2026, 12, 7), date(2026, 12, 14), date(2026, 12, 21), date(2026, 12, 28))
    moved = shift_following(steps, 1, at(date(2026, 12, 18), 15), KHI)
    # Session 3 would be three days after session 2: it moves by the same four days at its own
    # time of day, and then session 4 is too close to it and follows.
    assert moved == [
        steps[0].start,
        at(date(2026, 12, 18), 15),
        at(date(2026, 12, 25), 11),
        at(date(2027, 1, 1), 11),
    ]
    rebuilt = [Step(s.label, t, s.gap) for s, t in zip(steps, moved, strict=True)]
    assert gap_problems(rebuilt, KHI) == []


def test_it_shifts_the_following_sessions_back_when_a_session_moves_earlier():
    steps = course(date(2026, 12, 7), date(2026, 12, 21), date(2027, 1, 4))
    moved = shift_following(steps, 1, at(date(2026, 12, 14), 11), KHI)
    assert moved == [steps[0].start, at(date(2026, 12, 14), 11), at(date(2026, 12, 28), 11)]


gaps = st.tuples(st.integers(1, 20), st.integers(0, 60)).map(lambda t: Gap(t[0], t[0] + t[1]))


@given(st.lists(st.tuples(gaps, st.booleans()), min_size=1, max_size=6), st.integers(0, 23))
def test_it_accepts_exact_bounds_and_refuses_one_day_outside(plan, hour):
    start = at(date(2026, 12, 7), hour)
    steps, when = [Step("Session 1", start)], start
    for gap, at_max in plan:
        when += timedelta(days=gap.max_days if at_max else gap.min_days)
        steps.append(Step(f"Session {len(steps) + 1}", when, gap))
    assert gap_problems(steps, KHI) == []
    last, gap = steps[-1], steps[-1].gap
    for days in (gap.min_days - 1, gap.max_days + 1):
        moved = Step(last.label, steps[-2].start + timedelta(days=days), gap)
        assert [p.index for p in gap_problems([*steps[:-1], moved], KHI)] == [len(steps) - 1]


@given(
    st.lists(gaps, min_size=1, max_size=5),
    st.integers(0, 4),
    st.integers(-30, 60),
)
def test_it_keeps_a_valid_course_valid_when_one_session_moves(plan, index, shift):
    start = at(date(2026, 12, 7), 11)
    steps, when = [Step("Session 1", start)], start
    for gap in plan:
        when += timedelta(days=gap.min_days)
        steps.append(Step(f"Session {len(steps) + 1}", when, gap))
    index = min(index, len(steps) - 1)
    new_start = steps[index].start + timedelta(days=shift)
    moved = shift_following(steps, index, new_start, KHI)
    assert moved[:index] == [s.start for s in steps[:index]]
    assert moved[index] == new_start
    rebuilt = [Step(s.label, t, s.gap) for s, t in zip(steps, moved, strict=True)]
    assert [p.index for p in gap_problems(rebuilt, KHI)] in ([], [index])
    for s, t in zip(steps[index + 1 :], moved[index + 1 :], strict=True):
        assert t.astimezone(KHI).time() == s.start.astimezone(KHI).time()
