"""Continuing on another device without an account: a one-time link to the same learner.

Contract:
- `make_link(learner)` returns the secret of a new link: 43 URL-safe characters, 256 random bits,
  valid for LIFETIME (15 minutes) and for one use. Only its SHA-256 is stored (ContinueLink), so
  the database alone opens nothing. Making a link also deletes the learner's links that can no
  longer be used, so the table holds only live links and the last day's used ones.
- `check(secret)` says what the link is without using it: OK, or the reason it cannot be used
  (MALFORMED or UNKNOWN: a mistyped or tampered link; EXPIRED; USED).
- `redeem(secret)` uses the link and returns its learner, or raises LinkRefused with that reason.
  One UPDATE that only matches a live, unused link does it, so two browsers racing for one link
  cannot both win.
"""

import enum
import hashlib
import re
import secrets
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from explainer.models import ContinueLink

LIFETIME = timedelta(minutes=15)
KEEP_USED = timedelta(days=1)  # a used link is remembered a day, so that a second try says "used", not "unknown"
SECRET_BYTES = 32
SECRET = re.compile(r"[A-Za-z0-9_-]{43}")


class Refusal(enum.Enum):
    OK = "ok"
    MALFORMED = "malformed"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"


class LinkRefused(Exception):
    def __init__(self, reason):
        super().__init__(reason.value)
        self.reason = reason


def _hash(secret):
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def make_link(learner, now=None):
    """A new link's secret for `learner` (see the module docstring); its expiry is `now + LIFETIME`."""
    now = now or timezone.now()
    ContinueLink.objects.filter(learner=learner).filter(
        Q(expires_at__lte=now, used_at=None) | Q(used_at__lte=now - KEEP_USED)
    ).delete()
    secret = secrets.token_urlsafe(SECRET_BYTES)
    ContinueLink.objects.create(learner=learner, secret_hash=_hash(secret), created_at=now, expires_at=now + LIFETIME)
    return secret


def _find(secret):
    if not isinstance(secret, str) or not SECRET.fullmatch(secret):
        return Refusal.MALFORMED, None
    link = ContinueLink.objects.filter(secret_hash=_hash(secret)).first()
    if link is None:
        return Refusal.UNKNOWN, None
    if link.used_at is not None:
        return Refusal.USED, link
    if link.expires_at <= timezone.now():
        return Refusal.EXPIRED, link
    return Refusal.OK, link


def check(secret):
    """What the link `secret` is, without using it: a Refusal (OK when it can be used now)."""
    return _find(secret)[0]


def expires_at(secret):
    """When the usable link `secret` stops working (None if it cannot be used)."""
    reason, link = _find(secret)
    return link.expires_at if reason is Refusal.OK else None


def redeem(secret):
    """Use the link once: its Learner; LinkRefused(reason) when it is malformed, unknown, expired or used."""
    reason, link = _find(secret)
    if reason is not Refusal.OK:
        raise LinkRefused(reason)
    now = timezone.now()
    won = ContinueLink.objects.filter(pk=link.pk, used_at=None, expires_at__gt=now).update(used_at=now)
    if not won:  # another browser used it, or it expired, since _find read it
        reason = _find(secret)[0]
        raise LinkRefused(Refusal.USED if reason is Refusal.OK else reason)
    return link.learner
