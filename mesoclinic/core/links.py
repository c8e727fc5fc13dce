"""Absolute links for what leaves the site (a message's link to a page): built on the
PUBLIC_BASE_URL setting, since the worker that sends a message has no request to take a host
from."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (from `reverse`, starting with "/") on the site's public address."""
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}"
