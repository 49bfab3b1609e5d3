"""Site search over comparisons, concepts and examples.

A query is read for its terms (`terms_of`): the words that frame a question of this site's kind
("what is the difference between", "vs", "and", "or") are dropped, so "difference between coup and
revolution" and "treaty vs executive order" search for their concepts. A term matches a word of the
same stem (Snowball English: "treaties" finds "treaty") or, for a long stem, one that shares its root
(ROOT letters: "confederacy" finds "confederation"). `search(query)` wants every term;
`search(query, any_word=True)` is the fallback for a query that found nothing, and wants one, the
rows with most terms first.

On PostgreSQL it uses full-text search with the english configuration (weighted vectors, ranked, with
ts_headline marking the matched words). Elsewhere (SQLite) it falls back to a portable match: each
term must appear in one of the fields, case-insensitively, as typed, as its stem or as its root, and
the matches are marked in Python. Either way the results come back grouped, at most MAX_RESULTS per
group, with the marked snippets already escaped and safe to show.

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
from functools import reduce
from operator import and_, or_

import snowballstemmer
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


# Words that frame a question rather than name what it is about: "what is the difference between X and Y",
# "X vs. Y", "X or Y", "how to tell X from Y". Dropped from a query's terms (but a query of nothing else
# searches for them as typed).
# fmt: off
FRAMING = frozenset([
    "a", "an", "the", "of", "in", "on", "to", "is", "are", "was", "what", "whats", "which", "how", "do", "does",
    "difference", "differences", "different", "between", "vs", "versus", "and", "or", "compare", "compared",
    "comparing", "comparison", "with", "from", "tell", "apart", "explain", "explained", "meaning", "mean", "means",
])
# fmt: on
# A stem this long or longer also matches the words that share its first ROOT letters ("confederaci",
# from "confederacy", finds "confederation"): Snowball keeps derivations apart that a reader does not.
ROOT = 7
_stemmer = snowballstemmer.stemmer("english")


def terms_of(query):
    """The words of `query` that say what it is about: framing words dropped, at most MAX_WORDS."""
    words = [w for w in re.findall(r"[^\W_]+", query.lower()) if len(w) > 1]
    terms = [w for w in words if w not in FRAMING]
    return (terms or words)[:MAX_WORDS]


def stem(term):
    return _stemmer.stemWord(term)


def root(term):
    """The prefix a long stem shares with its derivations ("confede"), or None for a short stem."""
    stemmed = stem(term)
    return stemmed[:ROOT] if len(stemmed) > ROOT else None


def fragments(term):
    """What the portable search looks for in a text, any one enough: the term as typed, its stem, its root."""
    stemmed = stem(term)
    found = {term, stemmed, root(term) or stemmed}
    if stemmed.endswith("i") and len(stemmed) > 4:
        found.add(stemmed[:-1])  # "treati" (treaty, treaties) is in neither: "treat" is in both
    return sorted(found, key=len)


def search(query, any_word=False, groups=GROUPS):
    """Grouped results for `query`: {"comparisons": [Hit], "concepts": [...], "examples": [...]} (or `groups`).

    Every term must match; with `any_word`, one is enough and the rows that match most terms come first.
    """
    terms = terms_of(query)
    if not terms:
        return {name: [] for name in groups}
    if connection.vendor == "postgresql":
        return {name: _postgres(name, terms, any_word) for name in groups}
    return {name: _portable(name, terms, any_word) for name in groups}


def search_with_fallback(query):
    """search(query), falling back to any word where every word finds nothing; and the groups that fell back.

    The comparisons fall back on their own ("treaty vs executive order": the concept Treaty has every word,
    the comparison Treaty vs. Executive Agreement two of three), as a comparison is what readers come for;
    the other groups only when nothing at all has every word.
    """
    results = search(query)
    wanting = [name for name, hits in results.items() if not hits]
    if any(results.values()):
        wanting = [name for name in wanting if name == "comparisons"]
    results.update(search(query, any_word=True, groups=wanting) if wanting else {})
    return results, {name for name in wanting if results[name]}


def typo_tolerant():
    """Whether `similar()` can run here: PostgreSQL, with pg_trgm (enabled by migration 0014_search_trigram)."""
    return connection.vendor == "postgresql"


def similar(query):
    """Grouped results spelt like `query` (PostgreSQL only; every group empty elsewhere), closest first.

    For a query the exact search found nothing for: "alliences" finds "Alliance vs. Coalition".
    Snippets mark the site's spelling of the query's words where `suggestion()` has one.
    """
    words = terms_of(query)  # "difference between allaince and coalitoin": only what it is about
    if not words or not typo_tolerant():
        return {name: [] for name in GROUPS}
    query = " ".join(words)
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


def term_query(term):
    """A term as a full-text query: its stem, or any word of its root ("confede:*") when the stem is long."""
    exact = SearchQuery(term, search_type="plain", config="english")
    prefix = root(term)
    # The root is letters and digits only (terms_of), so it is safe in the raw tsquery syntax.
    return exact | SearchQuery(f"{prefix}:*", search_type="raw", config="english") if prefix else exact


def full_text_query(query, any_word=False):
    """The tsquery for `query`'s terms: all of them (AND), or any (OR)."""
    return reduce(or_ if any_word else and_, [term_query(term) for term in terms_of(query)])


def matches(name, query, any_word=False):
    """The PostgreSQL query of a group: rows whose document() matches `query`'s terms (found through its GIN
    index), best ranked first, each with its marked snippet (headline). At most MAX_RESULTS."""
    snippet_field = GROUPS[name][3]
    vector = document(name)
    search_query = full_text_query(query, any_word)
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


def _postgres(name, terms, any_word):
    rows = matches(name, " ".join(terms), any_word)
    # ts_headline marks with control characters, so the text can be escaped
    # before the marks become <mark>: nothing from the database is trusted.
    return [
        Hit(row, _title(row), mark_safe(escape(row.headline).replace("\x02", "<mark>").replace("\x03", "</mark>")))  # noqa: S308
        for row in rows
    ]


def _portable(name, terms, any_word):
    _model, fields, _weights, snippet_field = GROUPS[name]
    conditions = []
    for term in terms:
        anywhere = Q()
        for field in fields:
            for fragment in fragments(term):
                anywhere |= Q(**{f"{field}__icontains": fragment})
        conditions.append(anywhere)
    rows = _base(name).filter(reduce(or_ if any_word else and_, conditions)).order_by("pk")[: MAX_RESULTS * 3]

    def found_in(text, term):
        return any(fragment in (text or "").lower() for fragment in fragments(term))

    def rank(row):
        # Like the full-text rank, roughly: more terms first, then matches in the title.
        texts = [getattr(row, field) for field in fields]
        return (
            -sum(any(found_in(text, term) for text in texts) for term in terms),
            -sum(found_in(_title(row), term) for term in terms),
        )

    marked = [fragment for term in terms for fragment in fragments(term)]
    ranked = sorted(rows, key=rank)[:MAX_RESULTS]
    return [Hit(row, _title(row), mark_words(getattr(row, snippet_field), marked)) for row in ranked]


def suggestion(query):
    """A spelling the site itself uses, for a query that found nothing ("alliences" -> "alliances"), or "".

    Each term of the query (framing words dropped: "difference between cuop and revolution" -> "coup
    revolution") is replaced by the closest word of the published titles, concept names and example names
    (difflib's ratio, at least 0.8); words already known stay.
    """
    vocabulary = site_vocabulary()
    words = terms_of(query)
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
    # Whole words that begin with a searched word, stem or root: "confede" marks "confederation".
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    pattern = re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(snippet):
        parts.append(escape(snippet[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(snippet[last:]))
    return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308 - every piece is escaped above
