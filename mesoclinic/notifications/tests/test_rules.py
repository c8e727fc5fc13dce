"""The pure message rules (issue 17): no database, hypothesis where a property says more than
an example."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.notifications import rules
from mesoclinic.notifications.rules import Channel, Reason

KARACHI = ZoneInfo("Asia/Karachi")
QUIET = {"quiet_start": rules.DEFAULT_QUIET_START, "quiet_end": rules.DEFAULT_QUIET_END}
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

gsm_basic = st.sampled_from(sorted(rules.GSM7_BASIC))
gsm_any = st.sampled_from(sorted(rules.GSM7_BASIC | rules.GSM7_EXTENSION))
# The Arabic block as Urdu uses it: letters, Urdu digits, the full stop ۔
urdu = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)


# --- SMS segments ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", rules.GSM7, 0, 0),
        ("a" * 160, rules.GSM7, 160, 1),
        ("a" * 161, rules.GSM7, 161, 2),
        ("a" * 306, rules.GSM7, 306, 2),
        ("a" * 307, rules.GSM7, 307, 3),
        ("€" * 80, rules.GSM7, 160, 1),
        ("€" * 80 + "a", rules.GSM7, 161, 2),
        ("ب" * 70, rules.UCS2, 70, 1),
        ("ب" * 71, rules.UCS2, 71, 2),
        ("ب" * 134, rules.UCS2, 134, 2),
        ("ب" * 135, rules.UCS2, 135, 3),
        ("😀" * 35, rules.UCS2, 70, 1),
        ("😀" * 35 + "a", rules.UCS2, 71, 2),
    ],
)
def test_it_counts_segments_at_the_boundaries(text, encoding, units, segments):
    count = rules.sms_segments(text)
    assert (count.encoding, count.units, count.segments) == (encoding, units, segments)
    assert count.characters == len(text)


def test_it_counts_a_curly_quote_as_ucs2_and_an_extension_character_as_two():
    assert rules.sms_segments("it’s").encoding == rules.UCS2
    assert rules.sms_segments("[ok]").units == 6
    assert rules.sms_segments("é").encoding == rules.GSM7  # in the basic set
    assert rules.sms_segments("ê").encoding == rules.UCS2  # not in it


def test_it_takes_the_segment_sizes_as_data():
    small = rules.SegmentLimits(gsm7_single=10, gsm7_multi=5, ucs2_single=4, ucs2_multi=2)
    assert rules.sms_segments("a" * 11, limits=small).segments == 3
    assert rules.sms_segments("ب" * 5, limits=small).segments == 3


def _formula(units, single, multi):
    if units == 0:
        return 0
    return 1 if units <= single else -(-units // multi)


@given(st.text(gsm_any, max_size=500))
def test_it_counts_gsm7_by_the_formula(text):
    count = rules.sms_segments(text)
    units = len(text) + sum(c in rules.GSM7_EXTENSION for c in text)
    assert count.encoding == rules.GSM7
    assert count.units == units
    assert count.segments == _formula(units, 160, 153)


@given(st.text(max_size=400))
def test_it_counts_any_text_by_the_formula_of_its_encoding(text):
    count = rules.sms_segments(text)
    if count.encoding == rules.UCS2:
        assert count.units == len(text.encode("utf-16-le")) // 2
        assert count.segments == _formula(count.units, 70, 67)
    else:
        assert rules.is_gsm7(text)
        assert count.segments == _formula(count.units, 160, 153)


@given(st.text(gsm_basic, max_size=400), st.text(gsm_basic, min_size=1, max_size=50))
def test_it_never_counts_fewer_segments_for_longer_gsm7_text(text, more):
    assert rules.sms_segments(text + more).segments >= rules.sms_segments(text).segments


@given(st.text(urdu, max_size=300), st.text(urdu, min_size=1, max_size=50))
def test_it_never_counts_fewer_segments_for_longer_urdu_text(text, more):
    assert rules.sms_segments(text + more).segments >= rules.sms_segments(text).segments


@given(st.text(gsm_any, max_size=300), urdu, st.text(gsm_any, max_size=300))
def test_it_sends_as_ucs2_once_any_urdu_character_is_in(before, letter, after):
    count = rules.sms_segments(before + letter + after)
    assert count.encoding == rules.UCS2
    assert count.segments == _formula(len(before) + 1 + len(after), 70, 67)


# --- quiet hours ----------------------------------------------------------------------------


def _karachi(hour, minute=0, day=1):
    return datetime(2026, 3, day, hour, minute, tzinfo=KARACHI)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (_karachi(12), _karachi(12)),  # daytime: now
        (_karachi(20, 59), _karachi(20, 59)),
        (_karachi(21), _karachi(9, day=2)),  # the start is quiet
        (_karachi(23, 30), _karachi(9, day=2)),
        (_karachi(0), _karachi(9)),  # after midnight: this morning
        (_karachi(8, 59), _karachi(9)),
        (_karachi(9), _karachi(9)),  # the end is not quiet
    ],
)
def test_it_holds_a_non_urgent_message_until_the_quiet_hours_end(now, expected):
    assert rules.next_send_time(now, urgent=False, **QUIET) == expected


def test_it_sends_an_urgent_message_in_quiet_hours():
    assert rules.next_send_time(_karachi(23), urgent=True, **QUIET) == _karachi(23)


def test_it_handles_a_window_that_does_not_cross_midnight():
    lunch = {"quiet_start": time(13), "quiet_end": time(14)}
    assert rules.next_send_time(_karachi(13, 30), urgent=False, **lunch) == _karachi(14)
    assert rules.next_send_time(_karachi(14), urgent=False, **lunch) == _karachi(14)
    assert rules.next_send_time(_karachi(12, 59), urgent=False, **lunch) == _karachi(12, 59)
    assert rules.next_send_time(_karachi(23), urgent=False, **lunch) == _karachi(23)


def test_it_has_no_quiet_hours_when_start_and_end_are_equal():
    same = {"quiet_start": time(21), "quiet_end": time(21)}
    assert rules.next_send_time(_karachi(21), urgent=False, **same) == _karachi(21)


def test_it_keeps_the_clinic_time_zone():
    sent = rules.next_send_time(_karachi(22), urgent=False, **QUIET)
    assert sent.tzinfo is KARACHI
    assert sent.astimezone(UTC) == datetime(2026, 3, 2, 4, 0, tzinfo=UTC)


@given(
    st.datetimes(datetime(2020, 1, 1), datetime(2035, 1, 1)),
    st.times(),
    st.times(),
    st.booleans(),
)
def test_it_never_sends_a_non_urgent_message_in_quiet_hours_nor_before_now(now, start, end, urgent):
    now = now.replace(tzinfo=KARACHI)
    quiet = {"quiet_start": start, "quiet_end": end}
    sent = rules.next_send_time(now, urgent=urgent, **quiet)
    assert sent >= now
    assert sent - now <= timedelta(days=1)
    if urgent:
        assert sent == now
    else:
        assert not rules.is_quiet(sent, **quiet)
        if not rules.is_quiet(now, **quiet):
            assert sent == now


# --- retries --------------------------------------------------------------------------------


def test_it_retries_on_the_schedule_and_then_gives_up():
    schedule = rules.DEFAULT_RETRY_SCHEDULE
    times = [rules.retry_at(NOW, attempts=n, schedule=schedule) for n in range(1, 7)]
    assert times[:5] == [NOW + delay for delay in schedule]
    assert times[5] is None


def test_it_refuses_a_retry_before_any_attempt_and_a_bad_jitter():
    with pytest.raises(ValueError, match="at least 1"):
        rules.retry_at(NOW, attempts=0, schedule=rules.DEFAULT_RETRY_SCHEDULE)
    with pytest.raises(ValueError, match="between 0 and 1"):
        rules.retry_at(NOW, attempts=1, schedule=(timedelta(1),), jitter_fraction=1.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        rules.retry_at(NOW, attempts=1, schedule=(timedelta(1),), jitter_fraction=-0.1)
    with pytest.raises(ValueError, match="positive"):
        rules.retry_at(NOW, attempts=1, schedule=(timedelta(0),))


def test_it_gives_up_at_once_with_an_empty_schedule():
    assert rules.retry_at(NOW, attempts=1, schedule=()) is None


def test_it_only_lengthens_a_delay_with_jitter():
    one = (timedelta(minutes=10),)
    assert rules.retry_at(
        NOW, attempts=1, schedule=one, jitter_fraction=0.5, rng=lambda: 0.5
    ) == NOW + timedelta(minutes=12, seconds=30)
    assert rules.retry_at(
        NOW, attempts=1, schedule=one, jitter_fraction=0.5, rng=lambda: 0.0
    ) == NOW + timedelta(minutes=10)
    drawn = rules.retry_at(NOW, attempts=1, schedule=one, jitter_fraction=1)
    assert NOW + timedelta(minutes=10) <= drawn < NOW + timedelta(minutes=20)


increasing_schedules = st.lists(st.integers(1, 10**6), min_size=1, max_size=8, unique=True).map(
    lambda seconds: tuple(timedelta(seconds=s) for s in sorted(seconds))
)


@given(increasing_schedules, st.floats(0, 1), st.randoms(use_true_random=False))
def test_it_retries_later_with_each_attempt_until_none(schedule, jitter, rnd):
    previous = NOW
    for attempts in range(1, len(schedule) + 2):
        at = rules.retry_at(
            previous, attempts=attempts, schedule=schedule, jitter_fraction=jitter, rng=rnd.random
        )
        if attempts > len(schedule):
            assert at is None
            break
        assert at > previous
        assert at - previous >= schedule[attempts - 1]
        previous = at
    times = [rules.retry_at(NOW, attempts=n, schedule=schedule) for n in range(1, len(schedule))]
    assert times == sorted(set(times))


# --- WhatsApp -------------------------------------------------------------------------------


def _whatsapp(**overrides):
    facts = {
        "opted_in": True,
        "last_inbound_at": NOW - timedelta(hours=1),
        "now": NOW,
        "window_hours": 24,
        "is_template": False,
    }
    return rules.whatsapp_decision(**(facts | overrides))


def test_it_allows_free_text_inside_the_window_with_an_opt_in():
    decision = _whatsapp()
    assert decision.allowed
    assert decision.reasons == ()


def test_it_refuses_whatsapp_without_an_opt_in_even_for_a_template():
    decision = _whatsapp(opted_in=False, is_template=True)
    assert not decision.allowed
    assert decision.reasons == (Reason.WHATSAPP_NO_OPT_IN,)


@pytest.mark.parametrize(
    ("since", "inside"),
    [(timedelta(hours=23, minutes=59), True), (timedelta(hours=24), False), (None, False)],
)
def test_it_allows_free_text_only_within_the_window(since, inside):
    last = None if since is None else NOW - since
    assert _whatsapp(last_inbound_at=last).allowed is inside
    assert _whatsapp(last_inbound_at=last, is_template=True).allowed


def test_it_takes_the_window_as_data():
    assert not _whatsapp(last_inbound_at=NOW - timedelta(hours=2), window_hours=2).allowed
    assert _whatsapp(last_inbound_at=NOW - timedelta(hours=2), window_hours=2.5).allowed


def test_it_names_both_whatsapp_reasons_at_once():
    decision = _whatsapp(opted_in=False, last_inbound_at=None)
    assert decision.reasons == (Reason.WHATSAPP_NO_OPT_IN, Reason.WHATSAPP_OUTSIDE_WINDOW)


# --- templates ------------------------------------------------------------------------------


def test_it_renders_in_english_and_urdu():
    en = rules.render("Dear {name}, see you on {date}.", {"name": "Ayesha", "date": "3 March"})
    ur = rules.render(
        "محترمہ {name}، آپ کی ملاقات {date} کو ہے۔", {"name": "عائشہ", "date": "۳ مارچ"}
    )
    assert en.text == "Dear Ayesha, see you on 3 March."
    assert ur.text == "محترمہ عائشہ، آپ کی ملاقات ۳ مارچ کو ہے۔"
    assert en.used == ur.used == {"name", "date"}


def test_it_names_every_missing_value_and_ignores_extras():
    with pytest.raises(rules.MissingValues) as caught:
        rules.render("{b} {a} {c} {a}", {"c": 1, "d": 2, "a": None})
    assert caught.value.names == ("a", "b")
    assert rules.render("{c}", {"c": 0, "d": 2}).text == "0"
    assert rules.render("{c}", {"c": ""}).text == ""


def test_it_keeps_doubled_braces_and_never_expands_a_value():
    rendered = rules.render("{{name}} is {name}", {"name": "{secret}"})
    assert rendered.text == "{name} is {secret}"
    assert rendered.used == {"name"}


@pytest.mark.parametrize(
    ("template", "problems"),
    [
        ("{0}", ("{0}",)),
        ("{name.__class__}", ("{name.__class__}",)),
        ("{name[0]}", ("{name[0]}",)),
        ("{name!r} {x:>9}", ("{name!r}", "{x:>9}")),
        ("a } b", ("}",)),
        ("open { and never closed at all, really", ("{ and never closed a",)),
        ("{ name }", ("{ name }",)),
    ],
)
def test_it_refuses_anything_but_a_plain_name_in_braces(template, problems):
    with pytest.raises(rules.TemplateError) as caught:
        rules.render(template, {"name": "x", "x": "y", "0": "z"})
    assert caught.value.problems == problems
    with pytest.raises(rules.TemplateError):
        rules.placeholders(template)


names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True)
literals = st.text(st.characters(blacklist_characters="{}"), max_size=20)


@given(
    st.lists(st.tuples(literals, names), max_size=8),
    literals,
    st.dictionaries(names, st.text(max_size=20)),
    st.text(st.characters(blacklist_characters="{}"), max_size=20),
)
def test_it_fills_every_placeholder_of_a_complete_value_set(pieces, tail, extra, value_text):
    template = "".join(f"{lit}{{{name}}}" for lit, name in pieces) + tail
    values = extra | {name: f"{value_text}{name}" for _lit, name in pieces}
    rendered = rules.render(template, values)
    assert rendered.text == "".join(lit + values[name] for lit, name in pieces) + tail
    assert rendered.used == {name for _lit, name in pieces}
    assert "{" not in rendered.text and "}" not in rendered.text


@given(st.lists(st.tuples(literals, names), min_size=1, max_size=8), st.data())
def test_it_names_exactly_the_missing_values(pieces, data):
    template = "".join(f"{lit}{{{name}}}" for lit, name in pieces)
    wanted = sorted({name for _lit, name in pieces})
    given_names = data.draw(st.sets(st.sampled_from(wanted)))
    values = dict.fromkeys(given_names, "v")
    missing = tuple(name for name in wanted if name not in given_names)
    if missing:
        with pytest.raises(rules.MissingValues) as caught:
            rules.render(template, values)
        assert caught.value.names == missing
    else:
        assert "{" not in rules.render(template, values).text


# --- may it go now --------------------------------------------------------------------------


def _facts(**overrides):
    facts = {
        "channel": Channel.SMS,
        "opted_out": False,
        "address": "+923001234567",
        "address_valid": True,
        "template_text": "Dear {name}, your aftercare: {link}",
        "values": {"name": "Ayesha", "link": "https://example.test/a/1"},
        "now": NOW,
    }
    return rules.SendFacts(**(facts | overrides))


def test_it_lets_a_complete_message_go():
    assert rules.check(_facts()) == ()
    assert rules.can_send(_facts()).allowed


def test_it_lists_every_reason_at_once():
    refusals = rules.check(
        _facts(
            channel=Channel.WHATSAPP,
            opted_out=True,
            address="  ",
            template_text="{name} {link} {0}",
            values={"link": None},
            is_template=False,
        )
    )
    assert refusals == (
        rules.Refusal(Reason.OPTED_OUT),
        rules.Refusal(Reason.ADDRESS_MISSING),
        rules.Refusal(Reason.TEMPLATE_INVALID, ("{0}",)),
        rules.Refusal(Reason.VALUES_MISSING, ("link", "name")),
        rules.Refusal(Reason.WHATSAPP_NO_OPT_IN),
        rules.Refusal(Reason.WHATSAPP_OUTSIDE_WINDOW),
    )


def test_it_refuses_an_invalid_address_and_an_empty_body():
    refusals = rules.check(_facts(address="0300", address_valid=False, template_text=" {x} "))
    assert [r.reason for r in refusals] == [Reason.ADDRESS_INVALID, Reason.VALUES_MISSING]
    refusals = rules.check(_facts(template_text=" {x} ", values={"x": ""}))
    assert refusals == (rules.Refusal(Reason.EMPTY_BODY),)


def test_it_asks_whatsapp_questions_only_of_whatsapp():
    for channel in (Channel.SMS, Channel.EMAIL, Channel.CONSOLE):
        assert rules.check(_facts(channel=channel, is_template=False)) == ()
    whatsapp = _facts(
        channel=Channel.WHATSAPP, whatsapp_opted_in=True, last_inbound_at=NOW - timedelta(hours=3)
    )
    assert rules.check(whatsapp) == ()


@given(
    channel=st.sampled_from(Channel),
    opted_out=st.booleans(),
    address=st.sampled_from(["", " ", "+923001234567", "a@example.test"]),
    address_valid=st.booleans(),
    stray=st.booleans(),
    given_names=st.sets(st.sampled_from(["name", "link"])),
    opted_in=st.booleans(),
    hours_since=st.none() | st.integers(0, 72),
    is_template=st.booleans(),
)
def test_it_lists_exactly_the_failing_reasons(
    channel,
    opted_out,
    address,
    address_valid,
    stray,
    given_names,
    opted_in,
    hours_since,
    is_template,
):
    facts = _facts(
        channel=channel,
        opted_out=opted_out,
        address=address,
        address_valid=address_valid,
        template_text="Dear {name}: {link}" + (" {0}" if stray else ""),
        values=dict.fromkeys(given_names, "x"),
        whatsapp_opted_in=opted_in,
        last_inbound_at=None if hours_since is None else NOW - timedelta(hours=hours_since),
        is_template=is_template,
    )
    expected = {
        Reason.OPTED_OUT: opted_out,
        Reason.ADDRESS_MISSING: not address.strip(),
        Reason.ADDRESS_INVALID: bool(address.strip()) and not address_valid,
        Reason.TEMPLATE_INVALID: stray,
        Reason.VALUES_MISSING: given_names != {"name", "link"},
        Reason.WHATSAPP_NO_OPT_IN: channel == Channel.WHATSAPP and not opted_in,
        Reason.WHATSAPP_OUTSIDE_WINDOW: channel == Channel.WHATSAPP
        and not is_template
        and (hours_since is None or hours_since >= 24),
    }
    decision = rules.can_send(facts)
    assert set(decision.reasons) == {reason for reason, failing in expected.items() if failing}
    assert len(decision.reasons) == len(set(decision.reasons))
    assert decision.allowed is not any(expected.values())


def test_it_keeps_its_defaults_where_the_issue_puts_them():
    assert (time(21), time(9)) == (rules.DEFAULT_QUIET_START, rules.DEFAULT_QUIET_END)
    assert rules.DEFAULT_WHATSAPP_WINDOW_HOURS == 24
    assert list(rules.DEFAULT_RETRY_SCHEDULE) == sorted(rules.DEFAULT_RETRY_SCHEDULE)


def test_it_says_in_words_what_is_wrong_with_a_backoff_request():
    """A caller that misuses the backoff learns why, in a sentence, not just that it failed."""
    schedule = rules.DEFAULT_RETRY_SCHEDULE
    with pytest.raises(ValueError, match=r"^attempts counts failed attempts: at least 1$"):
        rules.retry_at(NOW, attempts=0, schedule=schedule)
    with pytest.raises(ValueError, match=r"^jitter_fraction lies between 0 and 1$"):
        rules.retry_at(NOW, attempts=1, schedule=schedule, jitter_fraction=1.5)
    with pytest.raises(ValueError, match=r"^every delay in the schedule is positive$"):
        rules.retry_at(NOW, attempts=1, schedule=(timedelta(0),))


def test_it_names_the_missing_values_and_the_bad_pieces_in_its_messages():
    with pytest.raises(rules.MissingValues) as missing:
        rules.render("{clinic} {date}", {})
    assert str(missing.value) == "clinic, date"
    with pytest.raises(rules.TemplateError) as bad:
        rules.render("Hello {1x} and {a.b}", {})
    assert str(bad.value).startswith("not a placeholder: ")
    assert "{1x}" in str(bad.value) and "{a.b}" in str(bad.value)


def test_it_counts_the_first_minute_of_a_daytime_quiet_spell_as_quiet():
    lunch = {"quiet_start": time(13, 0), "quiet_end": time(14, 0)}
    assert rules.is_quiet(datetime(2026, 12, 7, 13, 0), **lunch)
    assert not rules.is_quiet(datetime(2026, 12, 7, 14, 0), **lunch)
    assert not rules.is_quiet(datetime(2026, 12, 7, 12, 59), **lunch)


def test_it_counts_utf16_units_as_whole_numbers():
    count = rules.sms_segments("آپ 🙂")
    assert count.characters == 4  # two letters, a space and the emoji
    assert count.units == 5 and isinstance(count.units, int)  # the emoji is two UTF-16 units


@pytest.mark.parametrize("channel", [Channel.SMS, Channel.EMAIL])
def test_it_refuses_sms_and_email_without_a_recorded_opt_in(channel):
    assert rules.check(_facts(channel=channel, opted_in=False)) == (
        rules.Refusal(Reason.NO_OPT_IN),
    )
    # An opt-out says more than a missing opt-in: it is the one reason given.
    assert rules.check(_facts(channel=channel, opted_in=False, opted_out=True)) == (
        rules.Refusal(Reason.OPTED_OUT),
    )
    # WhatsApp names its own opt-in (whatsapp_no_opt_in), never both.
    facts = _facts(channel=Channel.WHATSAPP, opted_in=False, whatsapp_opted_in=False)
    assert Reason.NO_OPT_IN not in rules.can_send(facts).reasons
