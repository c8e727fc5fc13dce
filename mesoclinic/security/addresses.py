"""Where a request comes from, taken so that a client cannot choose it.

Behind a reverse proxy every request arrives from the proxy, so REMOTE_ADDR alone would put all
clients behind one address (and one lockout). The proxy appends the address it saw to
X-Forwarded-For; anything to the left of that the client may have written itself. So the
client is the entry TRUSTED_PROXY_COUNT places from the right, and with no proxy (0) it is
REMOTE_ADDR. django-axes reads it through AXES_CLIENT_IP_CALLABLE.
"""

from ipaddress import ip_address

from django.conf import settings


def client_address(request) -> str:
    """The client's address as the nearest trusted proxy saw it, or REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return remote
