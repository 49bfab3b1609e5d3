"""Whole-page caching for the public pages, invalidated when content changes.

Contract:
- Public GET/HEAD pages (home, comparison, concept, category) are stored in
  Django's cache (the backend comes from CACHE_URL), keyed by the code version
  (templates and code as deployed), the versions of what the page shows (see
  "what a page depends on" below), the host and path, and the query parameters
  the page reads (`params`: any others are left out of the key, so junk query
  strings make no new entries).
- The versions are numbers in the database (ComparisonVersion per comparison,
  ContentGeneration site-wide), raised in the same transaction as every save or
  delete of a content model (signals below). Every process reads them with one
  small query per request, so an editor's change shows on the very next request,
  whichever worker answers and whatever the cache backend; a rolled-back edit
  raises nothing.
- Responses carry an ETag and `Cache-Control: public, no-cache`: browsers and
  proxies may keep a copy but must revalidate, and get 304 when nothing changed.
- Staff never get, nor fill, the cache: they may see drafts; their pages are
  `Cache-Control: private`. Nor do learners whose review hint cookie says quiz
  cases are due (explainer/due_hint.py): their pages say "N cases to review".
  A page rendered to fill the cache has `request.shared_page` set, and shows
  nothing personal.
- Entries are kept apart per host (the Host header, which ALLOWED_HOSTS has
  already checked), so a request for another allowed host can never put its
  links into the pages other visitors get.
- The cache fails open: when it cannot be reached, pages are rendered
  uncached, the failure is logged, and /healthz reports the cache as degraded.
  The database is the only hard dependency.
"""

import contextlib
import contextvars
import functools
import gzip
import hashlib
import logging
import re
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.http import Http404, HttpResponse

from explainer import due_hint
from explainer.cache_backend import CacheUnavailable
from explainer.http import method_not_allowed

PAGE_TIMEOUT = 60 * 60 * 24  # a day; the generation makes old entries unreachable anyway
log = logging.getLogger(__name__)


def cache_get(key):
    """cache.get, or None (logged) when the cache cannot be reached."""
    try:
        return cache.get(key)
    except CacheUnavailable:  # its breaker is open: logged when it opened (explainer/cache_backend.py)
        return None
    except Exception as error:
        log.warning("page cache unavailable, serving uncached: %s: %s", type(error).__name__, error)
        return None


def cache_set(key, value, timeout):
    """cache.set; a failure is logged and the page is simply not stored."""
    try:
        cache.set(key, value, timeout)
    except CacheUnavailable:
        pass
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


# --- what a page depends on -------------------------------------------------------------------------------------
#
# A page's key names the versions of what it shows:
# - a comparison page: its comparison's version (ComparisonVersion);
# - a concept page: the versions of every comparison the concept belongs to
#   (its examples and its text bump all of them, and each of them lists it);
# - shared lists (home, category pages): the site-wide generation
#   (ContentGeneration), which every content change raises.
# A version is read with one small query per request, so every worker and
# machine sees an edit on the next request, whatever the cache backend.


def current_generation():
    """The site-wide generation: raised by every change to content."""
    # Raw SQL: this runs on every public request, and the ORM's query building
    # would cost more than the query itself.
    with connection.cursor() as cursor:
        cursor.execute("SELECT number FROM explainer_contentgeneration WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def site_key(request, **kwargs):
    """The key part of a page that lists content from all over the site."""
    return f"site.{current_generation()}"


def comparison_version(request, slug):
    """(id, status, version) of the comparison at `slug`, or None; version is None before its row exists.

    Read once per request (kept on the request): the page key and the view both use it.
    """
    known = getattr(request, "_comparison_versions", None)
    if known is None:
        known = request._comparison_versions = {}
    if slug not in known:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.id, c.status, v.number FROM explainer_comparison c "
                "LEFT JOIN explainer_comparisonversion v ON v.comparison_id = c.id WHERE c.slug = %s",
                [slug],
            )
            known[slug] = cursor.fetchone()
    return known[slug]


def visible_version(request, slug):
    """(id, version) of the comparison at `slug` when `request.user` may see it; Http404 otherwise.

    Published comparisons are for everyone; drafts and withdrawn ones only for
    those who see drafts (`sees_drafts`), and for others they do not exist.
    """
    from explainer.models import Comparison, sees_drafts

    row = comparison_version(request, slug)
    if row is None or (row[1] != Comparison.Status.PUBLISHED and not sees_drafts(request.user)):
        raise Http404("No comparison at this address.")
    return row[0], row[2]


def comparison_key(request, slug, **kwargs):
    """The key part of a comparison's page: its id and version; None (not cached) for an unknown slug."""
    row = comparison_version(request, slug)
    if row is None or row[2] is None:
        return None
    return f"c{row[0]}.{row[2]}"


def concept_key(request, slug, **kwargs):
    """The key part of a concept's page: the versions of all its comparisons; None when it has none."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT cc.comparison_id, v.number FROM explainer_concept k "
            "JOIN explainer_comparisonconcept cc ON cc.concept_id = k.id "
            "LEFT JOIN explainer_comparisonversion v ON v.comparison_id = cc.comparison_id "
            "WHERE k.slug = %s ORDER BY cc.comparison_id",
            [slug],
        )
        rows = cursor.fetchall()
    if not rows or any(number is None for _, number in rows):
        return None
    versions = ",".join(f"{pk}.{number}" for pk, number in rows)
    return "k" + hashlib.sha256(versions.encode()).hexdigest()[:16]


# --- raising the versions --------------------------------------------------------------------------------------------


class _Batch:
    """The bumps collected by batched(): the comparison ids, or `everything`; and whether any change came."""

    def __init__(self, everything):
        self.everything, self.ids, self.changed = everything, set(), False


_batch = contextvars.ContextVar("explainer_cache_batch", default=None)


def bump(comparison_ids):
    """Raise the site-wide generation and the version of each comparison in `comparison_ids`.

    Inside batched() the ids are collected and raised once, when the batch ends.
    """
    batch = _batch.get()
    if batch is None:
        _bump_now(comparison_ids)
        return
    batch.changed = True
    if not batch.everything:
        batch.ids.update(comparison_ids)


def _bump_now(comparison_ids):
    from explainer.models import ComparisonVersion, ContentGeneration

    if not ContentGeneration.objects.filter(pk=1).update(number=F("number") + 1):
        ContentGeneration.objects.get_or_create(pk=1, defaults={"number": 1})
    ids = sorted(set(comparison_ids))  # sorted: concurrent bumps lock rows in the same order
    if not ids:
        return
    versions = ComparisonVersion.objects.filter(comparison_id__in=ids)
    if versions.update(number=F("number") + 1) < len(ids):
        # New comparisons: their rows are made here (at 0, then raised like the others, so that
        # two transactions creating the same row both count).
        ComparisonVersion.objects.bulk_create(
            [ComparisonVersion(comparison_id=pk, number=0) for pk in ids], ignore_conflicts=True
        )
        known = set(versions.filter(number__gt=0).values_list("comparison_id", flat=True))
        ComparisonVersion.objects.filter(comparison_id__in=[pk for pk in ids if pk not in known]).update(
            number=F("number") + 1
        )


def bump_generation():
    """Raise every version: the site-wide generation and every comparison's (loaddata, restores, tests)."""
    from explainer.models import Comparison, ComparisonVersion

    _bump_now([])
    ComparisonVersion.objects.update(number=F("number") + 1)
    missing = Comparison.objects.exclude(pk__in=ComparisonVersion.objects.values("comparison_id"))
    ComparisonVersion.objects.bulk_create(
        [ComparisonVersion(comparison_id=pk, number=1) for pk in missing.values_list("pk", flat=True)],
        ignore_conflicts=True,
    )


@contextlib.contextmanager
def batched(everything=False):
    """Collect the bumps of a bulk change (load_content, a restore) and raise each version once, at the end.

    With `everything`, no dependency is worked out at all, and every version is
    raised at the end (bump_generation) if anything changed. Use it inside the
    change's transaction; after an error nothing is raised (the transaction rolls back).
    """
    if _batch.get() is not None:  # already inside a batch: it raises what this one would
        yield
        return
    batch = _Batch(everything)
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
    if batch.everything and batch.changed:
        bump_generation()
    elif batch.changed:
        _bump_now(batch.ids)


def _batching_everything():
    batch = _batch.get()
    if batch is not None and batch.everything:
        batch.changed = True
        return True
    return False


def _may_be_staff(request):
    """Whether the request may come from staff. Without a session cookie nobody is logged in,
    and the user (a session lookup) need not be loaded at all."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return request.user.is_staff


# A query value a cached page may read: a page number as the paginator prints it ("2", not "02" or "2.0").
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")


def query_part(request, params):
    """The part of a page's key for the query parameters it reads, or None when it must not be cached.

    Parameters the page does not read are left out (`?utm_source=...` is the
    same page), so junk query strings cannot fill the cache; a parameter it
    reads must appear once and match its pattern, else the page is rendered
    uncached (a 404 for a page number past the end is never stored anyway).
    """
    parts = []
    for name, pattern in params.items():
        values = request.GET.getlist(name)
        if not values:
            continue
        if len(values) > 1 or not pattern.fullmatch(values[0]):
            return None
        parts.append(f"{name}={values[0]}")
    return "?" + "&".join(parts) if parts else ""


def public_page(view=None, *, key=site_key, params=None):
    """Serve `view` from the page cache for everyone but staff (see the module docstring).

    `key(request, **view_kwargs)` names the versions the page depends on (site_key,
    comparison_key, concept_key); when it returns None the page is rendered uncached.
    `params` ({name: compiled pattern}) are the only query parameters the view
    reads; all others are ignored by the key (query_part).
    """
    params = params or {}
    if view is None:
        return functools.partial(public_page, key=key, params=params)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):  # a public page is read, never posted to
            return method_not_allowed(request, {"GET", "HEAD"})
        if _may_be_staff(request) or due_hint.may_have_due(request):
            # A draft preview, or a learner with quiz cases due for review (the page says
            # "N cases to review"): a page for this visitor alone, never in a shared cache.
            response = view(request, *args, **kwargs)
            response["Cache-Control"] = "private, no-cache"
            return response
        query = query_part(request, params)
        version = key(request, *args, **kwargs) if query is not None else None
        if version is None:
            return view(request, *args, **kwargs)
        path = f"{request.get_host()}{request.path}{query}"
        if len(path) > 200 or not (path.isascii() and path.isprintable()) or " " in path:
            # Keep keys short and valid for memcached.
            path = hashlib.sha256(path.encode()).hexdigest()
        cache_key = f"page:{CODE_VERSION}:{version}:{path}"
        entry = cache_get(cache_key)
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
            cache_set(cache_key, entry, PAGE_TIMEOUT)
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


def comparisons_of(instance):
    """The ids of the comparisons whose pages show `instance` (a content object), as the database has it now."""
    from explainer import models as m

    model = instance._meta.concrete_model
    links = m.ComparisonConcept.objects
    if model is m.Comparison:
        # Its page, and the pages that list it as related (their links show its title).
        related = m.Comparison.related.through.objects.filter(from_comparison_id=instance.pk)
        return {instance.pk, *related.values_list("to_comparison_id", flat=True)}
    if model is m.Category:
        return set(m.Comparison.objects.filter(category_id=instance.pk).values_list("pk", flat=True))
    if model is m.Concept:
        return set(links.filter(concept_id=instance.pk).values_list("comparison_id", flat=True))
    if model is m.Example:
        return set(links.filter(concept_id=instance.concept_id).values_list("comparison_id", flat=True))
    if model is m.Cell:
        return set(m.Attribute.objects.filter(pk=instance.attribute_id).values_list("comparison_id", flat=True))
    if model is m.WrongChoiceNote:
        return set(m.Scenario.objects.filter(pk=instance.scenario_id).values_list("comparison_id", flat=True))
    # ComparisonConcept, Attribute, Point, Scenario: they belong to one comparison.
    return {instance.comparison_id}


@receiver(pre_save)
def content_about_to_change(sender, instance, raw=False, **kwargs):
    """An object moved to another parent (a scenario to another comparison) changes its old pages too."""
    if raw or not _is_content(sender) or instance.pk is None or _batching_everything():
        return
    before = sender._base_manager.filter(pk=instance.pk).first()
    instance._cache_comparisons_before = comparisons_of(before) if before is not None else set()


@receiver(post_save)
def content_saved(sender, instance, raw=False, **kwargs):
    if raw or not _is_content(sender) or _batching_everything():
        return
    before = instance.__dict__.pop("_cache_comparisons_before", set())
    bump(before | comparisons_of(instance))


@receiver(pre_delete)
def content_about_to_go(sender, instance, **kwargs):
    # Worked out before the rows go; raised after (post_delete), as every bump is.
    if _is_content(sender) and not _batching_everything():
        instance._cache_comparisons_before = comparisons_of(instance)


@receiver(post_delete)
def content_deleted(sender, instance, **kwargs):
    if _is_content(sender) and not _batching_everything():
        bump(instance.__dict__.pop("_cache_comparisons_before", set()))


def _m2m_comparisons(instance, model, pk_set):
    """The comparisons whose pages show a change of an m2m relation (related, concepts, cues): both sides'."""
    ids = comparisons_of(instance)
    if pk_set and _is_content(model):
        for obj in model._base_manager.filter(pk__in=pk_set):
            ids |= comparisons_of(obj)
    return ids


@receiver(m2m_changed)
def content_relation_changed(sender, action, instance, model, pk_set, **kwargs):
    if not _is_content(type(instance)) or _batching_everything():
        return
    if action == "pre_clear":
        # After the clear the other side is gone; comparisons_of() still sees it now.
        instance._cache_comparisons_cleared = comparisons_of(instance)
    elif action == "post_clear":
        bump(instance.__dict__.pop("_cache_comparisons_cleared", set()) | comparisons_of(instance))
    elif action in ("post_add", "post_remove"):
        bump(_m2m_comparisons(instance, model, pk_set))
