"""Where a request comes from, taken so that a client cannot choose it.

Behind a reverse proxy every request arrives from the proxy, so REMOTE_ADDR alone would put all
clients behind one address (and one lockout). The proxy appends the address it saw to
X-Forwarded-For; anything to the left of that the client may have written itself. So the
client is the entry TRUSTED_PROXY_COUNT places from the right, and with no proxy (0) it is
REMOTE_ADDR. This is the one reading of the client's address: django-axes (through
AXES_CLIENT_IP_CALLABLE), the API's bad-token lockout and throttles, and the public forms' rate
limits all ask it, so one setting (TRUSTED_PROXY_COUNT) decides for all of them.

Counting per address (`counting_key`) treats an IPv6 client as its /64: one home or phone holds
a whole /64 and can pick any address in it, so counting single addresses would count nothing.
"""

from ipaddress import IPv6Address, ip_address, ip_network

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


def counting_key(address: str) -> str:
    """What a per-address limit counts: the address itself, or an IPv6 address's /64."""
    try:
        parsed = ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
