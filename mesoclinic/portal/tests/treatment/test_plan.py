"""The plan as the patient reads it (`portal.plan`, a pure rule): sessions given, booked and to
come."""

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.portal import plan

START = date(2026, 1, 5)


def targets(count: int, every: int = 14) -> list[date]:
    return [START + timedelta(days=every * n) for n in range(count)]


def at(day: int) -> datetime:
    return datetime(2026, 3, 1, 11) + timedelta(days=day)


def test_it_gives_the_next_bookings_to_the_sessions_not_yet_given():
    rows = plan.rows(targets(4), {1: START, 2: START + timedelta(days=15)}, [at(7), at(3)])
    assert [r.done for r in rows] == [True, True, False, False]
    assert [r.booked_at for r in rows] == [None, None, at(3), at(7)]
    assert plan.next_to_come(rows).number == 3


def test_it_takes_the_booking_left_over_for_the_maintenance_visit():
    rows = plan.rows(targets(2), {1: START}, [at(90), at(5)])
    assert [r.booked_at for r in rows] == [None, at(5)]
    assert plan.maintenance_booking(rows, [at(90), at(5)]) == at(90)
    assert plan.maintenance_booking(rows, [at(5)]) is None


def test_it_shows_a_session_charted_past_the_plan_without_a_target():
    rows = plan.rows(targets(2), {1: START, 2: START, 3: START}, [])
    assert [(r.number, r.target) for r in rows][-1] == (3, None)
    assert plan.next_to_come(rows) is None


def test_it_leaves_a_session_to_come_unbooked_when_nothing_is_booked():
    rows = plan.rows(targets(3), {}, [])
    assert all(not r.done and r.booked_at is None for r in rows)
    assert plan.next_to_come(rows).number == 1


@given(
    planned=st.integers(min_value=1, max_value=12),
    given_numbers=st.sets(st.integers(min_value=1, max_value=14), max_size=14),
    booked=st.lists(st.integers(min_value=0, max_value=200), max_size=14),
)
def test_it_keeps_every_session_once_and_never_books_a_given_one(planned, given_numbers, booked):
    rows = plan.rows(targets(planned), dict.fromkeys(given_numbers, START), [at(d) for d in booked])
    assert [r.number for r in rows] == list(range(1, max([planned, *given_numbers]) + 1))
    assert all(r.booked_at is None for r in rows if r.done)
    assert {r.number for r in rows if r.done} == given_numbers
    shown = [r.booked_at for r in rows if r.booked_at is not None]
    # Bookings go in time order to the sessions to come, as many as there are of either.
    assert shown == sorted(at(d) for d in booked)[: len(shown)]
    assert len(shown) == min(len(booked), sum(1 for r in rows if not r.done))
    assert all((r.target is None) == (r.number > planned) for r in rows)
    left = plan.maintenance_booking(rows, [at(d) for d in booked])
    assert (left is None) == (len(shown) == len(booked))
    assert left is None or left == max(at(d) for d in booked)
