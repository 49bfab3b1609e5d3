"""What readers see: the home page, a comparison, a concept, a category, and 404s."""

import pytest

from tests import factories
from tests.html import dangerous_markup, main_of
from tests.queries import queries_for

pytestmark = pytest.mark.django_db


def test_home_lists_published_comparisons_with_their_lede(client, comparison, draft):
    response = client.get("/")
    assert response.status_code == 200
    assert comparison.title in response.text
    assert comparison.lede in response.text
    assert comparison.get_absolute_url() in response.text
    assert draft.title not in response.text


def test_comparison_page_renders_every_section_from_the_database(client, comparison):
    first, second = comparison.ordered_concepts
    similarity = factories.add_similarity(comparison, title="Shared purpose", text="Both pursue one aim.")
    attribute = comparison.attributes.first()
    difference = factories.add_difference(comparison, attribute, title="Lasting or not", text="One lasts.")
    example = factories.make_example(first, name="NATO", start_year=1949, ongoing=True)
    response = client.get(comparison.get_absolute_url())
    page = response.text
    assert response.status_code == 200
    assert f'<h1 id="comparison-title">{comparison.title}</h1>' in page
    assert comparison.lede in page
    assert "<em>introduction</em>" in page  # the intro's Markdown, rendered
    assert first.definition in page and second.definition in page
    assert "<caption" in page and '<th scope="col">' in page and '<th scope="row">' in page
    for row in comparison.attributes.all():
        assert f'id="row-{row.slug}"' in page
        for cell in row.cells.all():
            assert cell.text in page
    assert similarity.title in page and similarity.text in page
    assert difference.title in page and f'href="#row-{attribute.slug}"' in page
    assert example.name in page and "1949–present" in page and example.source_url in page
    assert "<strong>between</strong>" in page  # the blur note's Markdown


def test_related_comparisons_are_linked_when_published(client, comparison):
    published = factories.make_comparison(title="Treaty vs. Convention")
    hidden = factories.make_comparison(title="Hidden draft", published=False)
    comparison.related.add(published, hidden)
    page = client.get(comparison.get_absolute_url()).text
    assert "Treaty vs. Convention" in page
    assert "Hidden draft" not in page


def test_unknown_comparison_is_404(client, db):
    assert client.get("/compare/no-such-thing/").status_code == 404


def test_unknown_concept_and_category_are_404(client, db):
    assert client.get("/concepts/no-such-thing/").status_code == 404
    assert client.get("/categories/no-such-thing/").status_code == 404


def test_a_draft_is_404_for_the_public(client, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_draft_is_404_for_a_logged_in_non_staff_user(client, draft):
    client.force_login(factories.make_user())
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_staff_preview_a_draft_with_a_banner(editor_client, draft):
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "draft-banner" in response.text


def test_published_pages_have_no_draft_banner(staff_client, comparison):
    assert "draft-banner" not in staff_client.get(comparison.get_absolute_url()).text


def test_comparison_page_needs_the_same_few_queries_at_any_size(client, db):
    small = factories.make_comparison(attributes=8)
    large = factories.make_comparison(attributes=40)
    for comparison in (small, large):
        comparison.related.add(factories.make_comparison(attributes=1))
        for concept in comparison.ordered_concepts:
            factories.make_example(concept)
        factories.add_similarity(comparison)
        factories.add_difference(comparison, comparison.attributes.first())
    small_count = queries_for(client, small.get_absolute_url())
    large_count = queries_for(client, large.get_absolute_url())
    assert small_count == large_count
    assert large_count <= 8  # the page cache's generation, then with_table()'s seven queries


def test_concept_page_shows_examples_and_comparisons(client, comparison):
    concept = comparison.ordered_concepts[0]
    example = factories.make_example(concept, name="Warsaw Pact", start_year=1955, end_year=1991)
    hidden = factories.make_comparison(concepts=[concept, factories.make_concept()], published=False, title="Hidden")
    page = client.get(concept.get_absolute_url()).text
    assert concept.definition in page
    assert f'id="example-{example.slug}"' in page and "1955–1991" in page
    assert comparison.get_absolute_url() in page
    assert hidden.title not in page


def test_category_page_lists_its_published_comparisons(client, comparison):
    other = factories.make_comparison(title="Elsewhere")
    page = client.get(comparison.category.get_absolute_url()).text
    assert comparison.title in page
    assert other.title not in page


def test_the_shipped_comparison_is_served(client, shipped_content):
    response = client.get("/compare/alliance-vs-coalition/")
    assert response.status_code == 200
    assert "Alliance vs. Coalition" in response.text
    assert response.text.count('<th scope="row">') >= 8


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<iframe src="https://evil.example"></iframe>',
    ],
)
def test_markdown_fields_never_carry_script_to_the_page(client, comparison, payload):
    comparison.intro = payload
    comparison.blur_note = payload
    comparison.save()
    concept = comparison.ordered_concepts[0]
    concept.description = payload
    concept.save()
    for url in (comparison.get_absolute_url(), concept.get_absolute_url()):
        page = client.get(url).text
        main = main_of(page)
        assert dangerous_markup(main) == []


def test_the_markup_check_sees_a_script(client):
    # The guard used above must catch what it looks for.
    assert dangerous_markup('<p>hi <img src="x" onerror="alert(1)"> <a href="javascript:x">y</a></p><iframe>') == [
        "<img onerror=...>",
        "<a href=javascript:x>",
        "<iframe>",
    ]


def test_plain_text_fields_are_escaped(client, comparison):
    comparison.lede = "<b>bold</b> & <script>x</script>"
    comparison.save()
    page = client.get(comparison.get_absolute_url()).text
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt;" in page


def test_a_concept_used_only_by_drafts_has_no_public_page(editor_client, draft):
    from django.test import Client

    concept = draft.ordered_concepts[0]
    assert Client().get(concept.get_absolute_url()).status_code == 404
    assert editor_client.get(concept.get_absolute_url()).status_code == 200


# {% versioned %}: parts of a page kept per comparison version


class Counter:
    def __init__(self):
        self.count = 0

    def __str__(self):
        self.count += 1
        return str(self.count)


class Versioned:
    def __init__(self, version):
        self.content_version = version


def render_versioned(comparison, part, counter):
    from django.template import engines

    source = '{% load explainer_tags %}{% versioned comparison "test" part %}{{ counter }}{% endversioned %}'
    return engines["django"].from_string(source).render({"comparison": comparison, "part": part, "counter": counter})


def test_a_versioned_part_is_rendered_once_per_version_and_part():
    counter = Counter()
    assert render_versioned(Versioned((1, 1)), "a", counter) == "1"
    assert render_versioned(Versioned((1, 1)), "a", counter) == "1"  # kept
    assert render_versioned(Versioned((1, 2)), "a", counter) == "2"  # a new version
    assert render_versioned(Versioned((1, 2)), "b", counter) == "3"  # another part


def test_a_part_without_a_version_is_rendered_every_time(settings):
    counter = Counter()
    assert render_versioned(object(), "a", counter) == "1"
    assert render_versioned(object(), "a", counter) == "2"
    settings.DEBUG = True  # templates may change under a running development server
    assert render_versioned(Versioned((1, 1)), "a", counter) == "3"
    assert render_versioned(Versioned((1, 1)), "a", counter) == "4"
