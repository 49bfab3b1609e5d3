"""Template filters and inclusion tags used across the site's pages."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from explainer.markup import render_markdown
from explainer.models import TONES

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


@register.inclusion_tag("includes/comparison_table.html")
def comparison_table(comparison, rows=None, highlight=(), caption=None, caption_hidden=False):
    """The side-by-side table; `highlight` is a collection of attribute ids to mark.

    `caption_hidden` keeps the caption for screen readers only, where a visible heading already names the table.
    """
    concepts = comparison.ordered_concepts
    return {
        "comparison": comparison,
        "concepts": concepts,
        "heads": [(concept, index % TONES + 1) for index, concept in enumerate(concepts)],
        "rows": comparison.table_rows() if rows is None else rows,
        "highlight": set(highlight),
        "caption": caption,
        "caption_hidden": caption_hidden,
    }


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


@register.simple_tag
def concept_tone(comparison, concept):
    """The concept's tone number in `comparison` (1-3; 0 if not in it), for the class `tone-N`.

    Usage: {% concept_tone comparison concept as tone %}<li class="tone-{{ tone }}">...
    Reads the prefetched columns (Comparison.with_concepts/with_table): no query per call.
    """
    return comparison.tone_of(concept)
