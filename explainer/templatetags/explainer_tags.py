"""Template filters and inclusion tags used across the site's pages."""

import datetime
import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template import loader
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from explainer import due_hint
from explainer.learners import identity
from explainer.markup import render_markdown
from explainer.memo import Memo
from explainer.models import Comparison
from explainer.quiz import review
from explainer.quiz.rounds import MAX_DUE_PER_ROUND
from explainer.tones import tone_of

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render editor Markdown to sanitised HTML (see explainer.markup)."""
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3


@register.filter(expects_localtime=True)
def sitemap_date(value):
    """A sitemap's <lastmod>: the day, YYYY-MM-DD, in the site's time zone, as |date:"Y-m-d" writes it.

    Without the date filter's formatting machinery, which took about 40 µs a call: most of the time of a
    sitemap page of 50 addresses. (The template turns an aware datetime into local time first.)
    """
    return (value.date() if isinstance(value, datetime.datetime) else value).isoformat()


_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """Structured data for search engines, as a JSON-LD data block.

    A data block is never executed, so the Content-Security-Policy allows it;
    <, > and & are escaped so that text from the database cannot close the tag.
    """
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


def _about(comparison):
    return [{"@type": "Thing", "name": concept.name} for concept in comparison.ordered_concepts]


@register.simple_tag
def article_json_ld(comparison):
    """schema.org Article data for a comparison page (paths are relative to the page)."""
    return json_ld(
        {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": comparison.title,
            "description": comparison.lede,
            "datePublished": comparison.published_at,
            "dateModified": comparison.updated_at,
            "articleSection": comparison.category.name,
            "about": _about(comparison),
            "publisher": {"@type": "Organization", "name": "Explainer"},
            "inLanguage": "en",
        }
    )


@register.simple_tag
def quiz_json_ld(comparison):
    """schema.org Quiz data for a comparison's "Which is it?" quiz."""
    return json_ld(
        {
            "@context": "https://schema.org",
            "@type": "Quiz",
            "name": _("Which is it? %(title)s") % {"title": comparison.title},
            "about": _about(comparison),
            "educationalUse": "practice",
            "learningResourceType": "Quiz",
            "isAccessibleForFree": True,
            "inLanguage": "en",
        }
    )


@register.simple_tag
def comparison_table(comparison, rows=None, highlight=(), caption=None, caption_hidden=False):
    """The side-by-side table (includes/comparison_table.html); `highlight` is a collection of attribute ids to mark.

    `caption_hidden` keeps the caption for screen readers only, where a visible heading already names the table.
    The pages that show it keep it per comparison version, inside their {% versioned %} parts.
    """
    rows = comparison.table_rows() if rows is None else rows
    concepts = comparison.ordered_concepts
    context = {
        "comparison": comparison,
        "concepts": concepts,
        "heads": [(concept, tone_of(index)) for index, concept in enumerate(concepts)],
        "rows": rows,
        "highlight": set(highlight),
        "caption": caption,
        "caption_hidden": caption_hidden,
    }
    return loader.get_template("includes/comparison_table.html").render(context)


# Mostly 1-8 KB each (heads, verdicts); a comparison page's two parts ~20 KB each: 10-20 MB per worker at most.
_fragments = Memo(2048)


class VersionedNode(template.Node):
    def __init__(self, nodelist, where, comparison, parts):
        self.nodelist, self.where, self.comparison, self.parts = nodelist, where, comparison, parts

    def render(self, context):
        version = getattr(self.comparison.resolve(context), "content_version", None)
        if version is None or settings.DEBUG:
            return self.nodelist.render(context)
        page = context.template.name if context.template else None  # a page may override blocks inside the part
        key = (self.where, page, version, tuple(part.resolve(context) for part in self.parts), get_language())
        html = _fragments.get(key)
        if html is None:
            html = self.nodelist.render(context)
            _fragments.put(key, html)
        return html


@register.tag
def versioned(parser, token):
    """`{% versioned comparison part... %}...{% endversioned %}`: the block's HTML, kept per comparison version.

    Contract: the block must show nothing but what `comparison`'s version
    (`content_version`, explainer/caching.py) and the `part` values decide,
    in the active language, on the page (template) being rendered: nothing
    about the visitor, the request, the round or the CSRF token unless it is
    a part. It is rendered once per (this tag's place, page, version, parts,
    language) in each process and copied after that; a comparison
    without a version (not read through explainer/page_content.py or
    explainer/quiz/content.py) is rendered every time, as it is with DEBUG,
    where templates change under a running server.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% versioned %} needs the comparison whose version keys it")
    nodelist = parser.parse(("endversioned",))
    parser.delete_first_token()
    where = (parser.origin.name if parser.origin else "", token.lineno)
    return VersionedNode(nodelist, where, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]])


CHART_BAR_WIDTH = 150  # the bars' drawing width; the page scales them to its column


@register.inclusion_tag("includes/miss_chart.html")
def miss_chart(breakdown, comparison, caption=None):
    """A bar chart of the cues behind the missed answers, each bar a link to its row of `comparison`'s table.

    `breakdown` is a list of {"attribute", "seen", "missed"} (see explainer.quiz.views.cue_breakdown);
    `caption` replaces the learner's caption (a class's results page counts a whole class's answers).
    """
    most = max((row["seen"] for row in breakdown), default=1) or 1
    bars = [
        {
            **row,
            "seen_width": round(CHART_BAR_WIDTH * row["seen"] / most),
            "missed_width": round(CHART_BAR_WIDTH * row["missed"] / most),
        }
        for row in breakdown
    ]
    return {
        "bars": bars,
        "bar_width": CHART_BAR_WIDTH,
        "comparison_url": comparison.get_absolute_url(),
        "caption": caption,
    }


@register.inclusion_tag("includes/review_due_line.html", takes_context=True)
def review_due(context, comparison=None):
    """ "N cases to review": the learner's cases due for review, for one comparison or (without one) all.

    Sets `review_due` (the number due now), `reviews` ([{"comparison", "count"}]), `soon` (how
    many more fall due by the end of tomorrow) and `next_due` (when the next one does). Renders
    nothing on a page rendered for the shared cache, and reads the learner only when the
    review hint cookie says something may be due (explainer/due_hint.py).
    """
    request = context.get("request")
    nothing = {"review_due": 0, "reviews": []}
    if request is None or getattr(request, "shared_page", False) or not due_hint.may_have_due(request):
        return nothing
    if not isinstance(comparison, Comparison):
        comparison = None  # the home page: no comparison in its context
    learner = identity.current(request)
    counts = review.due_counts(learner)
    if comparison is not None:
        counts = {comparison.pk: counts[comparison.pk]} if comparison.pk in counts else {}
    if not counts:
        return nothing
    comparisons = Comparison.objects.published().filter(pk__in=counts).only("slug", "title").order_by("title")
    reviews = [{"comparison": c, "count": counts[c.pk]} for c in comparisons]
    outlook = review.outlook(learner, comparison.pk if comparison is not None else None)
    return {
        "review_due": sum(r["count"] for r in reviews),
        "reviews": reviews,
        "single": comparison is not None,
        "soon": outlook["soon"],
        "next_due": outlook["next"],
        "per_round": MAX_DUE_PER_ROUND,
    }


@register.filter
def tone(index):
    """The tone number of the concept in 0-based column `index` ({{ forloop.counter0|tone }}); explainer.tones."""
    return tone_of(index)


@register.simple_tag
def concept_tone(comparison, concept):
    """The concept's tone number in `comparison` (1-3; 0 if not in it), for the class `tone-N`.

    Usage: {% concept_tone comparison concept as tone %}<li class="tone-{{ tone }}">...
    Reads the prefetched columns (Comparison.with_concepts/with_table): no query per call.
    """
    return comparison.tone_of(concept)
