"""What the site may believe from a TLS-terminating proxy in front of it (BEHIND_TLS_PROXY).

Contract: `client_address(request)` is the address of the client as the one
trusted proxy saw it: the last entry of X-Forwarded-For, which that proxy
appends (the entries before it are whatever the client wrote, so they are
never used). Without BEHIND_TLS_PROXY it is REMOTE_ADDR. The login
throttling (django-axes) and the report form's rate limit both use it.
`trusts_proxy()` says whether headers set by the proxy, such as X-Request-ID,
may be believed.
"""

from django.conf import settings


def trusts_proxy():
    return getattr(settings, "BEHIND_TLS_PROXY", False)


def client_address(request):
    if trusts_proxy():
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")
