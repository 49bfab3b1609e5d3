"""The HTTP pieces every view shares: the 405 page, ids from query strings, the visitor's hash, the rate limiter.

- `allow(*methods)` / `method_not_allowed(...)`: the site's one 405 page, with an Allow header and a way back.
- `parse_id(raw)`: a positive database id from a query or form value, or None.
- `visitor_hash(request)`: a short salted one-way hash of the client's address (explainer/proxy.py), so
  that limits can be kept per visitor without keeping anybody's address.
- `RateLimit`: the site's one rate limiter (class codes, reports). Counts live in Django's cache, so
  every app server shares them (CACHE_URL=redis://); while the cache cannot be reached they fall back
  to a count per process, so a limit is never simply off.
"""

import functools
import hashlib
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _

from explainer.proxy import client_address


def method_not_allowed(request, allowed, back_url=None, back_label=None):
    """The 405 page: "this address does not take that kind of request", with a link back and an Allow header."""
    context = {"back_url": back_url or request.path, "back_label": back_label or _("Go back to the page")}
    response = render(request, "405.html", context, status=405)
    response["Allow"] = ", ".join(sorted(allowed))
    return response


def allow(*methods):
    """Only `methods` (GET implies HEAD); anything else gets the site's 405 page with an Allow header."""
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in allowed:
                return method_not_allowed(request, allowed)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def parse_id(raw):
    """A positive database id from a query or form value, or None ("²" and "①" are digits, not numbers)."""
    if not raw or not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return None
    return int(raw) or None


def visitor_hash(request):
    """A short, salted one-way hash of the client's address (as the trusted proxy saw it)."""
    address = client_address(request)
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:16]


class _LocalCounts:
    """Counts per process, for while the shared cache is down: {key: (count, expires)}, pruned as it grows."""

    MAX_KEYS = 50_000  # about 5 MB; beyond it expired counts go first, then the oldest

    def __init__(self):
        self.counts, self.lock = {}, threading.Lock()

    def get(self, key):
        with self.lock:
            count, expires = self.counts.get(key, (0, 0.0))
            return count if expires > time.monotonic() else 0

    def incr(self, key, window):
        now = time.monotonic()
        with self.lock:
            count, expires = self.counts.get(key, (0, 0.0))
            if expires <= now:
                count, expires = 0, now + window
            self.counts[key] = (count + 1, expires)
            if len(self.counts) > self.MAX_KEYS:
                self._prune(now)
            return count + 1

    def _prune(self, now):
        live = {key: value for key, value in self.counts.items() if value[1] > now}
        if len(live) > self.MAX_KEYS // 2:
            live = dict(sorted(live.items(), key=lambda item: item[1][1])[-(self.MAX_KEYS // 2) :])
        self.counts = live

    def clear(self):
        with self.lock:
            self.counts.clear()


local_counts = _LocalCounts()


class RateLimit:
    """At most `limit` events per `key` in a fixed window of `window` seconds.

    `hit(key)` counts one event and returns the count so far in the window;
    `count(key)` reads it; `exceeded(key)` says whether the limit is reached.
    Keys are what the caller limits by (a visitor_hash, a visitor and a code),
    never raw addresses. The count is kept in the shared cache; when a cache
    call fails (Redis down, or its circuit open: explainer/cache_backend.py) the count
    of this process is used instead, so a limit holds per process during an
    outage rather than not at all.
    """

    def __init__(self, name, limit, window):
        self.name, self.limit, self.window = name, limit, window

    def _key(self, key):
        return f"limit:{self.name}:{key}"

    def count(self, key):
        full = self._key(key)
        try:
            return cache.get(full) or 0
        except Exception:
            return local_counts.get(full)

    def hit(self, key):
        full = self._key(key)
        try:
            if cache.add(full, 1, self.window):
                return 1
            try:
                return cache.incr(full)
            except ValueError:  # expired between add and incr: a new window
                cache.set(full, 1, self.window)
                return 1
        except Exception:
            return local_counts.incr(full, self.window)

    def exceeded(self, key):
        return self.count(key) >= self.limit
