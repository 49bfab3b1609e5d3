"""What the site may believe from a TLS-terminating proxy in front of it (BEHIND_TLS_PROXY).

Contract: `client_address(request)` is the address of the client as the one
trusted proxy saw it: the last entry of X-Forwarded-For, which that proxy
appends (the entries before it are whatever the client wrote, so they are
never used). A port after it ("203.0.113.9:4711", "[2001:db8::1]:4711", as
some load balancers write) is dropped; an entry that is not an IP address is
ignored and the connecting address (REMOTE_ADDR) used instead, so what
reaches django-axes (which stores an inet on PostgreSQL) and the rate limits
is always an address. Without BEHIND_TLS_PROXY it is REMOTE_ADDR.
`trusts_proxy()` says whether headers set by the proxy, such as X-Request-ID,
may be believed.
"""

import ipaddress

from django.conf import settings


def trusts_proxy():
    return getattr(settings, "BEHIND_TLS_PROXY", False)


def parse_address(raw):
    """The IP address in `raw` ("198.51.100.7", "198.51.100.7:80", "[2001:db8::1]:443", "2001:db8::1"), or None."""
    text = raw.strip()
    if text.startswith("["):  # [IPv6]:port
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:  # IPv4:port (an IPv6 address has two colons or more)
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_address(request):
    if trusts_proxy():
        entries = request.headers.get("X-Forwarded-For", "").split(",")
        forwarded = parse_address(entries[-1]) if len(entries[-1]) <= 64 else None
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")
