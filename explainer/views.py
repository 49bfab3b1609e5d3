"""Reader-facing pages. Thin: fetch through the named QuerySet methods, render."""

import functools
from pathlib import Path

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import never_cache

from explainer import search
from explainer.caching import PAGE_NUMBER, comparison_key, concept_key, public_page
from explainer.context_processors import site_origin
from explainer.models import Category, Comparison, Concept, Example, sees_drafts
from explainer.page_content import comparison_page

# The comparison a newcomer should read first: the home page's "start here" card.
FLAGSHIP = "alliance-vs-coalition"


PAGE_SIZE = 20  # comparisons per page of a list (home, category): a page stays small however the site grows


def page_of(request, queryset):
    """The page of `queryset` that `?page=` asks for (the first without it); Http404 for a page that does not exist."""
    try:
        return Paginator(queryset, PAGE_SIZE).page(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404("No such page of this list.") from None


@public_page(params={"page": PAGE_NUMBER})
def home(request):
    """A visual index: the flagship comparison as "start here", then one card per other comparison, by category.

    The cards come a page at a time (PAGE_SIZE); "start here" is on the first page only.
    """
    published = Comparison.objects.published().with_concepts()
    ordered = published.order_by("category__position", "category__name", "title", "pk")
    flagship = published.filter(slug=FLAGSHIP).first() or ordered.first()
    page = page_of(request, ordered.exclude(pk=flagship.pk) if flagship else ordered)
    context = {"flagship": flagship if page.number == 1 else None, "comparisons": page.object_list, "page_obj": page}
    return render(request, "explainer/home.html", context)


@never_cache
def search_view(request):
    """GET /search/?q=...: grouped results; an empty or over-long query is handled on the page."""
    query, truncated = search.clean_query(request.GET.get("q", ""))
    # Where nothing has every word: what has some of them, most first (`loose`: those groups).
    results, loose = search.search_with_fallback(query) if query else (None, set())
    total = sum(len(hits) for hits in results.values()) if results else 0
    close_spellings = False
    if results is not None and not total and search.typo_tolerant():
        # Nothing spelt exactly so: on PostgreSQL, show what is spelt like it (pg_trgm).
        results = search.similar(query)
        total = sum(len(hits) for hits in results.values())
        close_spellings = bool(total)
    nothing_found = results is not None and not total
    context = {
        "query": query,
        "truncated": truncated,
        "searched": results is not None,
        "groups": [
            (name, search.GROUP_LABELS[name], hits, name in loose) for name, hits in (results or {}).items() if hits
        ],
        "total": total,
        "max_length": search.MAX_QUERY_LENGTH,
        # Nothing found: a spelling the site uses, and every comparison to start from instead.
        "suggestion": search.suggestion(query) if nothing_found or close_spellings else "",
        "close_spellings": close_spellings,
        "some_words": bool(loose) and loose == {name for name, hits in results.items() if hits},
        # The first page of them (a site of 1,000 would list 1,000); the rest are a link away.
        "comparisons": Comparison.objects.published().order_by("title")[:PAGE_SIZE] if nothing_found else [],
        "more_comparisons": nothing_found and Comparison.objects.published().count() > PAGE_SIZE,
    }
    return render(request, "explainer/search.html", context)


FAVICON = Path(__file__).resolve().parent.parent / "static" / "img" / "favicon.ico"


@functools.cache
def _favicon_bytes():
    return FAVICON.read_bytes()


def favicon(request):
    """/favicon.ico, which browsers ask for on every page that names no icon (the admin's error pages too).

    Served from the site's own static folder, cacheable for a day: a 404 here was logged on every admin page.
    """
    response = HttpResponse(_favicon_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def robots_txt(request):
    # The quizzes may be indexed (they are learning resources); the forms and searches may not.
    lines = ["User-agent: *", "Disallow: /compare/*/report/", "Disallow: /search/"]
    lines.append(f"Sitemap: {site_origin(request)}{reverse('sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@public_page(key=comparison_key)
def comparison_detail(request, slug):
    page = comparison_page(request, slug)  # read once per comparison version (explainer/page_content.py)
    context = {
        "comparison": page.comparison,
        "concepts": page.concepts,
        "rows": page.rows,
        "key_rows": page.key_rows,
        "related": page.related,
    }
    return render(request, "explainer/comparison_detail.html", context)


@public_page(key=concept_key)
def concept_detail(request, slug):
    concepts = Concept.objects.all()
    if not sees_drafts(request.user):
        # A concept has a public page only once a published comparison uses it.
        concepts = concepts.filter(comparisons__status=Comparison.Status.PUBLISHED).distinct()
    concept = get_object_or_404(
        concepts.prefetch_related(
            Prefetch("examples", queryset=Example.objects.order_by("start_year", "name")),
            Prefetch("comparisons", queryset=Comparison.objects.visible_to(request.user).order_by("title")),
        ),
        slug=slug,
    )
    context = {"concept": concept, "examples": concept.examples.all(), "comparisons": concept.comparisons.all()}
    return render(request, "explainer/concept_detail.html", context)


@public_page(params={"page": PAGE_NUMBER})
def category_detail(request, slug):
    category = get_object_or_404(Category, slug=slug)
    page = page_of(
        request, Comparison.objects.published().with_concepts().filter(category=category).order_by("title", "pk")
    )
    context = {"category": category, "comparisons": page.object_list, "page_obj": page}
    return render(request, "explainer/category_detail.html", context)


def csrf_failure(request, reason=""):
    """403 for a form sent without a valid CSRF token: say what to do, not why Django refused."""
    return render(request, "403_csrf.html", {}, status=403)


def server_error(request):
    """500 page that shows the request id, so a reader's report leads to the log line.

    It renders without context processors or database access: whatever broke
    the request must not break its error page too.
    """
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_id": getattr(request, "request_id", "")}))
