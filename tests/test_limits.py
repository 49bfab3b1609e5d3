"""The site's one rate limiter (explainer/http.py) and the join limit built on it (explainer/classes/joining.py).

A school's pupils share one address: wrong codes from it are limited, but
the class on the board, and a pupil already in a class, always get through;
a guesser past the limit learns nothing about the codes it tries.
"""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from explainer import class_codes as codes
from explainer.http import RateLimit, local_counts
from tests import factories
from tests.classes_helpers import join

pytestmark = pytest.mark.django_db

# A Redis nobody listens on: every cache call fails at once (connection refused).
DOWN = {"default": {"BACKEND": "explainer.cache_backend.GuardedRedisCache", "LOCATION": "redis://127.0.0.1:9/0"}}


def wrong_code(n):
    """The n-th of a run of distinct codes that no class has (factories' codes never start with ZZZZ)."""
    digits = "".join(codes.ALPHABET[n // 30**i % 30] for i in range(4))
    return "ZZZZ" + digits


def guess_wrong_codes(client, count, start=0):
    """`count` distinct wrong codes from the client's address; the statuses they got."""
    return [client.get(f"/join/{wrong_code(start + n)}/").status_code for n in range(count)]


@pytest.fixture(autouse=True)
def fresh_local_counts():
    local_counts.clear()
    yield
    local_counts.clear()


def test_a_school_that_guessed_60_wrong_codes_still_joins_a_valid_class(school_class):
    rogue = Client()
    assert set(guess_wrong_codes(rogue, codes.JOIN_MISSES_PER_HOUR)) == {404}
    assert guess_wrong_codes(rogue, 1) == [429]
    # The rest of the class, from the same address, joins the code on the board.
    for n in range(30):
        join(school_class, f"Pupil {n}")
    assert school_class.pupils.count() == 30


def test_a_pupil_already_in_the_class_plays_on_after_the_address_is_limited(school_class):
    pupil = join(school_class, "Ada")
    guess_wrong_codes(Client(), codes.JOIN_MISSES_PER_HOUR + codes.CODES_WHEN_LIMITED + 5)
    assert pupil.get(reverse("class_play", args=[school_class.code])).status_code == 200


def test_past_the_limit_a_guesser_opens_only_a_few_more_codes_and_learns_nothing_after(teacher):
    classes = [factories.make_class(teacher=teacher) for _ in range(2)]
    guesser = Client()
    guess_wrong_codes(guesser, codes.JOIN_MISSES_PER_HOUR)
    # Past the limit every distinct code costs one of CODES_WHEN_LIMITED, valid or not.
    statuses = guess_wrong_codes(guesser, codes.CODES_WHEN_LIMITED, start=1000)
    assert set(statuses) == {429}
    # Now even a valid code answers like a wrong one: 429.
    response = guesser.get(reverse("class_join", args=[classes[0].code]))
    assert response.status_code == 429
    assert "Too many wrong codes" in response.text
    # Another address is not affected.
    assert Client(REMOTE_ADDR="192.0.2.9").get(reverse("class_join", args=[classes[1].code])).status_code == 200


def test_a_code_opened_while_limited_stays_open_for_the_hour(school_class):
    guesser = Client()
    guess_wrong_codes(guesser, codes.JOIN_MISSES_PER_HOUR)
    url = reverse("class_join", args=[school_class.code])
    assert Client().get(url).status_code == 200  # opened: one of the address's CODES_WHEN_LIMITED
    guess_wrong_codes(guesser, codes.CODES_WHEN_LIMITED, start=1000)  # the rest used up
    assert [Client().get(url).status_code for _ in range(5)] == [200] * 5


def test_the_report_form_uses_the_same_limiter(client, comparison):
    url = reverse("report", args=[comparison.slug])
    for n in range(5):
        assert client.post(url, {"message": f"Report number {n}."}).status_code == 302
    assert client.post(url, {"message": "One too many."}).status_code == 429
    assert any(key.startswith(":1:limit:report:") for key in cache._cache)


def test_with_the_cache_down_the_join_limit_counts_per_process(settings, school_class):
    settings.CACHES = DOWN
    guesser = Client()
    assert set(guess_wrong_codes(guesser, codes.JOIN_MISSES_PER_HOUR)) == {404}
    assert guess_wrong_codes(guesser, 1) == [429]
    assert Client(REMOTE_ADDR="192.0.2.9").get("/join/ZZZZ2222/").status_code == 404


def test_a_rate_limit_counts_per_key_and_window():
    limit = RateLimit("test", 2, 60)
    assert [limit.hit("a"), limit.hit("a"), limit.hit("b")] == [1, 2, 1]
    assert limit.exceeded("a") and not limit.exceeded("b")
    assert limit.count("c") == 0
