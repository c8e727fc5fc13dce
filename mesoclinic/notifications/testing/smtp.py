"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives and, like a relay
that deduplicates, drops a repeat of a Message-ID it has already accepted (and still answers
250, so the sender believes it went).

A test can make it answer every RCPT with `rcpt_reply` ("450 4.2.0 Greylisted, try again
later", "550 5.1.1 No such user") and, once `password` is set, refuse a login with any other
password (535, as a relay does after the clinic's password was rotated)."""

import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class _Handler:
    def __init__(self, fake: "FakeSmtp"):
        self.fake = fake

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.fake.rcpt_reply:
            return self.fake.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.fake.receive(message, tuple(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


class _Controller(Controller):
    """aiosmtpd's controller on a port the system chooses (port 0): the port is read back
    from the listening socket before the controller's own readiness check connects to it."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class FakeSmtp:
    def __init__(self):
        self._lock = threading.Lock()
        self.messages: list[EmailMessage] = []
        self.recipients: list[tuple[str, ...]] = []
        self.repeats = 0
        self._seen: set[str] = set()
        self._running = False
        self.rcpt_reply = ""  # e.g. "450 4.2.0 Greylisted": every recipient answered so
        self.password = None  # when set, a login with another password is refused (535)
        self._controller = _Controller(
            _Handler(self),
            hostname="127.0.0.1",
            port=0,
            authenticator=self._authenticate,
            auth_require_tls=False,
        )

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        given = auth_data.password.decode() if isinstance(auth_data, LoginPassword) else None
        return AuthResult(success=self.password is None or given == self.password, handled=False)

    def receive(self, message: EmailMessage, recipients: tuple[str, ...]) -> None:
        with self._lock:
            message_id = str(message.get("Message-ID", ""))
            if message_id and message_id in self._seen:
                self.repeats += 1
                return
            self._seen.add(message_id)
            self.messages.append(message)
            self.recipients.append(recipients)

    def start(self) -> "FakeSmtp":
        self._controller.start()
        self._running = True
        return self

    def stop(self) -> None:
        """Stop listening (a test may stop it early to play a mail server that is gone)."""
        if self._running:
            self._controller.stop()
            self._running = False

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self) -> int:
        return self._controller.port

    def mailer(self, timeout: float = 5, *, username: str = "", password: str = "") -> dict:
        """A MAILERS entry that sends here (logging in when given a username and password)."""
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": "127.0.0.1",
                "port": self.port,
                "use_tls": False,
                "timeout": timeout,
                "username": username,
                "password": password,
            },
        }
