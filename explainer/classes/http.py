"""Small HTTP helpers the classes' views share: the 405 page, the join limit, pupils in the session."""

import functools

from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _

from explainer.classes.codes import JOIN_MISSES_PER_HOUR
from explainer.report_views import visitor_hash

MISS_WINDOW = 60 * 60  # seconds


def allow(*methods):
    """Only `methods` (GET implies HEAD); anything else gets the site's 405 page with an Allow header."""
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in allowed:
                context = {"back_url": request.path, "back_label": _("Go back to the page")}
                response = render(request, "405.html", context, status=405)
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _miss_key(request):
    return f"class-join-miss:{visitor_hash(request)}"


def join_blocked(request):
    """Whether this address tried JOIN_MISSES_PER_HOUR wrong codes within the hour.

    Only wrong codes count: a whole class behind one school address joins freely.
    The count lives in the cache (shared with CACHE_URL=redis://); if the cache
    is down, joining stays possible (fails open, like the page cache).
    """
    try:
        return (cache.get(_miss_key(request)) or 0) >= JOIN_MISSES_PER_HOUR
    except Exception:
        return False


def count_miss(request):
    key = _miss_key(request)
    try:
        if not cache.add(key, 1, MISS_WINDOW):
            cache.incr(key)
    except Exception:  # noqa: S110 - the limit fails open with the cache; the page still answers
        pass


def session_key(school_class):
    return f"class:{school_class.pk}"
