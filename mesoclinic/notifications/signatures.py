"""Signing and checking provider callbacks: HMAC-SHA256 of the raw request body, sent as
`sha256=<hex>` (the WhatsApp Business Platform's X-Hub-Signature-256; our SMS gateway's
delivery reports use the same form). Pure Python, shared by the views and the test fakes."""

import hashlib
import hmac

PREFIX = "sha256="


def sign(secret: str, body: bytes) -> str:
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def is_valid(secret: str, body: bytes, header: str | None) -> bool:
    """Whether `header` is the signature of `body` under `secret`, compared in constant time.
    An empty secret never verifies anything: an unconfigured hook accepts nothing."""
    if not secret or not header or not header.startswith(PREFIX):
        return False
    return hmac.compare_digest(sign(secret, body).encode(), header.strip().encode())
