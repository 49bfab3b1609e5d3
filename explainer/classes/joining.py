"""The join limit and the pupil's place in the session (the class pages' use of explainer/http.py).

The limit is built so that guessing codes is slow while a school, whose pupils
share one address, is never locked out of its class (docs/decisions.md, "Class
codes and the join limit"):
- Wrong codes are counted per address (a visitor_hash): JOIN_MISSES_PER_HOUR.
- Below that, every code is looked up: a valid one opens its class, a wrong one is 404.
- Past it, the address may still open CODES_WHEN_LIMITED distinct codes in
  the hour, each then for the rest of the hour as often as it likes (thirty
  pupils typing the code on the board are one code); any other request is 429,
  whether or not its code is valid, so a guesser learns nothing from it.
- A pupil already in the class (their session) is never limited.
While the cache is down the counts are kept per process (explainer.http.RateLimit).
"""

from explainer.class_codes import CODES_WHEN_LIMITED, JOIN_MISSES_PER_HOUR
from explainer.http import RateLimit, visitor_hash

HOUR = 60 * 60  # seconds

misses = RateLimit("join-miss", JOIN_MISSES_PER_HOUR, HOUR)
codes_opened = RateLimit("join-codes-when-limited", CODES_WHEN_LIMITED, HOUR)
opened = RateLimit("join-opened", 1, HOUR)  # (visitor, code) pairs the address may open while limited


def admit(request, code, exists):
    """Whether the join pages may answer this request for `code` (normalised, or None if it cannot be one).

    `exists`: whether a class has this code. A wrong code counts as a miss.
    False means the 429 page, whatever the code: past the limit, a wrong code
    and a valid one the address may not open look the same.
    """
    visitor = visitor_hash(request)
    limited = misses.exceeded(visitor)
    if not exists:
        misses.hit(visitor)
    if not limited:
        return True
    pair = f"{visitor}:{code}"
    if not opened.count(pair):
        if codes_opened.hit(visitor) > CODES_WHEN_LIMITED:
            return False
        opened.hit(pair)
    return exists


def session_key(school_class):
    return f"class:{school_class.pk}"
