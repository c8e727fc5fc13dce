"""Weekly hours, breaks, one-off changes, leave and closures resolve into aware intervals."""

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.appointments.availability import (
    Availability,
    BreakRule,
    Change,
    Closure,
    Hours,
    Interval,
    Off,
    merge,
    resolve,
    subtract,
)

KHI = ZoneInfo("Asia/Karachi")
MONDAY = date(2026, 12, 7)


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=KHI)


def week(**kwargs):
    weekly = [Hours(d, time(10), time(18)) for d in range(6)]  # Monday to Saturday
    return resolve(weekly=weekly, first=MONDAY, last=MONDAY + timedelta(days=6), tz=KHI, **kwargs)


def test_it_gives_the_weekly_hours_on_each_working_day_and_none_on_sunday():
    result = week()
    assert len(result.hours) == 6
    assert result.hours[0] == Interval(at(MONDAY, 10), at(MONDAY, 18))
    assert all(h.start.date().weekday() != 6 for h in result.hours)
    assert result.off == ()


def test_it_merges_overlapping_and_touching_hours():
    weekly = [
        Hours(0, time(9), time(12)),
        Hours(0, time(12), time(14)),
        Hours(0, time(13), time(15)),
    ]
    result = resolve(weekly=weekly, first=MONDAY, last=MONDAY, tz=KHI)
    assert result.hours == (Interval(at(MONDAY, 9), at(MONDAY, 15)),)


def test_it_lets_a_one_off_change_replace_a_weekday():
    wednesday = MONDAY + timedelta(days=2)
    changes = [Change(wednesday, ((time(14), time(16)),)), Change(MONDAY, ())]
    result = week(changes=changes)
    assert Interval(at(wednesday, 14), at(wednesday, 16)) in result.hours
    assert not any(h.start.date() == MONDAY for h in result.hours)
    assert len(result.hours) == 5


def test_it_turns_a_break_into_time_off_on_each_matching_day_without_cutting_the_hours():
    breaks = [
        BreakRule(None, time(13), time(14), "Lunch"),
        BreakRule(4, time(13), time(14, 30), "Friday prayer"),
    ]
    result = week(breaks=breaks)
    friday = MONDAY + timedelta(days=4)
    assert sum(off.label == "Lunch" for off in result.off) == 7
    assert Off(Interval(at(friday, 13), at(friday, 14, 30)), "break", "Friday prayer") in result.off
    assert result.hours[0] == Interval(at(MONDAY, 10), at(MONDAY, 18))
    assert Interval(at(MONDAY, 10), at(MONDAY, 13)) in result.free()
    assert Interval(at(friday, 14, 30), at(friday, 18)) in result.free()


def test_it_covers_a_closure_from_local_midnight_which_is_the_previous_utc_day():
    eid = Closure(MONDAY + timedelta(days=1), MONDAY + timedelta(days=2), "Eid ul-Fitr")
    result = week(closures=[eid])
    (closure,) = [off for off in result.off if off.reason == "closure"]
    assert closure.label == "Eid ul-Fitr"
    assert closure.interval.start.astimezone(UTC) == datetime(2026, 12, 7, 19, 0, tzinfo=UTC)
    assert closure.interval.end == at(MONDAY + timedelta(days=3), 0)
    free_days = {interval.start.date() for interval in result.free()}
    assert free_days == {MONDAY + timedelta(days=n) for n in (0, 3, 4, 5)}


def test_it_keeps_leave_overlapping_the_range_and_drops_the_rest():
    inside = Off(Interval(at(MONDAY, 15), at(MONDAY + timedelta(days=1), 12)), "leave", "Hajj")
    outside = Off(Interval(at(MONDAY, 0) - timedelta(days=3), at(MONDAY, 0)), "leave")
    result = week(leave=[inside, outside])
    assert [off for off in result.off if off.reason == "leave"] == [inside]
    assert Interval(at(MONDAY, 10), at(MONDAY, 15)) in result.free()
    assert Interval(at(MONDAY + timedelta(days=1), 12), at(MONDAY + timedelta(days=1), 18)) in (
        result.free()
    )


@pytest.mark.parametrize(
    "build",
    [
        lambda: Hours(0, time(10), time(10)),
        lambda: Hours(0, time(18), time(10)),
        lambda: BreakRule(None, time(14), time(13)),
        lambda: Change(MONDAY, ((time(12), time(9)),)),
        lambda: Closure(MONDAY, MONDAY - timedelta(days=1)),
        lambda: Interval(at(MONDAY, 10), at(MONDAY, 10)),
    ],
)
def test_it_refuses_spans_that_end_before_they_start(build):
    with pytest.raises(ValueError):
        build()


def test_it_does_not_count_touching_intervals_as_overlapping():
    a, b = Interval(at(MONDAY, 10), at(MONDAY, 11)), Interval(at(MONDAY, 11), at(MONDAY, 12))
    assert not a.overlaps(b) and not b.overlaps(a)
    assert Interval(at(MONDAY, 10), at(MONDAY, 12)).contains(a)
    assert not a.contains(b)


minutes = st.integers(min_value=0, max_value=24 * 60)
spans = st.lists(
    st.tuples(minutes, st.integers(min_value=1, max_value=300)).map(
        lambda t: Interval(
            at(MONDAY, 0) + timedelta(minutes=t[0]), at(MONDAY, 0) + timedelta(minutes=t[0] + t[1])
        )
    ),
    max_size=8,
)


@given(spans, spans)
def test_it_frees_exactly_the_minutes_in_the_hours_and_in_no_off(hours, offs):
    free = Availability(merge(hours), tuple(Off(o, "break") for o in offs)).free()
    assert list(free) == sorted(free)
    assert all(a.end < b.start for a, b in itertools.pairwise(free))
    for minute in range(0, 30 * 60, 7):
        moment = Interval(
            at(MONDAY, 0) + timedelta(minutes=minute), at(MONDAY, 0) + timedelta(minutes=minute + 1)
        )
        expected = any(h.contains(moment) for h in hours) and not any(
            o.overlaps(moment) for o in offs
        )
        assert any(f.contains(moment) for f in free) == expected
    assert subtract(free, offs) == free
