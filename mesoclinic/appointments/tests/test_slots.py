"""Checking one booking: every reason it is refused, each naming the resource and the time."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mesoclinic.appointments.availability import BreakRule, Closure, Hours, Interval, Off, resolve
from mesoclinic.appointments.slots import (
    Busy,
    Kind,
    Problem,
    Resource,
    Slot,
    blocked,
    check,
    free_slots,
)

KHI = ZoneInfo("Asia/Karachi")
MONDAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 1, tzinfo=UTC)
SESSION = Kind(timedelta(minutes=45), timedelta(minutes=10), timedelta(minutes=15), needs_room=True)
CONSULTATION = Kind(timedelta(minutes=30))


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=KHI)


def week(**kwargs):
    weekly = [Hours(d, time(10), time(18)) for d in range(6)]
    return resolve(weekly=weekly, first=MONDAY, last=MONDAY + timedelta(days=6), tz=KHI, **kwargs)


CLINIC = week(breaks=[BreakRule(4, time(13), time(14, 30), "Friday prayer")])
DOCTOR = Resource(1, "Dr Ayesha", week())
ROOM = Resource(7, "Room 1", week())


def problems(start, kind=SESSION, practitioner=DOCTOR, room=ROOM, clinic=CLINIC, **kwargs):
    return check(
        kind=kind,
        start=start,
        practitioner=practitioner,
        room=room,
        clinic=clinic,
        now=NOW,
        **kwargs,
    )


def test_it_accepts_a_session_that_fits():
    assert problems(at(MONDAY, 11)) == []


def test_it_blocks_the_buffers_around_the_appointment():
    assert blocked(SESSION, at(MONDAY, 11)) == Interval(at(MONDAY, 10, 50), at(MONDAY, 12))


def test_it_refuses_the_past():
    result = check(
        kind=SESSION,
        start=at(MONDAY, 11),
        practitioner=DOCTOR,
        room=ROOM,
        clinic=CLINIC,
        now=at(MONDAY, 12),
    )
    assert result == [Problem("past", "clinic")]


def test_it_refuses_a_session_running_past_closing_time():
    result = problems(at(MONDAY, 17, 30))
    assert result == [
        Problem("outside_hours", "clinic"),
        Problem("outside_hours", "practitioner", label="Dr Ayesha"),
        Problem("outside_hours", "room", label="Room 1"),
    ]


def test_it_names_the_break_a_session_runs_into():
    friday = MONDAY + timedelta(days=4)
    assert problems(at(friday, 12, 30)) == [
        Problem("break", "clinic", at(friday, 13), at(friday, 14, 30), "Friday prayer")
    ]


def test_it_names_the_practitioners_leave():
    leave = Off(Interval(at(MONDAY, 0), at(MONDAY, 23, 59)), "leave", "Annual leave")
    doctor = Resource(1, "Dr Ayesha", week(leave=[leave]))
    assert problems(at(MONDAY, 11), practitioner=doctor) == [
        Problem("leave", "practitioner", leave.interval.start, leave.interval.end, "Annual leave")
    ]


def test_it_refuses_a_closure_that_starts_on_the_previous_utc_day():
    tuesday = MONDAY + timedelta(days=1)
    clinic = week(closures=[Closure(tuesday, tuesday, "Eid ul-Adha")])
    (problem,) = problems(at(tuesday, 11), clinic=clinic)
    assert (problem.code, problem.resource, problem.label) == ("closure", "clinic", "Eid ul-Adha")
    assert problem.start.astimezone(UTC) == datetime(2026, 12, 7, 19, tzinfo=UTC)


def test_it_refuses_a_day_without_hours():
    sunday = MONDAY + timedelta(days=6)
    assert Problem("outside_hours", "clinic") in problems(at(sunday, 11))


def test_it_counts_a_partial_overlap_of_the_buffers_as_a_clash():
    # The other booking ends at 12:05 with its buffer; ours starts at 12:10 but its own
    # 10-minute buffer before reaches back to 12:00.
    other = Busy(Interval(at(MONDAY, 11), at(MONDAY, 12, 5)), "appointment 42", 42)
    room = Resource(7, "Room 1", week(), busy=(other,))
    assert problems(at(MONDAY, 12, 10), room=room) == [
        Problem("clash", "room", other.interval.start, other.interval.end, "appointment 42")
    ]
    assert problems(at(MONDAY, 12, 15), room=room) == []


def test_it_reports_every_failing_condition_once_in_a_stable_order():
    other = Busy(Interval(at(MONDAY, 11), at(MONDAY, 12)), "appointment 9")
    doctor = Resource(1, "Dr Ayesha", week(), busy=(other, other))
    result = check(
        kind=SESSION,
        start=at(MONDAY, 11),
        practitioner=doctor,
        room=None,
        clinic=CLINIC,
        patient_busy=[other],
        now=at(MONDAY, 12),
    )
    assert [(p.code, p.resource) for p in result] == [
        ("past", "clinic"),
        ("clash", "practitioner"),
        ("no_room", "room"),
        ("clash", "patient"),
    ]


def test_it_ignores_resources_the_kind_does_not_need():
    assert problems(at(MONDAY, 11), kind=CONSULTATION, room=None) == []
    no_doctor = Kind(timedelta(minutes=15), needs_practitioner=False)
    assert problems(at(MONDAY, 11), kind=no_doctor, practitioner=None, room=None) == []
    assert problems(at(MONDAY, 11), kind=CONSULTATION, practitioner=None) == [
        Problem("no_practitioner", "practitioner")
    ]


def test_it_lists_slots_by_start_then_the_practitioners_order_with_the_first_free_room():
    other = Busy(Interval(at(MONDAY, 10), at(MONDAY, 11)), "appointment 1")
    rooms = [Resource(7, "Room 1", week(), busy=(other,)), Resource(8, "Room 2", week())]
    doctors = [Resource(2, "Dr B", week()), DOCTOR]
    slots = free_slots(
        kind=SESSION,
        practitioners=doctors,
        rooms=rooms,
        clinic=CLINIC,
        window=Interval(at(MONDAY, 10), at(MONDAY, 12)),
        step=timedelta(minutes=15),
        not_before=NOW,
    )
    assert slots[:2] == [
        Slot(at(MONDAY, 10), at(MONDAY, 10, 45), 2, 8),
        Slot(at(MONDAY, 10), at(MONDAY, 10, 45), 1, 8),
    ]
    assert Slot(at(MONDAY, 11, 15), at(MONDAY, 12), 2, 7) in slots
    assert slots[-1].start == at(MONDAY, 11, 15)


def test_it_stops_at_the_limit_and_gives_one_slot_per_start_when_asked():
    kwargs = {
        "kind": CONSULTATION,
        "practitioners": [DOCTOR, Resource(2, "Dr B", week())],
        "rooms": [],
        "clinic": CLINIC,
        "window": Interval(at(MONDAY, 0), at(MONDAY, 0) + timedelta(days=7)),
        "step": timedelta(minutes=30),
        "not_before": at(MONDAY, 15),
    }
    assert len(free_slots(**kwargs, limit=5)) == 5
    single = free_slots(**kwargs, one_per_start=True)
    assert len({slot.start for slot in single}) == len(single)
    assert single[0] == Slot(at(MONDAY, 15), at(MONDAY, 15, 30), 1, None)
    assert free_slots(**kwargs, limit=0) == []
