"""The reader's side of issue 17: a comparison page you can skim, a home page that starts somewhere, tones.

Rendered pages are checked through the test client; layout (what is above the
fold, sticky headings, cards on a phone) is checked in tests/browser/test_skimming.py.
"""

import re

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string

from explainer.models import Attribute, Cell, Comparison
from tests import factories
from tests.html import main_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def comparison(db):
    """A two-concept comparison with headlines on its first row, two key rows and a key difference."""
    comparison = factories.make_comparison(
        concepts=2, attributes=4, one_line_test="Ask who owes what: a promise or a task."
    )
    rows = list(comparison.attributes.order_by("position"))
    first = rows[0]
    for cell in first.cells.all():
        cell.headline = f"Bold {cell.concept.name}"
        cell.save()
    Attribute.objects.filter(pk__in=[rows[0].pk, rows[2].pk]).update(is_key=True)
    factories.add_difference(comparison, rows[1], title="Promise vs. task", text="A sentence that repeats the row.")
    return Comparison.objects.with_table().get(pk=comparison.pk)


def page_of(client, comparison):
    response = client.get(comparison.get_absolute_url())
    assert response.status_code == 200
    return main_of(response.text)


def test_a_cell_shows_its_headline_in_bold_above_its_sentence(client, comparison):
    page = page_of(client, comparison)
    concept = comparison.ordered_concepts[0]
    assert re.search(
        rf'<strong class="cell-headline">Bold {concept.name}</strong> <span class="cell-text">{concept.name} on ', page
    )


def test_a_cell_without_a_headline_shows_just_its_sentence(client, comparison):
    page = page_of(client, comparison)
    rows = list(comparison.attributes.order_by("position"))
    row = page[page.index(f'id="row-{rows[1].slug}"') :]
    row = row[: row.index("</tr>")]
    assert "cell-headline" not in row and 'class="cell-text"' in row


def test_every_cell_names_its_concept_for_the_phone_cards(client, comparison):
    page = page_of(client, comparison)
    for concept in comparison.ordered_concepts:
        assert page.count(f'<span class="cell-concept"><span class="tone-mark"></span>{concept.name}</span>') == 4


def test_the_one_line_test_comes_first_and_the_lede_moves_below_the_table(client, comparison):
    page = page_of(client, comparison)
    test = page.index("Ask who owes what: a promise or a task.")
    assert test < page.index('class="takeaways"') < page.index("<table")
    assert page.index(comparison.lede) > page.index("</table>")


def test_without_a_one_line_test_the_lede_opens_the_page(client, comparison):
    Comparison.objects.filter(pk=comparison.pk).update(one_line_test="")
    page = page_of(client, comparison)
    assert "one-line-test" not in page
    assert page.index(comparison.lede) < page.index("<table")


def test_key_takeaways_show_the_marked_rows_headlines_linked_to_their_rows(client, comparison):
    page = page_of(client, comparison)
    box = page[page.index('class="takeaways"') : page.index('class="page-menu"')]
    rows = list(comparison.attributes.order_by("position"))
    assert f'href="#row-{rows[0].slug}"' in box and f'href="#row-{rows[2].slug}"' in box
    assert f'href="#row-{rows[1].slug}"' not in box  # not marked
    concept = comparison.ordered_concepts[0]
    assert f"Bold {concept.name}" in box  # the headline, where one is written
    assert f"{concept.name} on {rows[2].name}" in box  # otherwise the sentence


def test_key_takeaways_stop_at_three_rows(comparison):
    for _ in range(3):
        factories.add_attribute(comparison, is_key=True)
    comparison = Comparison.objects.with_table().get(pk=comparison.pk)
    assert len(comparison.key_rows()) == 3


def test_no_takeaways_box_without_marked_rows(client, comparison):
    Attribute.objects.filter(comparison=comparison).update(is_key=False)
    assert "takeaways" not in page_of(client, comparison)


def test_the_page_menu_links_only_to_sections_the_page_has(client, comparison):
    page = page_of(client, comparison)
    menu = page[page.index('class="page-menu"') : page.index("</nav>", page.index('class="page-menu"'))]
    targets = re.findall(r'href="#([\w-]+)"', menu)
    assert {"table", "definitions", "differences", "examples", "blur"} <= set(targets)
    assert "similarities" not in targets  # this comparison has none
    for target in targets:
        assert f'id="{target}"' in page
    assert f'href="/compare/{comparison.slug}/quiz/"' in menu


def test_key_differences_link_to_their_row_instead_of_repeating_it(client, comparison):
    page = page_of(client, comparison)
    section = page[page.index('id="differences"') :]
    section = section[: section.index("</section>")]
    row = comparison.attributes.order_by("position")[1]
    assert f'<a href="#row-{row.slug}"><strong>Promise vs. task</strong></a>' in section
    assert "A sentence that repeats the row." not in page
    assert f'id="row-{row.slug}"' in page


def test_each_concept_has_one_tone_in_table_takeaways_definitions_and_examples(client, comparison):
    page = page_of(client, comparison)
    first, second = comparison.ordered_concepts
    assert '<th scope="col" class="tone-1"><span class="tone-mark"></span>' + first.name in page
    assert '<th scope="col" class="tone-2"><span class="tone-mark"></span>' + second.name in page
    box = page[page.index('class="takeaways"') : page.index('class="page-menu"')]
    assert re.search(
        rf'<li class="tone-1"><span class="tone-mark"></span><span class="takeaway-concept">{first.name}', box
    )
    assert re.search(r'<div class="definition tone-2">', page)
    assert re.search(rf'<section class="tone-1" aria-labelledby="examples-{first.slug}">', page)


def test_tone_of_is_the_concepts_column_and_zero_for_a_stranger(comparison, django_assert_num_queries):
    first, second = comparison.ordered_concepts
    stranger = factories.make_concept()
    with django_assert_num_queries(0):  # with_table() prefetched the columns
        assert [comparison.tone_of(first), comparison.tone_of(second), comparison.tone_of(stranger)] == [1, 2, 0]
        assert comparison.tone_of(second.pk) == 2


def test_the_concept_tone_tag_gives_the_number_for_a_class(comparison):
    second = comparison.ordered_concepts[1]
    html = Template("{% load explainer_tags %}{% concept_tone c k as t %}tone-{{ t }}").render(
        Context({"c": comparison, "k": second})
    )
    assert html == "tone-2"


def test_a_fourth_concept_starts_the_palette_again(db):
    comparison = Comparison.objects.with_table().get(pk=factories.make_comparison(concepts=4).pk)
    assert [comparison.tone_of(c) for c in comparison.ordered_concepts] == [1, 2, 3, 1]


def test_headlines_are_escaped(client, comparison):
    Cell.objects.filter(attribute__comparison=comparison).update(headline="<script>alert(1)</script>")
    page = page_of(client, comparison)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_comparison_page_still_takes_a_fixed_number_of_queries(client, comparison):
    from tests.queries import queries_for

    for _ in range(5):
        factories.add_attribute(comparison, is_key=True)
    assert queries_for(client, comparison.get_absolute_url()) <= 8


# The home page


@pytest.fixture
def shelf(db):
    """The flagship and two more comparisons in two categories."""
    first_category = factories.make_category(name="International relations", slug="ir", position=1)
    second_category = factories.make_category(name="Civics", slug="civics", position=2)
    flagship = factories.make_comparison(
        slug="alliance-vs-coalition",
        title="Alliance vs. Coalition",
        category=first_category,
        one_line_test="Promise or task?",
    )
    neighbour = factories.make_comparison(
        title="Treaty vs. Pact", category=first_category, one_line_test="Senate or not?"
    )
    civic = factories.make_comparison(title="Lobbying vs. Advocacy", category=second_category)
    return {"flagship": flagship, "neighbour": neighbour, "civic": civic}


def home(client):
    response = client.get("/")
    assert response.status_code == 200
    return main_of(response.text)


def test_home_starts_with_the_flagship_as_start_here(client, shelf):
    page = home(client)
    start = page[page.index('class="start-here"') : page.index('id="comparisons"')]
    assert "Start here" in start and "Alliance vs. Coalition" in start and "Promise or task?" in start
    assert page.index('class="start-here"') < page.index("Treaty vs. Pact")


def test_home_shows_each_comparison_once_as_a_card_with_its_test_and_its_quiz(client, shelf):
    page = home(client)
    for comparison in shelf.values():
        assert page.count(f'id="card-{comparison.slug}"') == 1
        assert page.count(f'href="/compare/{comparison.slug}/quiz/"') == 1
    assert "Senate or not?" in page
    assert shelf["civic"].lede in page  # no one-line test written: the lede stands in
    assert "newest-heading" not in page  # the repeated "New and updated" list is gone


def test_home_groups_the_cards_by_category_in_category_order(client, shelf):
    page = home(client)
    groups = page[page.index('id="comparisons"') :]
    assert groups.index("International relations") < groups.index("Treaty vs. Pact") < groups.index("Civics")
    assert groups.index("Civics") < groups.index("Lobbying vs. Advocacy")


def test_without_the_flagship_the_first_comparison_starts_the_home_page(client, shelf):
    shelf["flagship"].delete()
    page = home(client)
    start = page[page.index('class="start-here"') : page.index('id="comparisons"')]
    assert "Treaty vs. Pact" in start
    assert page.count('id="card-') == 2


def test_home_with_nothing_published_says_so(client, db):
    assert "No comparisons are published yet." in home(client)


def test_the_review_block_renders_nothing_without_a_count():
    assert render_to_string("includes/review_due.html", {}).strip() == ""
