"""The real channels: e-mail through Django's mail, SMS through an HTTP gateway, WhatsApp through
the WhatsApp Business Platform's Cloud API. Each implements `channels.Channel`, reads its
settings when the worker first asks for it (failing with `ImproperlyConfigured` naming what is
missing), passes the outbox row's idempotency key on (a Message-ID, an `Idempotency-Key`
header) and turns every fault into a `ChannelError` whose reason is a short code (timeout,
http_503, bad_answer, refused, unreachable) and whose text holds no address and no body.

HTTP goes through the standard library's urllib (no client library at run time); each call
has a timeout shorter than the worker's lease (services.DEFAULT_LEASE), so a slow provider
makes a failed attempt, not a reaped lease and a second send in flight.
"""

import hashlib
import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from email.utils import parseaddr
from smtplib import (
    SMTPAuthenticationError,
    SMTPException,
    SMTPRecipientsRefused,
    SMTPResponseException,
)

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, mailers

from mesoclinic.notifications import rules, webhooks
from mesoclinic.notifications.channels import ChannelError, Outgoing
from mesoclinic.notifications.services import DEFAULT_LEASE

#: An answer longer than this is not a provider's JSON receipt.
MAX_ANSWER_BYTES = 64 * 1024
#: Answers that refuse the request itself (a malformed or invalid number, an unknown template):
#: sending it again cannot help, so the message fails at once. 401/403 are not among them: a
#: token the clinic renews makes the next attempt succeed.
PERMANENT_HTTP = frozenset({400, 404, 410, 413, 422})
#: The Cloud API answers 400 for throttling and for its own hiccups too, so for WhatsApp the
#: answer's error.code decides: these retry (rate limits 4, 80007, 130429, 131048, 131056;
#: "something went wrong" / "service unavailable" 1, 2, 131000; 133004 server temporarily
#: unavailable); any other code under such a status (131026 undeliverable, 131047 outside the
#: re-engagement window, 132000/132001 template problems, 100 invalid parameter) is permanent.
WHATSAPP_RETRY_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131048, 131056, 133004})
DEFAULT_TIMEOUT = 20
DEFAULT_WHATSAPP_BASE_URL = "https://graph.facebook.com"
DEFAULT_WHATSAPP_API_VERSION = "v21.0"


def _config(name: str, required: tuple[str, ...]) -> dict:
    config = getattr(settings, name, None) or {}
    missing = [key for key in required if not config.get(key)]
    if missing:
        raise ImproperlyConfigured(
            f"{name} needs {', '.join(missing)} (see README, Configuration)."
        )
    return config


def _url(name: str, value: str) -> str:
    if urllib.parse.urlsplit(value).scheme not in ("http", "https"):
        raise ImproperlyConfigured(f"{name} must be an http(s) address.")
    return value.rstrip("/")


def _timeout(name: str, config: dict) -> float:
    try:
        timeout = float(config.get("TIMEOUT", DEFAULT_TIMEOUT))
    except (TypeError, ValueError):
        raise ImproperlyConfigured(f"{name}['TIMEOUT'] must be a number of seconds.") from None
    if not 0 < timeout < DEFAULT_LEASE.total_seconds():
        raise ImproperlyConfigured(
            f"{name}['TIMEOUT'] must be above 0 and below the worker's lease "
            f"({DEFAULT_LEASE.total_seconds():.0f} s)."
        )
    return timeout


def _provider_error_code(error: urllib.error.HTTPError) -> int | None:
    """The provider's numeric error code, if its error body carries one (the Cloud API's
    {"error": {"code": 131026}}); never its message, which may quote the number."""
    try:
        answer = json.loads(error.read(MAX_ANSWER_BYTES))
        code = answer["error"]["code"]
    except (ValueError, KeyError, TypeError, OSError):
        return None
    return code if isinstance(code, int) and not isinstance(code, bool) else None


def http_permanent(status: int, code: int | None) -> bool:
    """An HTTP gateway's refusal is permanent by its status alone (the SMS gateway)."""
    return status in PERMANENT_HTTP


def whatsapp_permanent(status: int, code: int | None) -> bool:
    """The Cloud API's refusal is permanent by its status, unless its error code says throttled
    or unavailable (WHATSAPP_RETRY_CODES); an answer without a code falls back on the status."""
    return status in PERMANENT_HTTP and code not in WHATSAPP_RETRY_CODES


def post_json(
    url: str,
    payload: dict,
    *,
    headers: dict,
    timeout: float,
    permanent: Callable[[int, int | None], bool] = http_permanent,
) -> dict:
    """POST `payload` as JSON and return the JSON object answered, or raise `ChannelError`;
    `permanent(status, error_code)` says whether an HTTP error answer may not be retried."""
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked at configuration)
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = response.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as error:
        code = _provider_error_code(error)
        error.close()
        # Stored on the row: only a short code-like token (webhooks.error_code).
        token = webhooks.error_code(code)
        detail = f" (error {token})" if token else ""
        raise ChannelError(
            f"http_{error.code}",
            f"the provider answered {error.code}{detail}",
            permanent=permanent(error.code, code),
        ) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise ChannelError("timeout", f"no answer within {timeout:g} s") from None
        if isinstance(error.reason, ConnectionRefusedError):
            raise ChannelError("refused", "the provider refused the connection") from None
        raise ChannelError("unreachable", type(error.reason).__name__) from None
    except TimeoutError:
        raise ChannelError("timeout", f"no answer within {timeout:g} s") from None
    except (http.client.HTTPException, OSError) as error:
        raise ChannelError("unreachable", type(error).__name__) from None
    try:
        answer = json.loads(raw)
    except ValueError:
        raise ChannelError("bad_answer", "the provider's answer is not JSON") from None
    if not isinstance(answer, dict):
        raise ChannelError("bad_answer", "the provider's answer is not a JSON object")
    return answer


def _string_id(value, where: str) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise ChannelError("bad_answer", f"no message id in the provider's answer ({where})")
    return str(value)


class SmsGatewayChannel:
    """An HTTP SMS gateway: POST {URL} with a bearer token, JSON {to, from, text, encoding,
    segments}, the outbox key as `Idempotency-Key`; the gateway answers {"id": "..."}.

    NOTIFICATIONS_SMS = {"URL", "TOKEN", "SENDER", "TIMEOUT"} (README, Configuration). The
    segment count (rules.sms_segments: Urdu is UCS-2, 70 characters a segment, 67 when split)
    goes with the message, so the clinic's bill can be checked against the outbox."""

    setting = "NOTIFICATIONS_SMS"

    def __init__(self):
        config = _config(self.setting, ("URL", "TOKEN", "SENDER"))
        self.url = _url(f"{self.setting}['URL']", config["URL"])
        self.token = config["TOKEN"]
        self.sender = config["SENDER"]
        self.timeout = _timeout(self.setting, config)

    def send(self, outgoing: Outgoing) -> str:
        count = rules.sms_segments(outgoing.body)
        answer = post_json(
            self.url,
            {
                "to": outgoing.to,
                "from": self.sender,
                "text": outgoing.body,
                "encoding": count.encoding,
                "segments": count.segments,
            },
            headers={
                "Authorization": f"Bearer {self.token}",
                "Idempotency-Key": outgoing.idempotency_key,
            },
            timeout=self.timeout,
        )
        return _string_id(answer.get("id"), "id")


class WhatsAppCloudChannel:
    """The WhatsApp Business Platform Cloud API: POST {BASE_URL}/{API_VERSION}/{PHONE_NUMBER_ID}
    /messages with the access token. An approved template (`outgoing.provider_template`, in the
    message's language, its body parameters in order) whenever there is one; free text only
    when the sender found the 24-hour window open (`outgoing.free_text_allowed`). The answer's
    messages[0].id ("wamid.…") is what the status webhooks name later.

    NOTIFICATIONS_WHATSAPP = {"BASE_URL", "API_VERSION", "PHONE_NUMBER_ID", "ACCESS_TOKEN",
    "TIMEOUT", "LANGUAGES": {"en": "en", "ur": "ur"}}; the webhook's APP_SECRET and
    VERIFY_TOKEN live there too (views.py)."""

    setting = "NOTIFICATIONS_WHATSAPP"

    def __init__(self):
        config = _config(self.setting, ("PHONE_NUMBER_ID", "ACCESS_TOKEN"))
        base = _url(
            f"{self.setting}['BASE_URL']", config.get("BASE_URL") or DEFAULT_WHATSAPP_BASE_URL
        )
        version = config.get("API_VERSION") or DEFAULT_WHATSAPP_API_VERSION
        number_id = urllib.parse.quote(str(config["PHONE_NUMBER_ID"]), safe="")
        self.url = f"{base}/{version}/{number_id}/messages"
        self.token = config["ACCESS_TOKEN"]
        self.languages = {"en": "en", "ur": "ur", **(config.get("LANGUAGES") or {})}
        self.timeout = _timeout(self.setting, config)

    def payload(self, outgoing: Outgoing) -> dict:
        message = {"messaging_product": "whatsapp", "recipient_type": "individual"}
        message["to"] = outgoing.to
        if outgoing.provider_template:
            message["type"] = "template"
            template = {
                "name": outgoing.provider_template,
                "language": {"code": self.languages.get(outgoing.language, outgoing.language)},
            }
            if outgoing.parameters:
                template["components"] = [
                    {
                        "type": "body",
                        "parameters": [{"type": "text", "text": p} for p in outgoing.parameters],
                    }
                ]
            message["template"] = template
        elif outgoing.free_text_allowed:
            message["type"] = "text"
            message["text"] = {"preview_url": True, "body": outgoing.body}
        else:
            raise ChannelError(
                "no_template",
                "outside the 24-hour window only an approved template may go",
                permanent=True,
            )
        return message

    def send(self, outgoing: Outgoing) -> str:
        answer = post_json(
            self.url,
            self.payload(outgoing),
            headers={
                "Authorization": f"Bearer {self.token}",
                "Idempotency-Key": outgoing.idempotency_key,
            },
            timeout=self.timeout,
            permanent=whatsapp_permanent,
        )
        try:
            first = answer["messages"][0]
        except (KeyError, IndexError, TypeError):
            raise ChannelError("bad_answer", "no messages[0] in the provider's answer") from None
        return _string_id(first.get("id") if isinstance(first, dict) else None, "messages[0].id")


def _recipients_refused(recipients) -> ChannelError:
    """SMTP refused the recipient at RCPT: permanent only if every code is 5xx (RFC 5321 4.2.1);
    a 4xx (450 greylisting, 452 mailbox full) asks to try later. The addresses are not kept."""
    codes = [
        answer[0] if isinstance(answer, tuple) and answer else None
        for answer in (recipients.values() if isinstance(recipients, dict) else ())
    ]
    codes = [code for code in codes if isinstance(code, int)]
    if codes and all(500 <= code < 600 for code in codes):
        return ChannelError(
            f"smtp_{codes[0]}",
            f"the mail server refused the recipient ({codes[0]})",
            permanent=True,
        )
    code = next((c for c in codes if not 500 <= c < 600), None)
    if code is None:
        return ChannelError("smtp_error", "the mail server refused the recipient")
    return ChannelError(f"smtp_{code}", f"the mail server deferred the recipient ({code})")


def message_id_for(key: str, domain: str) -> str:
    """A Message-ID that is the same for every attempt under one provider key (and says
    nothing about the message): an SMTP relay or a mailbox that drops repeats by Message-ID
    drops a send repeated after a crash; a staff resend has a key of its own."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


class EmailChannel:
    """E-mail through Django's mail (MAILERS: SMTP in production, files in development), the
    subject from `outgoing.title` (else the body's first line) and a Message-ID derived from
    the outbox key. NOTIFICATIONS_EMAIL = {"MAILER": "default", "FROM": DEFAULT_FROM_EMAIL}."""

    def __init__(self):
        config = getattr(settings, "NOTIFICATIONS_EMAIL", None) or {}
        self.mailer = config.get("MAILER", "default")
        if self.mailer not in mailers:
            raise ImproperlyConfigured(
                f"NOTIFICATIONS_EMAIL['MAILER'] names {self.mailer!r}, which is not in MAILERS."
            )
        self.sender = config.get("FROM") or settings.DEFAULT_FROM_EMAIL
        domain = parseaddr(self.sender)[1].rpartition("@")[2]
        if not domain:
            raise ImproperlyConfigured("The sender of notification e-mail needs an @domain.")
        self.domain = domain

    def send(self, outgoing: Outgoing) -> str:
        subject = outgoing.title or (outgoing.body.strip().splitlines() or [""])[0][:78]
        message_id = message_id_for(outgoing.idempotency_key, self.domain)
        email = EmailMessage(
            subject=subject,
            body=outgoing.body,
            from_email=self.sender,
            to=[outgoing.to],
            headers={"Message-ID": message_id},
        )
        try:
            email.send(using=self.mailer)
        except SMTPRecipientsRefused as error:
            raise _recipients_refused(error.recipients) from None
        except SMTPAuthenticationError as error:
            # 535 after a rotated password: like HTTP 401/403, the clinic renews the password
            # and the next attempt goes, so it is retried, not failed.
            raise ChannelError(
                "smtp_auth", f"the mail server refused our login ({error.smtp_code})"
            ) from None
        except SMTPResponseException as error:
            # 5xx is a permanent refusal in SMTP (RFC 5321 4.2.1); 4xx asks to try later.
            raise ChannelError(
                f"smtp_{error.smtp_code}",
                f"the mail server answered {error.smtp_code}",
                permanent=500 <= error.smtp_code < 600,
            ) from None
        except SMTPException as error:
            raise ChannelError("smtp_error", type(error).__name__) from None
        except TimeoutError:
            raise ChannelError("timeout", "the mail server did not answer in time") from None
        except ConnectionRefusedError:
            raise ChannelError("refused", "the mail server refused the connection") from None
        except OSError as error:
            raise ChannelError("unreachable", type(error).__name__) from None
        return message_id
