"""Site search over comparisons, concepts and examples.

On PostgreSQL it uses full-text search (weighted vectors, ranked, with
ts_headline marking the matched words). Elsewhere (SQLite) it falls back to a
portable match: every word of the query must appear in one of the fields,
case-insensitively, and the matches are marked in Python. Either way the
results come back grouped, at most MAX_RESULTS per group, with the marked
snippets already escaped and safe to show.

Typos: on PostgreSQL, `similar(query)` finds the titles and names that are
spelt like the query (pg_trgm word similarity through django.contrib.postgres;
migration 0014 enables the extension), for the view to show when the exact
search found nothing. On both databases `suggestion(query)` offers the site's
own spelling ("did you mean ...").

On PostgreSQL both read GIN indexes (migration 0016) rather than every row, so
a search costs about the same on a site of 7 comparisons and of 1,000.
"""

import difflib
import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Greatest
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from explainer.caching import current_generation
from explainer.memo import Memo
from explainer.models import Comparison, ComparisonConcept, Concept, Example

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
MAX_RESULTS = 20
SNIPPET_LENGTH = 220

# What each group searches: (model, the fields, weights A-D for PostgreSQL, the field shown as snippet)
GROUPS = {
    "comparisons": (Comparison, ["title", "lede", "intro"], ["A", "B", "C"], "lede"),
    "concepts": (Concept, ["name", "definition", "description"], ["A", "B", "C"], "definition"),
    "examples": (Example, ["name", "summary"], ["A", "B"], "summary"),
}


# The fields spelt like the query on PostgreSQL (pg_trgm), per group: titles and names, which are what people type.
SIMILAR_FIELDS = {"comparisons": ["title"], "concepts": ["name", "synonyms"], "examples": ["name"]}
# pg_trgm's word similarity from which a title counts as a close spelling: "alliences" ~ "Alliance" is 0.5,
# unrelated words stay under 0.3.
SIMILARITY_THRESHOLD = 0.4

GROUP_LABELS = {"comparisons": _("Comparisons"), "concepts": _("Concepts"), "examples": _("Examples")}


@dataclass
class Hit:
    obj: object
    title: str
    snippet: str  # safe HTML, with <mark> around matched words

    @property
    def comparisons(self):
        """The published comparisons a concept or an example hit belongs to, by title."""
        concept = getattr(self.obj, "concept", self.obj)
        return getattr(concept, "published_comparisons", [])


def clean_query(raw):
    """The query as searched: whitespace collapsed, cut to MAX_QUERY_LENGTH; and whether it was cut."""
    query = " ".join((raw or "").replace("\x00", " ").split())
    if len(query) <= MAX_QUERY_LENGTH:
        return query, False
    cut = query[: MAX_QUERY_LENGTH + 1]
    # Cut at a space, so that no half word is searched for.
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut[:MAX_QUERY_LENGTH]), True


def words_of(query):
    return [w for w in re.findall(r"\w+", query.lower()) if len(w) > 1][:MAX_WORDS]


def search(query):
    """Grouped results for `query`: {"comparisons": [Hit], "concepts": [...], "examples": [...]}."""
    words = words_of(query)
    if not words:
        return {name: [] for name in GROUPS}
    if connection.vendor == "postgresql":
        return {name: _postgres(name, query) for name in GROUPS}
    return {name: _portable(name, words) for name in GROUPS}


def typo_tolerant():
    """Whether `similar()` can run here: PostgreSQL, with pg_trgm (enabled by migration 0014_search_trigram)."""
    return connection.vendor == "postgresql"


def similar(query):
    """Grouped results spelt like `query` (PostgreSQL only; every group empty elsewhere), closest first.

    For a query the exact search found nothing for: "alliences" finds "Alliance vs. Coalition".
    Snippets mark the site's spelling of the query's words where `suggestion()` has one.
    """
    words = words_of(query)
    if not words or not typo_tolerant():
        return {name: [] for name in GROUPS}
    marked = words_of(suggestion(query)) or words
    results = {}
    with transaction.atomic(), connection.cursor() as cursor:
        # The word-similarity operator's threshold is a setting of pg_trgm: ours, for this transaction.
        cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)", [str(SIMILARITY_THRESHOLD)])
        for name in SIMILAR_FIELDS:
            snippet_field = GROUPS[name][3]
            rows = spelt_like(name, query)
            results[name] = [Hit(row, _title(row), mark_words(getattr(row, snippet_field), marked)) for row in rows]
    return results


def spelt_like(name, query):
    """The PostgreSQL query of similar() for a group: rows with a title or name spelt like `query`, closest first.

    pg_trgm's word-similarity operator (`query <% field`, Django's trigram_word_similar lookup) lets the
    planner use the GIN trigram indexes of migration 0016 once a table is large enough to make that pay; it
    needs pg_trgm.word_similarity_threshold set to SIMILARITY_THRESHOLD (similar() does). The explicit
    `closeness >= SIMILARITY_THRESHOLD` keeps the result exactly that whatever the setting.
    """
    fields = SIMILAR_FIELDS[name]
    scores = [TrigramWordSimilarity(query, field) for field in fields]
    closeness = Greatest(*scores) if len(scores) > 1 else scores[0]
    close = Q()
    for field in fields:
        close |= Q(**{f"{field}__trigram_word_similar": query})
    return (
        _base(name)
        .filter(close)
        .annotate(closeness=closeness)
        .filter(closeness__gte=SIMILARITY_THRESHOLD)
        .order_by("-closeness", "pk")[:MAX_RESULTS]
    )


def _in_published_comparison(concept_field):
    """Whether the concept at `concept_field` belongs to a published comparison: a semi-join (EXISTS), so each row
    comes once without DISTINCT (which would sort every match, long texts and all, however few are shown)."""
    return Exists(
        ComparisonConcept.objects.filter(
            concept=OuterRef(concept_field), comparison__status=Comparison.Status.PUBLISHED
        )
    )


def _base(name):
    model = GROUPS[name][0]
    if model is Comparison:
        return Comparison.objects.published()
    published = Prefetch(
        "comparisons", queryset=Comparison.objects.published().order_by("title"), to_attr="published_comparisons"
    )
    if model is Concept:
        return Concept.objects.filter(_in_published_comparison("pk")).prefetch_related(published)
    return (
        Example.objects.filter(_in_published_comparison("concept"))
        .select_related("concept")
        .prefetch_related(
            Prefetch(
                "concept__comparisons",
                queryset=Comparison.objects.published().order_by("title"),
                to_attr="published_comparisons",
            )
        )
    )


def _title(obj):
    return getattr(obj, "title", None) or obj.name


def document(name):
    """The weighted full-text vector a group is searched by (PostgreSQL).

    Migration 0016 indexes exactly this expression (GIN), so that a search reads the index instead of
    computing every row's vector: change one, change the other (a test checks that the index is used).
    """
    _model, fields, weights, _snippet_field = GROUPS[name]
    vector = SearchVector(fields[0], weight=weights[0], config="english")
    for field, weight in zip(fields[1:], weights[1:], strict=True):
        vector += SearchVector(field, weight=weight, config="english")
    return vector


def matches(name, query):
    """The PostgreSQL query of a group: rows whose document() matches `query` (found through its GIN index),
    best ranked first, each with its marked snippet (headline). At most MAX_RESULTS."""
    snippet_field = GROUPS[name][3]
    vector = document(name)
    search_query = SearchQuery(query, search_type="websearch", config="english")
    return (
        _base(name)
        .alias(document=vector)
        .filter(document=search_query)
        .annotate(
            rank=SearchRank(vector, search_query),
            headline=SearchHeadline(
                snippet_field,
                search_query,
                config="english",
                start_sel="\x02",
                stop_sel="\x03",
                max_words=35,
                min_words=15,
            ),
        )
        .order_by("-rank", "pk")[:MAX_RESULTS]
    )


def _postgres(name, query):
    rows = matches(name, query)
    # ts_headline marks with control characters, so the text can be escaped
    # before the marks become <mark>: nothing from the database is trusted.
    return [
        Hit(row, _title(row), mark_safe(escape(row.headline).replace("\x02", "<mark>").replace("\x03", "</mark>")))  # noqa: S308
        for row in rows
    ]


def _portable(name, words):
    _model, fields, _weights, snippet_field = GROUPS[name]
    condition = Q()
    for word in words:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    rows = _base(name).filter(condition).order_by("pk")[: MAX_RESULTS * 3]
    # Rank like the full-text search roughly would: matches in the title first.
    ranked = sorted(rows, key=lambda row: -sum(word in _title(row).lower() for word in words))[:MAX_RESULTS]
    return [Hit(row, _title(row), mark_words(getattr(row, snippet_field), words)) for row in ranked]


def suggestion(query):
    """A spelling the site itself uses, for a query that found nothing ("alliences" -> "alliances"), or "".

    Each word of the query is replaced by the closest word of the published titles, concept
    names and example names (difflib's ratio, at least 0.8); words already known stay.
    """
    vocabulary = site_vocabulary()
    words = words_of(query)
    if not words or all(word in vocabulary for word in words):
        return ""
    fixed = [
        word if word in vocabulary else next(iter(difflib.get_close_matches(word, vocabulary, 1, 0.8)), word)
        for word in words
    ]
    return " ".join(fixed) if fixed != words else ""


_vocabularies = Memo(4, "search")


def site_vocabulary():
    """The words of the published titles, concept names and example names; read once per site generation."""
    generation = current_generation()
    vocabulary = _vocabularies.get(generation)
    if vocabulary is None:
        names = [
            *Comparison.objects.published().values_list("title", flat=True),
            *_base("concepts").values_list("name", flat=True),
            *_base("examples").values_list("name", flat=True),
        ]
        vocabulary = frozenset(w for name in names for w in re.findall(r"\w+", name.lower()) if len(w) > 2)
        _vocabularies.put(generation, vocabulary)
    return vocabulary


def mark_words(text, words):
    """Escape `text`, cut it to a snippet around the first match, and wrap each matched word in <mark>."""
    text = text or ""
    lowered = text.lower()
    first = min((lowered.find(w) for w in words if w in lowered), default=0)
    start = max(0, first - SNIPPET_LENGTH // 3)
    snippet = text[start : start + SNIPPET_LENGTH]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + SNIPPET_LENGTH < len(text) else ""
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(snippet):
        parts.append(escape(snippet[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(snippet[last:]))
    return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308 - every piece is escaped above
