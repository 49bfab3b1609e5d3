"""Template filters and inclusion tags used across the site's pages."""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template import loader
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from explainer.markup import render_markdown
from explainer.memo import Memo

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render editor Markdown to sanitised HTML (see explainer.markup)."""
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3


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


_tables = Memo(1024)


@register.simple_tag
def comparison_table(comparison, rows=None, highlight=(), caption=None):
    """The side-by-side table (includes/comparison_table.html); `highlight` is a collection of attribute ids to mark.

    A comparison read for one content version (explainer/page_content.py,
    explainer/quiz/content.py) carries `content_version`: its tables are
    rendered once per version, rows, highlight, caption and language, and
    kept in the process (not with DEBUG, where templates change under a
    running server).
    """
    rows = comparison.table_rows() if rows is None else rows
    version = getattr(comparison, "content_version", None)
    key = None
    if version is not None and not settings.DEBUG:
        key = (version, tuple(row.attribute.pk for row in rows), frozenset(highlight), str(caption), get_language())
        html = _tables.get(key)
        if html is not None:
            return html
    context = {
        "comparison": comparison,
        "concepts": comparison.ordered_concepts,
        "rows": rows,
        "highlight": set(highlight),
        "caption": caption,
    }
    html = loader.get_template("includes/comparison_table.html").render(context)
    if key is not None:
        _tables.put(key, html)
    return html


CHART_LABEL_WIDTH = 200  # room for a row name of about 26 characters
CHART_BAR_WIDTH = 150
CHART_ROW_HEIGHT = 28


@register.inclusion_tag("includes/miss_chart.html")
def miss_chart(breakdown):
    """A horizontal bar chart, drawn on the server as inline SVG: per cue, cases seen and missed.

    `breakdown` is a list of {"attribute", "seen", "missed"} (see explainer.quiz.views.cue_breakdown).
    """
    most = max((row["seen"] for row in breakdown), default=1) or 1
    bars = []
    for index, row in enumerate(breakdown):
        bars.append(
            {
                **row,
                "y": index * CHART_ROW_HEIGHT,
                "text_y": index * CHART_ROW_HEIGHT + 18,
                "seen_width": round(CHART_BAR_WIDTH * row["seen"] / most),
                "missed_width": round(CHART_BAR_WIDTH * row["missed"] / most),
            }
        )
    return {
        "bars": bars,
        "label_width": CHART_LABEL_WIDTH,
        "bar_x": CHART_LABEL_WIDTH,
        "count_x": CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 8,
        "width": CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 70,
        "height": max(len(bars), 1) * CHART_ROW_HEIGHT,
    }
