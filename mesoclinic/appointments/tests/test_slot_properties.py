"""Slot search properties: a free slot never overlaps a booking with its buffers, a break, leave
or a closure, fits its duration inside the hours with the resources its kind needs, and
`free_slots` returns exactly the grid starts `check` accepts."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.appointments.availability import BreakRule, Closure, Hours, Interval, Off, resolve
from mesoclinic.appointments.slots import Busy, Kind, Resource, Slot, blocked, check, free_slots

KHI = ZoneInfo("Asia/Karachi")
FIRST = date(2026, 12, 7)
LAST = FIRST + timedelta(days=2)
ORIGIN = datetime.combine(FIRST, time(0), tzinfo=KHI)


def spans(min_minutes=5, max_minutes=240, max_size=3):
    """Aware intervals somewhere in the three days."""
    return st.lists(
        st.builds(
            lambda offset, length: Interval(
                ORIGIN + timedelta(minutes=offset), ORIGIN + timedelta(minutes=offset + length)
            ),
            st.integers(min_value=-60, max_value=3 * 24 * 60).map(lambda m: m - m % 5),
            st.integers(min_value=min_minutes, max_value=max_minutes).map(lambda m: m - m % 5 or 5),
        ),
        max_size=max_size,
    )


@st.composite
def availabilities(draw):
    weekly = []
    for weekday in range(7):
        opens = draw(st.integers(min_value=6, max_value=12))
        if draw(st.integers(0, 4)):  # most days are working days
            weekly.append(Hours(weekday, time(opens), time(opens + draw(st.integers(2, 11)))))
    breaks = [
        BreakRule(draw(st.none() | st.integers(0, 6)), time(h), time(h, 45), "break")
        for h in draw(st.lists(st.integers(8, 20), max_size=2))
    ]
    leave = [Off(span, "leave", "leave") for span in draw(spans(max_minutes=600, max_size=2))]
    closures = [
        Closure(day, day, "Eid") for day in draw(st.lists(st.dates(FIRST, LAST), max_size=1))
    ]
    return resolve(
        weekly=weekly, breaks=breaks, leave=leave, closures=closures, first=FIRST, last=LAST, tz=KHI
    )


@st.composite
def resources(draw, first_id):
    count = draw(st.integers(min_value=0, max_value=3) | st.just(2))
    return [
        Resource(
            first_id + n,
            f"resource {first_id + n}",
            draw(availabilities()),
            tuple(Busy(span, f"booking {i}") for i, span in enumerate(draw(spans()))),
        )
        for n in range(count)
    ]


kinds = st.builds(
    Kind,
    duration=st.sampled_from([10, 15, 30, 45, 60]).map(lambda m: timedelta(minutes=m)),
    before=st.sampled_from([0, 5, 10]).map(lambda m: timedelta(minutes=m)),
    after=st.sampled_from([0, 5, 15]).map(lambda m: timedelta(minutes=m)),
    needs_practitioner=st.booleans(),
    needs_room=st.booleans(),
)

scenarios = st.fixed_dictionaries(
    {
        "kind": kinds,
        "practitioners": resources(1),
        "rooms": resources(100),
        "clinic": availabilities(),
        "patient_busy": spans().map(lambda found: [Busy(span, "patient") for span in found]),
        "step": st.sampled_from([15, 20, 30]).map(lambda m: timedelta(minutes=m)),
        "not_before": st.integers(0, 24 * 60).map(lambda m: ORIGIN + timedelta(minutes=m)),
    }
)
WINDOW = Interval(ORIGIN, ORIGIN + timedelta(days=3))


def _search(scenario):
    return free_slots(window=WINDOW, **scenario)


def _by_id(scenario):
    return {r.id: r for r in scenario["practitioners"] + scenario["rooms"]}


@given(scenarios)
def test_it_never_offers_a_slot_over_a_booking_time_off_or_outside_the_hours(scenario):
    kind, clinic, resources_by_id = scenario["kind"], scenario["clinic"], _by_id(scenario)
    for slot in _search(scenario):
        appointment, held = Interval(slot.start, slot.end), blocked(kind, slot.start)
        assert slot.end - slot.start == kind.duration
        assert slot.start >= scenario["not_before"] and WINDOW.contains(appointment)
        assert (slot.practitioner is not None) == kind.needs_practitioner
        assert (slot.room is not None) == kind.needs_room
        assert any(h.contains(appointment) for h in clinic.hours)
        assert not any(off.interval.overlaps(appointment) for off in clinic.off)
        assert not any(b.interval.overlaps(held) for b in scenario["patient_busy"])
        for ident in (slot.practitioner, slot.room):
            if ident is not None:
                resource = resources_by_id[ident]
                assert any(h.contains(appointment) for h in resource.availability.hours)
                assert not any(
                    off.interval.overlaps(appointment) for off in resource.availability.off
                )
                assert not any(b.interval.overlaps(held) for b in resource.busy)


def _brute_force(scenario):
    """The slots by the definition: every grid start, every practitioner, the first room."""
    kind, step = scenario["kind"], scenario["step"]
    people = scenario["practitioners"] if kind.needs_practitioner else [None]
    places = scenario["rooms"] if kind.needs_room else [None]
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    start = epoch + -((epoch - WINDOW.start) // step) * step
    expected = []
    while start + kind.duration <= WINDOW.end:
        for person in people:
            for place in places:
                problems = check(
                    kind=kind,
                    start=start,
                    practitioner=person,
                    room=place,
                    clinic=scenario["clinic"],
                    patient_busy=scenario["patient_busy"],
                    now=scenario["not_before"],
                )
                if not problems:
                    ids = (person and person.id, place and place.id)
                    expected.append(Slot(start, start + kind.duration, *ids))
                    break
        start += step
    return expected


@given(scenarios)
def test_it_offers_exactly_the_grid_starts_check_accepts(scenario):
    assert _search(scenario) == _brute_force(scenario)
