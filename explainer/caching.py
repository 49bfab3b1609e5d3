"""Whole-page caching for the public pages, invalidated when content changes.

Contract:
- Public GET/HEAD pages (home, comparison, concept, category) are stored in
  Django's cache (the backend comes from CACHE_URL), keyed by the code version
  (templates and code as deployed), the content generation and the full path.
- The generation is a number in the database (ContentGeneration), raised in
  the same transaction as every save or delete of a content model (signals
  below). Every process reads it with one small query per request, so an
  editor's change shows on the very next request, whichever worker answers
  and whatever the cache backend; a rolled-back edit raises nothing.
- Responses carry an ETag and `Cache-Control: public, no-cache`: browsers and
  proxies may keep a copy but must revalidate, and get 304 when nothing changed.
- Staff never get, nor fill, the cache: they may see drafts; their pages are
  `Cache-Control: private`. Nor do learners whose review hint cookie says quiz
  cases are due (explainer/quiz/review.py): their pages say "N cases to review".
  A page rendered to fill the cache has `request.shared_page` set, and shows
  nothing personal.
- Entries are kept apart per host (the Host header, which ALLOWED_HOSTS has
  already checked), so a request for another allowed host can never put its
  links into the pages other visitors get.
- The cache fails open: when it cannot be reached, pages are rendered
  uncached, the failure is logged, and /healthz reports the cache as degraded.
  The database is the only hard dependency.
"""

import functools
import gzip
import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse

from explainer.quiz import review

PAGE_TIMEOUT = 60 * 60 * 24  # a day; the generation makes old entries unreachable anyway
log = logging.getLogger(__name__)


def cache_get(key):
    """cache.get, or None (logged) when the cache cannot be reached."""
    try:
        return cache.get(key)
    except Exception as error:
        log.warning("page cache unavailable, serving uncached: %s: %s", type(error).__name__, error)
        return None


def cache_set(key, value, timeout):
    """cache.set; a failure is logged and the page is simply not stored."""
    try:
        cache.set(key, value, timeout)
    except Exception as error:
        log.warning("page cache unavailable, not stored: %s: %s", type(error).__name__, error)


def _code_version():
    """A digest of the templates and code that render pages, taken at start-up.

    It is part of every page key, so that a deployment with changed templates
    never serves pages rendered by the old ones from a shared cache.
    """
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for folder in (root / "templates", root / "explainer"):
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".html", ".py"}:
                stat = path.stat()
                digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


CODE_VERSION = _code_version()


def current_generation():
    # Raw SQL: this runs on every public request, and the ORM's query building
    # would cost more than the query itself.
    with connection.cursor() as cursor:
        cursor.execute("SELECT number FROM explainer_contentgeneration WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def bump_generation():
    from explainer.models import ContentGeneration

    if not ContentGeneration.objects.filter(pk=1).update(number=F("number") + 1):
        ContentGeneration.objects.get_or_create(pk=1, defaults={"number": 1})


def _may_be_staff(request):
    """Whether the request may come from staff. Without a session cookie nobody is logged in,
    and the user (a session lookup) need not be loaded at all."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return request.user.is_staff


def public_page(view):
    """Serve `view` from the page cache for everyone but staff (see the module docstring)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        if _may_be_staff(request) or review.may_have_due(request):
            # A draft preview, or a learner with quiz cases due for review (the page says
            # "N cases to review"): a page for this visitor alone, never in a shared cache.
            response = view(request, *args, **kwargs)
            response["Cache-Control"] = "private, no-cache"
            return response
        path = f"{request.get_host()}{request.get_full_path()}"
        if len(path) > 200 or not (path.isascii() and path.isprintable()) or " " in path:
            # Keep keys short and valid for memcached.
            path = hashlib.sha256(path.encode()).hexdigest()
        key = f"page:{CODE_VERSION}:{current_generation()}:{path}"
        entry = cache_get(key)
        if entry is None:
            request.shared_page = True  # what is rendered now is served to everyone: nothing personal
            response = view(request, *args, **kwargs)
            shown_messages = getattr(getattr(request, "_messages", None), "used", False)
            if response.status_code != 200 or getattr(response, "streaming", False) or shown_messages:
                # A page that showed this visitor's messages is theirs alone.
                return response
            entry = {
                "content": response.content,
                # Compressed once here, not by GZipMiddleware on every hit.
                "gzip": gzip.compress(response.content, compresslevel=6, mtime=0),
                "content_type": response["Content-Type"],
                "etag": hashlib.sha256(response.content).hexdigest()[:32],
            }
            cache_set(key, entry, PAGE_TIMEOUT)
        # A fresh response: its headers are set outright (this is the hot path).
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            response = HttpResponse(entry["gzip"], content_type=entry["content_type"])
            response["Content-Encoding"] = "gzip"
            response["ETag"] = f'W/"{entry["etag"]}"'  # what GZipMiddleware would make of it
        else:
            response = HttpResponse(entry["content"], content_type=entry["content_type"])
            response["ETag"] = f'"{entry["etag"]}"'
        response["Cache-Control"] = "public, no-cache"
        response["Vary"] = "Accept-Encoding, Cookie"
        return response

    return wrapper


def _is_content(sender):
    """Whether saving `sender` (a model class, maybe a proxy) changes what public pages show."""
    from explainer.models import CONTENT_MODELS

    meta = getattr(sender, "_meta", None)
    return meta is not None and meta.concrete_model in CONTENT_MODELS


@receiver(post_save)
@receiver(post_delete)
def content_changed(sender, **kwargs):
    if _is_content(sender) and not kwargs.get("raw", False):
        bump_generation()


@receiver(m2m_changed)
def content_relation_changed(sender, action, instance, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and _is_content(type(instance)):
        bump_generation()
