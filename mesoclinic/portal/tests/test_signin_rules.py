"""The sign-in code's pure rules: when a code may be asked for, and what a typed code does."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.portal.signin_rules import (
    CodeFacts,
    Limits,
    Outcome,
    Refusal,
    check_code,
    digits_of,
    locked_until,
    may_request,
)

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
LIMITS = Limits()
ago = st.integers(min_value=0, max_value=2 * 24 * 3600).map(lambda s: NOW - timedelta(seconds=s))


def facts(**changes) -> CodeFacts:
    base = {
        "now": NOW,
        "expires_at": NOW + timedelta(minutes=5),
        "used": False,
        "wrong_tries": 0,
        "matches": True,
        "has_record": True,
        "locked": False,
    }
    return CodeFacts(**{**base, **changes})


def test_it_lets_the_third_code_of_an_hour_go_and_refuses_the_fourth():
    two = [NOW - timedelta(minutes=m) for m in (5, 20)]
    assert may_request(
        now=NOW, number_requests=two, address_requests=[], burnt=[], limits=LIMITS
    ).allowed
    three = [*two, NOW - timedelta(minutes=40)]
    refused = may_request(
        now=NOW, number_requests=three, address_requests=[], burnt=[], limits=LIMITS
    )
    assert refused.reasons == (Refusal.NUMBER_HOUR,)
    assert refused.retry_at == NOW - timedelta(minutes=40) + timedelta(hours=1)


def test_it_names_every_reason_at_once():
    day = [NOW - timedelta(minutes=m) for m in (1, 2, 3)]
    day += [NOW - timedelta(hours=h) for h in range(2, 9)]
    burnt = [NOW - timedelta(minutes=m) for m in (1, 2, 3)]
    decision = may_request(
        now=NOW,
        number_requests=day,
        address_requests=[NOW] * LIMITS.per_address_hour,
        burnt=burnt,
        limits=LIMITS,
    )
    assert decision.reasons == (
        Refusal.NUMBER_HOUR,
        Refusal.NUMBER_DAY,
        Refusal.ADDRESS_HOUR,
        Refusal.LOCKED,
    )


@given(st.lists(ago, max_size=20), st.lists(ago, max_size=30), st.lists(ago, max_size=5))
def test_it_refuses_exactly_when_a_limit_is_full(numbers, here, burnt):
    decision = may_request(
        now=NOW, number_requests=numbers, address_requests=here, burnt=burnt, limits=LIMITS
    )
    hour = sum(t > NOW - timedelta(hours=1) for t in numbers)
    day = sum(t > NOW - timedelta(days=1) for t in numbers)
    address = sum(t > NOW - timedelta(hours=1) for t in here)
    locked = locked_until(burnt, now=NOW, limits=LIMITS) is not None
    assert (Refusal.NUMBER_HOUR in decision.reasons) == (hour >= LIMITS.per_number_hour)
    assert (Refusal.NUMBER_DAY in decision.reasons) == (day >= LIMITS.per_number_day)
    assert (Refusal.ADDRESS_HOUR in decision.reasons) == (address >= LIMITS.per_address_hour)
    assert (Refusal.LOCKED in decision.reasons) == locked
    assert decision.allowed == (decision.retry_at is None)
    if decision.retry_at is not None:
        assert decision.retry_at > NOW
        # Once the refusal lifts, the same history lets a request through.
        later = may_request(
            now=decision.retry_at,
            number_requests=numbers,
            address_requests=here,
            burnt=burnt,
            limits=LIMITS,
        )
        assert later.allowed


def test_it_locks_a_number_for_an_hour_after_three_burnt_codes_in_a_day():
    burnt = [NOW - timedelta(hours=20), NOW - timedelta(hours=3), NOW - timedelta(minutes=10)]
    assert locked_until(burnt, now=NOW, limits=LIMITS) == NOW + timedelta(minutes=50)
    assert locked_until(burnt[1:], now=NOW, limits=LIMITS) is None
    assert locked_until(burnt, now=NOW + timedelta(minutes=51), limits=LIMITS) is None


def test_it_signs_in_with_the_right_code_on_time():
    assert check_code(facts(), limits=LIMITS).outcome is Outcome.ACCEPTED


def test_it_refuses_the_sixth_try_even_with_the_right_code():
    decision = check_code(facts(wrong_tries=5), limits=LIMITS)
    assert decision.outcome is Outcome.REFUSED
    assert decision.reasons == (Refusal.TOO_MANY_TRIES,)
    assert not decision.counts_a_try


def test_it_burns_the_code_on_its_fifth_wrong_try():
    assert check_code(facts(matches=False, wrong_tries=3), limits=LIMITS).tries_left == 1
    fifth = check_code(facts(matches=False, wrong_tries=4), limits=LIMITS)
    assert (fifth.outcome, fifth.tries_left, fifth.counts_a_try) == (Outcome.SPENT, 0, True)


def test_it_answers_a_try_without_a_record_as_a_wrong_code():
    decision = check_code(facts(has_record=False), limits=LIMITS)
    assert decision.outcome is Outcome.WRONG
    assert decision.reasons == (Refusal.WRONG, Refusal.NO_RECORD)
    assert decision.tries_left == 4


@given(
    used=st.booleans(),
    expired=st.booleans(),
    wrong_tries=st.integers(min_value=0, max_value=8),
    matches=st.booleans(),
    has_record=st.booleans(),
    locked=st.booleans(),
)
def test_it_signs_in_only_when_everything_holds(
    used, expired, wrong_tries, matches, has_record, locked
):
    decision = check_code(
        facts(
            used=used,
            expires_at=NOW - timedelta(seconds=1) if expired else NOW + timedelta(minutes=1),
            wrong_tries=wrong_tries,
            matches=matches,
            has_record=has_record,
            locked=locked,
        ),
        limits=LIMITS,
    )
    everything = (
        not used and not expired and wrong_tries < 5 and matches and has_record and not locked
    )
    assert (decision.outcome is Outcome.ACCEPTED) == everything
    barred = used or expired or wrong_tries >= 5 or locked
    assert (decision.outcome is Outcome.REFUSED) == barred
    assert (Refusal.EXPIRED in decision.reasons) == expired
    assert (Refusal.USED in decision.reasons) == used
    assert (Refusal.LOCKED in decision.reasons) == locked
    if decision.counts_a_try:
        assert decision.tries_left == 5 - wrong_tries - 1


@given(st.text(max_size=30))
def test_it_keeps_at_most_seven_digits_of_what_was_typed(typed):
    kept = digits_of(typed, digits=6)
    assert kept.isascii() and (kept.isdigit() or kept == "")
    assert len(kept) <= 7


def test_it_reads_urdu_digits_and_drops_spaces():
    assert digits_of("۱۲۳ ۴۵۶", digits=6) == "123456"
    assert digits_of("123-456-789", digits=6) == "1234567"
