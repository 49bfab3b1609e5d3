"""Every Bootstrap utility class the site's templates use exists in the built stylesheet.

static/scss/site.scss compiles only the utilities it names (the whole API is about 100 KB), so a
template can use one that was never built: the class then does nothing, silently. Admin templates
are left out: they use the admin's own stylesheet.
"""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SITE_CSS = ROOT / "static" / "build" / "site.css"

# Bootstrap 5.3's utility classes, by the shape of their names (spacing, sizing, display, flex,
# text, colour, borders, gaps, ...); the site's own classes never take these shapes.
UTILITY = re.compile(
    r"""(
    [mp][tbsexy]?-(n?[0-5]|auto)
    | [wh]-(25|50|75|100|auto) | m[wh]-100 | v[wh]-100
    | d(-(sm|md|lg|xl|xxl))?-(none|inline|inline-block|block|grid|inline-grid|table|table-row|table-cell|flex
      |inline-flex)
    | flex-(row|column|wrap|nowrap|fill|grow-[01]|shrink-[01])(-reverse)?
    | (justify-content|align-items|align-self|align-content)-\w+
    | (row-|column-)?gap-[0-5]
    | order-\w+
    | (fw|fs|lh|fst)-\w+ | font-monospace
    | text-(start|end|center|wrap|nowrap|break|lowercase|uppercase|capitalize|decoration-\w+|truncate)
    | text-(body|body-secondary|body-tertiary|body-emphasis|muted|reset|black-50|white-50)
    | (text|bg|border|link)-(primary|secondary|success|info|warning|danger|light|dark|white|black)(-\w+)?
    | bg-(body|body-secondary|body-tertiary|transparent|gradient)
    | border(-(top|end|bottom|start))?(-0)? | border-[1-5]
    | rounded(-\w+)? | shadow(-\w+)?
    | position-(static|relative|absolute|fixed|sticky) | (top|bottom|start|end)-(0|50|100) | translate-middle(-[xy])?
    | overflow-\w+ | opacity-\d+ | float-\w+ | user-select-\w+ | pe-(none|auto)
    | visible | invisible | visually-hidden(-focusable)? | stretched-link | text-truncate | vr
    | clearfix | fixed-(top|bottom) | sticky-(top|bottom)
    )""",
    re.VERBOSE,
)
TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)


def classes_used():
    """{class: [file, ...]} for every class named in a site template's class="..." or a form's css_class="..."."""
    used = {}
    templates = ROOT / "templates"
    sources = [path for path in templates.rglob("*.html") if "admin" not in path.relative_to(templates).parts]
    sources += list((ROOT / "explainer").rglob("*.py"))
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for value in re.findall(r'\b(?:class|css_class)="([^"]*)"', TEMPLATE_CODE.sub(" ", text)):
            for name in value.split():
                used.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return used


def test_every_utility_class_a_template_uses_is_in_the_built_stylesheet():
    assert SITE_CSS.exists(), "static/build/site.css is missing: run `make css`"
    css = SITE_CSS.read_text(encoding="utf-8")
    utilities = {name: files for name, files in classes_used().items() if UTILITY.fullmatch(name)}
    assert len(utilities) > 10  # the scan finds the templates' utilities at all
    missing = {
        name: sorted(set(files))
        for name, files in utilities.items()
        if not re.search(r"\." + re.escape(name) + r"(?![\w-])", css)
    }
    assert missing == {}, f"utility classes used but not built (add them to static/scss/site.scss): {missing}"


def test_the_utility_check_sees_a_class_the_stylesheet_lacks():
    assert UTILITY.fullmatch("fw-semibold") and UTILITY.fullmatch("mt-2") and UTILITY.fullmatch("text-body-secondary")
    assert not any(UTILITY.fullmatch(name) for name in ("comparison-table", "tone-1", "start-here", "text-muted-note"))
    css = SITE_CSS.read_text(encoding="utf-8")
    assert UTILITY.fullmatch("ms-3") and not re.search(r"\.ms-3(?![\w-])", css)  # one nothing uses is not built
