"""Reading provider callbacks: any JSON at all is read or refused as malformed, never an
unexpected exception (the hook must never answer 500); signatures."""

import contextlib
from datetime import UTC, datetime

from hypothesis import example, given
from hypothesis import strategies as st

from mesoclinic.notifications import webhooks
from mesoclinic.notifications.signatures import is_valid, sign

KEYS = st.sampled_from(
    [
        "entry",
        "changes",
        "value",
        "statuses",
        "messages",
        "id",
        "timestamp",
        "from",
        "errors",
        "code",
        "status",
        "x",
    ]
)
SCALARS = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
)
JSON = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=40,
)


# Any JSON, numbers as likely as the rest (a number is what a loop over a list trips on).
ODD = st.integers() | st.floats(allow_nan=False) | st.booleans() | st.text(max_size=12) | JSON


def fields(**required):
    """An object with these fields, and maybe another."""
    return st.fixed_dictionaries(required, optional={"x": JSON})


LEVELS = ("entry", "an entry", "changes", "a change", "value")
LEVELS += ("statuses", "a status", "errors", "an error", "messages", "a message")


def webhook(odd: str):
    """A WhatsApp webhook of the right shape but at level `odd`, which is any JSON at all (a
    number, a string, an object where a list is expected, a list where an object is)."""

    def at(level, expected):
        return ODD if level == odd else expected

    def some(level, item):
        return at(level, st.lists(item, min_size=1, max_size=3))

    timestamp = st.integers(min_value=0, max_value=2**31) | st.text(max_size=12)
    error = at("an error", fields(code=JSON))
    status = at(
        "a status",
        fields(
            id=st.text(max_size=12), status=JSON, timestamp=timestamp, errors=some("errors", error)
        ),
    )
    message = at("a message", fields(**{"from": st.text(max_size=14), "timestamp": timestamp}))
    value = at(
        "value", fields(statuses=some("statuses", status), messages=some("messages", message))
    )
    entry = at("an entry", fields(changes=some("changes", at("a change", fields(value=value)))))
    return fields(object=JSON, entry=some("entry", entry))


WEBHOOK = st.sampled_from(LEVELS).flatmap(webhook)

# Found by the review: a list expected, a number, a string or an object given.
ODD_SHAPES = [
    {"entry": [{"changes": [{"value": {"messages": 7}}]}]},
    {"entry": [{"changes": [{"value": {"statuses": 7}}]}]},
    {"entry": [{"changes": [{"value": {"statuses": "failed", "messages": "hello"}}]}]},
    {"entry": [{"changes": [{"value": {"statuses": {"id": "wamid.1"}}}]}]},
    {"entry": [{"changes": [{"value": {"messages": {"from": "923001234567"}}}]}]},
    {"entry": [{"changes": {"value": {"messages": []}}}]},
    {"entry": [{"changes": 3}, "x", 2.5, None, [[]]]},
    {"entry": [{"changes": [{"value": [{"statuses": []}]}, {"value": "x"}, 4]}]},
]


@given(JSON | WEBHOOK)
@example({"entry": 7})
@example(ODD_SHAPES[0])
def test_any_json_is_read_or_refused_as_malformed(payload):
    for read in (webhooks.whatsapp, webhooks.sms_report):
        with contextlib.suppress(webhooks.Malformed):
            read(payload)


@given(WEBHOOK)
def test_a_webhook_with_an_entry_list_is_always_read_whatever_is_inside(payload):
    if not isinstance(payload.get("entry"), list):
        return
    statuses, inbound = webhooks.whatsapp(payload)

    assert all(isinstance(s.provider_message_id, str) for s in statuses)
    # What may reach the row's last_error: nothing, or a short code-like token.
    assert all(s.error_code == "" or webhooks.ERROR_CODE.fullmatch(s.error_code) for s in statuses)
    assert all(isinstance(i.sender, str) for i in inbound)


def test_parts_of_the_wrong_type_are_skipped_not_an_error():
    for payload in ODD_SHAPES:
        assert webhooks.whatsapp(payload) == ([], [])


def test_it_reads_statuses_and_inbound_messages():
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "changes": [
                    {
                        "value": {
                            "statuses": [
                                {
                                    "id": "wamid.1",
                                    "status": "failed",
                                    "timestamp": "1772431200",
                                    "errors": [{"code": 131026}],
                                }
                            ],
                            "messages": [{"from": "923001234567", "timestamp": 1772431260}],
                        }
                    }
                ]
            }
        ],
    }

    statuses, inbound = webhooks.whatsapp(payload)

    at = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    assert statuses == [webhooks.StatusReport("wamid.1", "failed", at, "131026")]
    assert inbound == [webhooks.Inbound("923001234567", at.replace(minute=1))]


def test_a_signature_checks_only_with_its_secret_and_body():
    header = sign("app-secret", b'{"a": 1}')

    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert is_valid("app-secret", b'{"a": 1}', header)
    assert not is_valid("app-secret", b'{"a": 2}', header)
    assert not is_valid("other", b'{"a": 1}', header)
    assert not is_valid("", b'{"a": 1}', sign("", b'{"a": 1}'))
    assert not is_valid("app-secret", b'{"a": 1}', None)


def test_only_a_short_code_like_token_is_kept_as_an_error_code():
    assert [webhooks.error_code(v) for v in (131026, "E42", " EC_9 ", "1.2-b_C", None, "", 0)] == [
        "131026",
        "E42",
        "EC_9",
        "1.2-b_C",
        "",
        "",
        "",
    ]
    for odd in ("923001234567", "+92300123", "EC_ABSENT_SUBSCRIBER", "a b", "۱۲۳", True, 1.5, [1]):
        assert webhooks.error_code(odd) == "unknown", odd
