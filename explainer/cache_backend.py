"""Django's Redis cache, made safe to lose: short timeouts and a circuit breaker.

Contract: a cache call on GuardedRedisCache either answers within about
TIMEOUT seconds or raises; while Redis is failing it raises CacheUnavailable
at once. Every caller already treats a raising cache as "no cache" (the page
cache renders the page, the rate limiter counts in the process, /healthz
says "cache degraded"), so a hung or dead Redis costs a page at most one
timeout, not the 5 s and more of redis-py's defaults.

The breaker is per process (shared by its threads): the first failed call
opens it for COOLDOWN seconds, during which calls fail without touching the
network. After that one call is let through as a trial; success closes it,
failure opens it again. Only network failures count (a missing key for
incr() is a ValueError, an answer, not a failure).
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

TIMEOUT = 0.2  # seconds, to connect and for each answer: Redis on a LAN answers in under 1 ms
COOLDOWN = 2.0  # seconds the breaker stays open before a trial call

FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)
log = logging.getLogger(__name__)


class CacheUnavailable(Exception):
    """The cache is failing (its breaker is open): treat it as absent."""


class Breaker:
    def __init__(self, cooldown):
        self.cooldown, self.lock, self.open_until = cooldown, threading.Lock(), 0.0

    def allow(self):
        """Whether a call may go to Redis now (closed, or the one trial call after the cooldown)."""
        if not self.open_until:
            return True
        now = time.monotonic()
        with self.lock:
            if now < self.open_until:
                return False
            self.open_until = now + self.cooldown  # this call is the trial; the others wait for its outcome
            return True

    def failed(self):
        with self.lock:
            self.open_until = time.monotonic() + self.cooldown

    def succeeded(self):
        if self.open_until:
            with self.lock:
                self.open_until = 0.0

    @property
    def is_open(self):
        return bool(self.open_until)


breakers = {}
_breakers_lock = threading.Lock()


def breaker_for(location):
    """The process's breaker for a Redis location (Django makes a cache object per thread; they share it)."""
    with _breakers_lock:
        return breakers.setdefault(location, Breaker(COOLDOWN))


def _guarded(name):
    def method(self, *args, **kwargs):
        if not self.breaker.allow():
            raise CacheUnavailable(f"cache {name}: Redis failed within the last {COOLDOWN:g} s")
        try:
            result = getattr(RedisCache, name)(self, *args, **kwargs)
        except FAILURES as error:
            if not self.breaker.is_open:  # logged once per outage, not on every call while it lasts
                log.warning(
                    "cache failing, calls skipped for %g s at a time: %s: %s", COOLDOWN, type(error).__name__, error
                )
            self.breaker.failed()
            raise
        self.breaker.succeeded()
        return result

    method.__name__ = name
    return method


class GuardedRedisCache(RedisCache):
    """RedisCache with TIMEOUT to connect and read, and a per-process circuit breaker (see the module)."""

    def __init__(self, server, params):
        options = {"socket_connect_timeout": TIMEOUT, "socket_timeout": TIMEOUT, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self.location = server if isinstance(server, str) else ",".join(server)

    @property
    def breaker(self):
        return breakers.get(self.location) or breaker_for(self.location)

    for _name in (
        "add",
        "get",
        "set",
        "touch",
        "delete",
        "get_many",
        "has_key",
        "incr",
        "set_many",
        "delete_many",
        "clear",
    ):
        locals()[_name] = _guarded(_name)
    del _name
