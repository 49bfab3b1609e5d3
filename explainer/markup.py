"""Markdown for editors, made safe for readers.

Editors write Markdown in long text fields. markdown-it-py renders it with raw
HTML switched off, and nh3 then keeps only a short list of tags and
attributes, so a script, an event handler, a `javascript:` link or an iframe
never reaches a reader's page, whatever an editor (or a stolen editor
account) types.
"""

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


def render_markdown(text):
    """Return sanitised HTML for `text` (Markdown). The result is safe to mark safe."""
    html = _md.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
