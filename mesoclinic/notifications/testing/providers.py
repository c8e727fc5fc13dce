"""A fake SMS gateway and WhatsApp Cloud API in one real HTTP server on 127.0.0.1, for tests.

It is a server, not a mock: the channels talk HTTP to it as they would to the provider. Like
the real providers it checks the bearer token and honours the `Idempotency-Key` header (a
repeat answers the first id and is not delivered again), and it can be switched to `down`
(503), `slow` (answers after `slow_seconds`, past the channel's timeout, and still delivers,
as a provider does that accepted a message the client stopped waiting for), `garbage` (a
200 that is not JSON) or `reject` (a 400 carrying the error code `reject_code`). It also
plays the provider's side of the callbacks: a signed WhatsApp status or inbound message, or a
signed SMS delivery report, POSTed to a URL of ours.

Used by the tests of any app and by browser journeys through the `fake_providers` fixture
(testing/fixtures.py); `environment()` configures a worker subprocess to use it.
"""

import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from mesoclinic.notifications.signatures import sign

UP, DOWN, SLOW, GARBAGE = "up", "down", "slow", "garbage"
#: The provider answers 400 with the error code `FakeProviders.reject_code`: by default
#: WhatsApp's 131026 "message undeliverable" (an SMS gateway's invalid number), which a repeat
#: cannot cure; WhatsApp also answers 400 when it throttles (130429, 131056, 80007, 4).
REJECT = "reject"
#: WhatsApp's error codes (Cloud API, error codes), as the fake answers them in REJECT mode.
UNDELIVERABLE, THROTTLED = 131026, 130429
SMS_PATH = "/sms/messages"
WHATSAPP_VERSION = "v21.0"
WHATSAPP_NUMBER_ID = "106540352242922"
# Credentials the fake expects (and hands to the code under test); not secrets of anything.
FAKE_SMS_TOKEN = "fake-sms-token"
FAKE_WHATSAPP_TOKEN = "fake-whatsapp-token"
FAKE_APP_SECRET = "fake-app-secret"
FAKE_VERIFY_TOKEN = "fake-verify-token"
FAKE_SMS_WEBHOOK_SECRET = "fake-sms-webhook-secret"


@dataclass(frozen=True)
class Delivery:
    """One message the fake provider accepted (repeats of a key are not deliveries)."""

    provider: str  # "sms" or "whatsapp"
    id: str
    key: str  # the Idempotency-Key it came with
    to: str
    text: str = ""  # an SMS's text, or a WhatsApp free-text body
    template: str = ""  # a WhatsApp template's name
    language: str = ""
    parameters: tuple[str, ...] = ()
    segments: int | None = None  # what an SMS said it would cost


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def log_message(self, format, *args):  # the test's output is not the place
        pass

    def _answer(self, status: int, body: bytes, content_type="application/json"):
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client stopped waiting (a slow answer past its timeout)

    def _json(self, status: int, value: dict):
        self._answer(status, json.dumps(value).encode())

    def do_POST(self):
        fake = self.server.fake
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == SMS_PATH:
            provider, token = "sms", fake.sms_token
        elif self.path == f"/{WHATSAPP_VERSION}/{fake.whatsapp_number_id}/messages":
            provider, token = "whatsapp", fake.whatsapp_token
        else:
            return self._json(404, {"error": {"message": "Unknown path", "code": 100}})
        mode = fake.mode
        if mode == DOWN:
            return self._json(503, {"error": {"message": "Service unavailable", "code": 2}})
        if mode == GARBAGE:
            return self._answer(200, b"<html>Gateway maintenance</html>", "text/html")
        if mode == REJECT:
            code = fake.reject_code
            return self._json(400, {"error": {"message": "Request refused", "code": code}})
        if mode == SLOW:
            fake.stopping.wait(fake.slow_seconds)
        if self.headers.get("Authorization") != f"Bearer {token}":
            return self._json(401, {"error": {"message": "Invalid access token", "code": 190}})
        key = self.headers.get("Idempotency-Key", "")
        try:
            payload = json.loads(body)
            delivery = fake.accept(provider, key, payload)
        except (ValueError, KeyError, TypeError):
            return self._json(400, {"error": {"message": "Invalid parameter", "code": 100}})
        if provider == "sms":
            return self._json(200, {"id": delivery.id, "segments": delivery.segments})
        wa_id = delivery.to.lstrip("+")
        return self._json(
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": delivery.to, "wa_id": wa_id}],
                "messages": [{"id": delivery.id}],
            },
        )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fake: "FakeProviders"


class FakeProviders:
    def __init__(
        self,
        *,
        sms_token=FAKE_SMS_TOKEN,
        whatsapp_token=FAKE_WHATSAPP_TOKEN,
        app_secret=FAKE_APP_SECRET,
        verify_token=FAKE_VERIFY_TOKEN,
        sms_webhook_secret=FAKE_SMS_WEBHOOK_SECRET,
        timeout=2,
    ):
        self.sms_token = sms_token
        self.whatsapp_token = whatsapp_token
        self.app_secret = app_secret
        self.verify_token = verify_token
        self.sms_webhook_secret = sms_webhook_secret
        self.whatsapp_number_id = WHATSAPP_NUMBER_ID
        self.timeout = timeout  # what the channels are told to wait
        self.mode = UP
        self.slow_seconds = timeout + 1.5
        self.reject_code = UNDELIVERABLE  # the error code of a REJECT answer
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._by_key: dict[tuple[str, str], Delivery] = {}
        self.deliveries: list[Delivery] = []
        self.requests: list[tuple[str, str]] = []  # (provider, key) of every accepted call
        self._server: _Server | None = None

    # --- running ------------------------------------------------------------------------

    def start(self) -> "FakeProviders":
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # --- the provider's side ----------------------------------------------------------------

    def accept(self, provider: str, key: str, payload: dict) -> Delivery:
        if not key:
            raise ValueError("no Idempotency-Key")
        if provider == "sms":
            fields = {
                "to": payload["to"],
                "text": payload["text"],
                "segments": payload["segments"],
            }
        else:
            if payload["messaging_product"] != "whatsapp":
                raise ValueError("not a WhatsApp message")
            fields = {"to": payload["to"]}
            if payload["type"] == "template":
                template = payload["template"]
                fields["template"] = template["name"]
                fields["language"] = template["language"]["code"]
                fields["parameters"] = tuple(
                    p["text"] for c in template.get("components", ()) for p in c["parameters"]
                )
            elif payload["type"] == "text":
                fields["text"] = payload["text"]["body"]
            else:
                raise ValueError("unknown type")
        with self._lock:
            self.requests.append((provider, key))
            if (provider, key) in self._by_key:
                return self._by_key[(provider, key)]
            number = next(self._ids)
            new_id = f"sms-{number:06d}" if provider == "sms" else f"wamid.FAKE{number:06d}"
            delivery = Delivery(provider=provider, id=new_id, key=key, **fields)
            self._by_key[(provider, key)] = delivery
            self.deliveries.append(delivery)
            return delivery

    def delivered_keys(self) -> Counter:
        """How many times each idempotency key was delivered (1 each, or it is a bug)."""
        with self._lock:
            return Counter(d.key for d in self.deliveries)

    def delivery(self, key: str) -> Delivery:
        with self._lock:
            return next(d for d in self.deliveries if d.key == key)

    # --- configuration for the code under test ----------------------------------------------

    def sms_settings(self) -> dict:
        return {
            "URL": self.url + SMS_PATH,
            "TOKEN": self.sms_token,
            "SENDER": "MESOCLINIC",
            "TIMEOUT": self.timeout,
            "WEBHOOK_SECRET": self.sms_webhook_secret,
        }

    def whatsapp_settings(self) -> dict:
        return {
            "BASE_URL": self.url,
            "API_VERSION": WHATSAPP_VERSION,
            "PHONE_NUMBER_ID": self.whatsapp_number_id,
            "ACCESS_TOKEN": self.whatsapp_token,
            "APP_SECRET": self.app_secret,
            "VERIFY_TOKEN": self.verify_token,
            "TIMEOUT": self.timeout,
        }

    def environment(self) -> dict:
        """The environment variables (README, Configuration) that point a worker process here."""
        return {
            "SMS_GATEWAY_URL": self.url + SMS_PATH,
            "SMS_GATEWAY_TOKEN": self.sms_token,
            "SMS_SENDER": "MESOCLINIC",
            "SMS_GATEWAY_TIMEOUT": str(self.timeout),
            "SMS_WEBHOOK_SECRET": self.sms_webhook_secret,
            "WHATSAPP_BASE_URL": self.url,
            "WHATSAPP_API_VERSION": WHATSAPP_VERSION,
            "WHATSAPP_PHONE_NUMBER_ID": self.whatsapp_number_id,
            "WHATSAPP_ACCESS_TOKEN": self.whatsapp_token,
            "WHATSAPP_APP_SECRET": self.app_secret,
            "WHATSAPP_VERIFY_TOKEN": self.verify_token,
            "WHATSAPP_TIMEOUT": str(self.timeout),
        }

    # --- callbacks: the provider calling us ---------------------------------------------------

    def _post_signed(self, url: str, payload: dict, header: str, secret: str) -> tuple[int, str]:
        body = json.dumps(payload).encode()
        request = urllib.request.Request(  # noqa: S310 (a test's own URL)
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", header: sign(secret, body)},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def _whatsapp_envelope(self, value: dict) -> dict:
        value = {
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": "15550001234",
                "phone_number_id": self.whatsapp_number_id,
            },
            **value,
        }
        return {
            "object": "whatsapp_business_account",
            "entry": [
                {"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}
            ],
        }

    def whatsapp_status_payload(
        self, message_id: str, status: str = "delivered", *, at=None, error_code=None
    ) -> dict:
        recipient = next((d.to for d in self.deliveries if d.id == message_id), "+920000000000")
        entry = {
            "id": message_id,
            "status": status,
            "timestamp": str(int(at if at is not None else time.time())),
            "recipient_id": recipient.lstrip("+"),
        }
        if error_code is not None:
            entry["errors"] = [{"code": error_code, "title": "Message undeliverable"}]
        return self._whatsapp_envelope({"statuses": [entry]})

    def post_whatsapp_status(
        self, url: str, message_id: str, status: str = "delivered", *, at=None, error_code=None
    ) -> tuple[int, str]:
        """POST a signed WhatsApp status webhook (sent, delivered, read or failed) to `url`;
        returns what our hook answered."""
        payload = self.whatsapp_status_payload(message_id, status, at=at, error_code=error_code)
        return self._post_signed(url, payload, "X-Hub-Signature-256", self.app_secret)

    def whatsapp_inbound_payload(self, sender: str, *, at=None) -> dict:
        """The webhook saying `sender` (E.164) wrote to the clinic's number."""
        wa_id = sender.lstrip("+")
        return self._whatsapp_envelope(
            {
                "contacts": [{"profile": {"name": "Patient"}, "wa_id": wa_id}],
                "messages": [
                    {
                        "from": wa_id,
                        "id": f"wamid.IN{next(self._ids):06d}",
                        "timestamp": str(int(at if at is not None else time.time())),
                        "type": "text",
                        "text": {"body": "Salaam, I have a question"},
                    }
                ],
            }
        )

    def post_whatsapp_inbound(self, url: str, sender: str, *, at=None) -> tuple[int, str]:
        """POST a signed webhook saying `sender` wrote to the clinic's number to `url`."""
        payload = self.whatsapp_inbound_payload(sender, at=at)
        return self._post_signed(url, payload, "X-Hub-Signature-256", self.app_secret)

    def post_sms_report(
        self, url: str, message_id: str, status: str = "delivered", *, at=None, error=""
    ) -> tuple[int, str]:
        """POST a signed SMS delivery report to `url`."""
        payload = {
            "id": message_id,
            "status": status,
            "timestamp": int(at if at is not None else time.time()),
            "error": error,
        }
        return self._post_signed(url, payload, "X-Gateway-Signature", self.sms_webhook_secret)
