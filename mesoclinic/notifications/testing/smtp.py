"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives and, like a relay
that deduplicates, drops a repeat of a Message-ID it has already accepted (and still answers
250, so the sender believes it went)."""

import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self, fake: "FakeSmtp"):
        self.fake = fake

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
        self._controller = _Controller(_Handler(self), hostname="127.0.0.1", port=0)

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

    def mailer(self, timeout: float = 5) -> dict:
        """A MAILERS entry that sends here."""
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": "127.0.0.1",
                "port": self.port,
                "use_tls": False,
                "timeout": timeout,
            },
        }
