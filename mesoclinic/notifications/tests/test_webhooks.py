"""Reading provider callbacks: any JSON at all is read or refused as malformed, never an
unexpected exception (the hook must never answer 500); signatures."""

import contextlib
from datetime import UTC, datetime

from hypothesis import given
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


@given(JSON)
def test_any_json_is_read_or_refused_as_malformed(payload):
    for read in (webhooks.whatsapp, webhooks.sms_report):
        with contextlib.suppress(webhooks.Malformed):
            read(payload)


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
