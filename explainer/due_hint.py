"""A hint for the page cache (explainer/caching.py): the time the visitor's first review card falls due.

Home and comparison pages are shared, cached pages; a visitor whose hint has
passed gets them rendered for them alone, with the "N cases to review" line.
The hint is only a hint: the line itself reads the visitor's cards
(explainer/quiz/review.py, which sets it from the learner's cards). It lives apart from the quiz so that
the cache, below the quiz, can read it without importing the quiz.
"""

from django.conf import settings
from django.utils.timezone import now

DUE_COOKIE = "review_due_at"
HINT_MAX_AGE = 60 * 60 * 24 * 365  # as long as the learner cookie (explainer/learners/identity.py)


def remember(response, due):
    """Set the hint to `due` (a Unix time) on `response`, or clear it when `due` is None."""
    if due is None:
        response.delete_cookie(DUE_COOKIE, samesite="Lax")
        return
    response.set_cookie(
        DUE_COOKIE,
        str(due),
        max_age=HINT_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def may_have_due(request):
    """Whether the hint cookie says a card of this visitor may be due now (cheap: no session read)."""
    try:
        return int(request.COOKIES.get(DUE_COOKIE, "")) <= now().timestamp()
    except ValueError:
        return False
