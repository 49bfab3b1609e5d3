"""A cache that can neither flood nor stall the site, on a real redis-server (config/redis.conf).

- Page keys hold only the query parameters a page reads: junk query strings make no new entries.
- Redis runs with a memory cap and an eviction policy.
- A hung Redis (SIGSTOP) costs a page at most a timeout, /healthz says "cache degraded" within
  a second, and everything is back once Redis answers again (explainer/cache_backend.py).
"""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from config.settings import cache_from_url
from explainer.caching import PAGE_NUMBER, query_part
from tests import factories

pytestmark = pytest.mark.django_db


def redis_cache(redis):
    """The cache settings the site makes of CACHE_URL=redis://... (config/settings.py)."""
    return {"default": cache_from_url(redis.url)}


def timed_get(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


@pytest.fixture
def pages(db):
    comparison = factories.complete(factories.make_comparison(), quiz=True)
    return [
        reverse("home"),
        comparison.get_absolute_url(),
        comparison.category.get_absolute_url(),
        comparison.ordered_concepts[0].get_absolute_url(),
    ]


def test_redis_runs_with_a_memory_cap_and_an_eviction_policy(redis_server):
    assert redis_server.cli("config", "get", "maxmemory").splitlines()[1] == str(256 * 1024 * 1024)
    assert redis_server.cli("config", "get", "maxmemory-policy").splitlines()[1] == "allkeys-lru"


def test_100_junk_query_strings_make_no_new_cache_entries(client, settings, redis_server, pages):
    settings.CACHES = redis_cache(redis_server)
    for url in pages:
        assert client.get(url).status_code == 200
    before = len(redis_server.keys("*page:*"))
    assert before == len(pages)
    for n in range(100):
        for url in pages:
            junk = [f"utm_source=x{n}", f"page=0{n}", f"page=1&page={n}", f"page={n}.0", f"fbclid={'a' * n}"]
            client.get(f"{url}?{junk[n % len(junk)]}")
    assert len(redis_server.keys("*page:*")) == before


def test_a_page_number_the_page_reads_has_its_own_entry_and_junk_beside_it_is_ignored(rf):
    assert query_part(rf.get("/", {"page": "2", "utm": "x"}), {"page": PAGE_NUMBER}) == "?page=2"
    assert query_part(rf.get("/", {"utm": "x"}), {"page": PAGE_NUMBER}) == ""
    for junk in ["02", "2.0", "-1", "0", "9" * 9, "²"]:
        assert query_part(rf.get("/", {"page": junk}), {"page": PAGE_NUMBER}) is None
    assert query_part(rf.get("/?page=2&page=3"), {"page": PAGE_NUMBER}) is None


def test_a_hung_redis_costs_a_page_under_a_second_and_health_says_degraded(client, settings, redis_server, pages):
    settings.CACHES = redis_cache(redis_server)
    for url in pages:
        client.get(url)  # warm
    redis_server.pause()
    try:
        for _ in range(3):
            for url in pages:
                response, seconds = timed_get(client, url)
                assert response.status_code == 200
                assert seconds < 1, (url, seconds)
        health, seconds = timed_get(client, "/healthz")
        assert seconds < 1
        assert (health.status_code, health.content) == (200, b"database ok\ncache degraded: unreachable\n")
    finally:
        redis_server.resume()
    deadline = time.monotonic() + 5  # the breaker lets a trial call through every COOLDOWN seconds
    while client.get("/healthz").content != b"database ok\ncache ok\n":
        assert time.monotonic() < deadline, "the cache did not come back after SIGCONT"
        time.sleep(0.2)
    assert cache.get("health:probe") == 1


def test_a_dead_redis_is_skipped_at_once_after_the_first_failure(settings, redis_server):
    from explainer.cache_backend import CacheUnavailable

    settings.CACHES = redis_cache(redis_server)
    redis_server.pause()
    try:
        with pytest.raises(Exception):  # noqa: B017 - redis-py's timeout error
            cache.get("x")
        started = time.monotonic()
        with pytest.raises(CacheUnavailable):
            cache.get("x")
        assert time.monotonic() - started < 0.01
    finally:
        redis_server.resume()
