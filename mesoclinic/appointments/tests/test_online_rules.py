"""The clinic's rule for what a patient changes online (pure): every reason named, none
invented, notice counted in real hours."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.appointments.online_rules import Change, Code, problems

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
STATUSES = st.sampled_from(["booked", "checked_in", "completed", "cancelled", "no_show"])
OFFSETS = st.integers(min_value=-72 * 60, max_value=400 * 60).map(lambda m: timedelta(minutes=m))
NOTICE = st.integers(min_value=0, max_value=168)


@given(
    change=st.sampled_from([Change.CONFIRM, Change.MOVE, Change.CANCEL]),
    status=STATUSES,
    offset=OFFSETS,
    notice=NOTICE,
    confirmed=st.booleans(),
    new_offset=st.none() | OFFSETS,
)
def test_it_names_exactly_the_reasons_that_hold(
    change, status, offset, notice, confirmed, new_offset
):
    starts_at = NOW + offset
    new_start = None if new_offset is None else NOW + new_offset
    found = problems(
        change=change,
        now=NOW,
        notice_hours=notice,
        status=status,
        starts_at=starts_at,
        confirmed=confirmed,
        new_start=new_start,
    )
    codes = [reason.code for reason in found]
    assert len(codes) == len(set(codes))  # each reason once
    assert (Code.STATUS in codes) == (status != "booked")
    assert (Code.STARTED in codes) == (starts_at <= NOW)
    changing = change in (Change.MOVE, Change.CANCEL)
    inside = NOW < starts_at < NOW + timedelta(hours=notice)
    assert (Code.TOO_LATE in codes) == (changing and inside)
    assert (Code.CONFIRMED in codes) == (change is Change.CONFIRM and confirmed)
    too_soon = (
        change is Change.MOVE
        and new_start is not None
        and (new_start - NOW < timedelta(hours=notice) or new_start <= NOW)
    )
    assert (Code.TOO_SOON in codes) == too_soon
    for reason in found:
        if reason.code in (Code.TOO_LATE, Code.TOO_SOON):
            assert reason.hours == notice
        if reason.code is Code.STATUS:
            assert reason.status == status


@given(offset=OFFSETS, later=st.integers(min_value=0, max_value=10_000), notice=NOTICE)
def test_time_passing_never_opens_what_the_notice_closed(offset, later, notice):
    starts_at = NOW + offset

    def allowed(now):
        return not problems(change=Change.CANCEL, now=now, notice_hours=notice, starts_at=starts_at)

    if not allowed(NOW):
        assert not allowed(NOW + timedelta(minutes=later))


@given(notice=NOTICE, hours_ahead=st.integers(min_value=0, max_value=400))
def test_a_booked_time_beyond_the_notice_may_be_moved_cancelled_and_confirmed(notice, hours_ahead):
    starts_at = NOW + timedelta(hours=hours_ahead, minutes=1)
    for change in (Change.MOVE, Change.CANCEL, Change.CONFIRM):
        found = problems(change=change, now=NOW, notice_hours=notice, starts_at=starts_at)
        assert (found == ()) == (change is Change.CONFIRM or hours_ahead >= notice)


def test_a_new_booking_is_judged_by_its_new_time_only():
    assert (
        problems(change=Change.BOOK, now=NOW, notice_hours=24, status="cancelled", starts_at=NOW)
        == ()
    )
    (reason,) = problems(
        change=Change.BOOK, now=NOW, notice_hours=24, new_start=NOW + timedelta(hours=23)
    )
    assert reason.code is Code.TOO_SOON and reason.hours == 24
