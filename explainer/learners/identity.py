"""Who a browser is: a Learner row named by a long-lived signed cookie (docs/decisions.md, "Learners").

Contract:
- `current(request)`: the request's Learner, or None. Never creates one, so
  page views (public, cached pages included) make no rows; a browser with a
  session from before learners were kept has its rounds and cards carried
  over here on its next request (explainer/learners/carry_over.py).
- `for_answer(request)`: the request's Learner, made now if there is none:
  called at a learner's first answer (or when a pupil joins a class).
- The cookie (`LEARNER_COOKIE`) holds the learner's random public id, signed
  with the site's key: a year, HttpOnly, SameSite=Lax, Secure when sessions are.
  `LearnerCookieMiddleware` sets it on the response of a request that made or
  carried over a learner, and renews it at most once a day (with
  `last_seen_at`, which purge_learners reads), so queries per answer stay few.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

from explainer.learners.carry_over import carry_over
from explainer.models import Learner

LEARNER_COOKIE = "learner"
LEARNER_SALT = "explainer.learners.cookie"
LEARNER_MAX_AGE = 60 * 60 * 24 * 365  # a year, in seconds
TOUCH_EVERY = timedelta(days=1)
_UNSET = object()


def cookie_id(request):
    """The public id the request's learner cookie names (signature checked), or None."""
    try:
        value = request.get_signed_cookie(LEARNER_COOKIE, default=None, salt=LEARNER_SALT, max_age=LEARNER_MAX_AGE)
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) and 0 < len(value) <= 64 else None


def current(request):
    """The request's learner, or None (read once per request)."""
    learner = getattr(request, "_learner", _UNSET)
    if learner is not _UNSET:
        return learner
    learner = None
    public_id = cookie_id(request)
    if public_id is not None:
        learner = Learner.objects.filter(public_id=public_id).first()
    if learner is None and settings.SESSION_COOKIE_NAME in request.COOKIES:
        learner = carry_over(request)
        if learner is not None:
            remember(request, learner)
    if learner is not None:
        touch(request, learner)
    request._learner = learner
    return learner


def known(request, learner):
    """Take `learner` (read with the round it plays, explainer/quiz/views.py) as the request's; returns it."""
    request._learner = learner
    touch(request, learner)
    return learner


def for_answer(request):
    """The request's learner, made now when the browser has none (its first answer)."""
    learner = current(request)
    if learner is None:
        learner = Learner.objects.create()
        request._learner = learner
        remember(request, learner)
    return learner


def remember(request, learner):
    """Have the response set (or renew) the learner cookie for `learner`."""
    request._learner = learner
    request._learner_cookie = learner.public_id


def forget(request):
    """Have the response delete the learner cookie (the learner's data was deleted)."""
    request._learner = None
    request._learner_cookie = ""


def touch(request, learner):
    """Move `last_seen_at` on and renew the cookie, at most once a day."""
    moment = timezone.now()
    if moment - learner.last_seen_at < TOUCH_EVERY:
        return
    learner.last_seen_at = moment
    Learner.objects.filter(pk=learner.pk).update(last_seen_at=moment)
    remember(request, learner)


def set_cookie(response, public_id):
    if not public_id:
        response.delete_cookie(LEARNER_COOKIE, samesite="Lax")
        return
    response.set_signed_cookie(
        LEARNER_COOKIE,
        public_id,
        salt=LEARNER_SALT,
        max_age=LEARNER_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class LearnerCookieMiddleware:
    """Set the learner cookie on the response of a request that made, carried over, renewed or deleted one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        public_id = getattr(request, "_learner_cookie", None)
        if public_id is not None:
            set_cookie(response, public_id)
        return response
