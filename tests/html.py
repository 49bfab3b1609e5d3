"""Reading rendered HTML the way a browser would, for tests."""

from html.parser import HTMLParser

DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "style", "form", "base", "meta", "link"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.problems.append(f"<{tag} {name}={value}>")
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")


def dangerous_markup(fragment):
    """Elements and attributes in `fragment` that could run code or load other pages.

    Call it on the part of a page that editors' text ends up in; the page's
    own <script src>, <link> and <form> elements are expected elsewhere.
    """
    collector = _Collector()
    collector.feed(fragment)
    collector.close()
    return collector.problems


def main_of(page):
    """The page's <main> element, as text: what a page shows apart from the site's frame."""
    return page[page.index("<main") : page.index("</main>") + len("</main>")]


def main_text(response):
    """The words of a response's <main>, tags removed and whitespace collapsed (entities left as they are)."""
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", main_of(response.content.decode())).split())
