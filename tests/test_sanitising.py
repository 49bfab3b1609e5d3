"""No long text field can carry script, event handlers, javascript: links or frames to a reader's page."""

import re

import pytest

from explainer.markup import render_markdown
from explainer.models import Cell, LearnerRound, Point
from tests import factories
from tests.html import dangerous_markup, main_of

pytestmark = pytest.mark.django_db

PAYLOADS = [
    pytest.param("Intro <script>alert('x')</script> text", id="script"),
    pytest.param('Look <img src="x" onerror="alert(1)"> here', id="onerror"),
    pytest.param(
        '[a harmless link](javascript:alert(1)) and <a href="javascript:alert(2)">raw</a>', id="javascript-link"
    ),
    pytest.param('Before <iframe src="https://evil.example/"></iframe> after', id="iframe"),
    pytest.param('<ScRiPt>alert(1)</sCrIpT><svg onload="alert(1)"></svg>', id="mixed-case"),
    pytest.param("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", id="data-url"),
]


def editable_part(page):
    """The page's <main>, without the site's own quiz forms (editors' text cannot make those)."""
    main = main_of(page)
    return re.sub(r'<form method="post" action="/compare/[a-z0-9-]+/quiz/[a-z]+/"[^>]*>', "", main)


def feedback_page(client, comparison, scenario):
    """Play until `scenario` is answered, and return its feedback page."""
    learner = factories.make_learner(client)
    client.get(f"/compare/{comparison.slug}/quiz/")
    LearnerRound.objects.filter(learner=learner, comparison=comparison).update(items=[scenario.pk])
    other = comparison.concepts.exclude(pk=scenario.correct_concept_id).first()
    client.post(f"/compare/{comparison.slug}/quiz/answer/", {"scenario": scenario.pk, "choice": other.pk})
    return client.get(f"/compare/{comparison.slug}/quiz/").text


def set_field(comparison, field, value):
    """Put `value` into `field` of the object that holds it; return the URL(s) that show it."""
    concept = comparison.ordered_concepts[0]
    if field in {"intro", "blur_note", "lede"}:
        setattr(comparison, field, value)
        comparison.save()
        return [comparison.get_absolute_url()]
    if field in {"description", "definition"}:
        setattr(concept, field, value)
        concept.save()
        return [concept.get_absolute_url(), comparison.get_absolute_url()]
    if field == "summary":
        factories.make_example(concept, summary=value)
        return [concept.get_absolute_url(), comparison.get_absolute_url()]
    if field == "cell":
        Cell.objects.filter(attribute__comparison=comparison).update(text=value[:500])
        return [comparison.get_absolute_url()]
    if field == "point":
        Point.objects.create(comparison=comparison, kind="similarity", title=value[:120], text=value)
        return [comparison.get_absolute_url()]
    raise AssertionError(field)


PAGE_FIELDS = ["intro", "blur_note", "lede", "description", "definition", "summary", "cell", "point"]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("field", PAGE_FIELDS)
def test_content_fields_are_sanitised_on_every_page(client, comparison, field, payload):
    for url in set_field(comparison, field, payload):
        assert dangerous_markup(editable_part(client.get(url).text)) == [], (field, url)


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("field", ["text", "explanation", "misconception"])
def test_scenario_fields_are_sanitised_in_the_quiz(client, comparison, field, payload):
    scenario = factories.make_scenario(comparison, **{field: payload})
    page = feedback_page(client, comparison, scenario)
    assert "Not quite" in page  # we are looking at the feedback, where all three fields show
    assert dangerous_markup(editable_part(page)) == []


def test_markdown_keeps_the_formatting_editors_use():
    html = render_markdown("**bold** *it* [NATO](https://www.nato.int/)\n\n- one\n- two")
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html
    assert '<a href="https://www.nato.int/" rel="noopener noreferrer">NATO</a>' in html
    assert "<ul>" in html and "<li>one</li>" in html


def test_raw_html_is_shown_as_text_not_markup():
    assert render_markdown("<b>not bold</b>") == "<p>&lt;b&gt;not bold&lt;/b&gt;</p>\n"
