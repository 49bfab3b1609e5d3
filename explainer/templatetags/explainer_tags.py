"""Template filters and inclusion tags used across the site's pages."""

from django import template
from django.utils.safestring import mark_safe

from explainer.markup import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render editor Markdown to sanitised HTML (see explainer.markup)."""
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3


@register.inclusion_tag("includes/comparison_table.html")
def comparison_table(comparison, rows=None, highlight=(), caption=None):
    """The side-by-side table; `highlight` is a collection of attribute ids to mark."""
    return {
        "comparison": comparison,
        "concepts": comparison.ordered_concepts,
        "rows": comparison.table_rows() if rows is None else rows,
        "highlight": set(highlight),
        "caption": caption,
    }
