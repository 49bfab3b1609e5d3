"""The content model: invariants the database enforces, and model behaviour."""

import pytest
from django.db import IntegrityError, transaction

from explainer.models import Cell, Comparison, Point
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_second_cell_for_the_same_attribute_and_concept_is_refused(comparison):
    attribute = comparison.attributes.first()
    concept = comparison.ordered_concepts[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Cell.objects.create(attribute=attribute, concept=concept, text="again")


def test_comparison_slugs_are_unique(comparison):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_comparison(slug=comparison.slug)


def test_attribute_slugs_are_unique_within_a_comparison(comparison):
    slug = comparison.attributes.first().slug
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.add_attribute(comparison, slug=slug)


def test_the_same_attribute_slug_may_appear_in_two_comparisons(comparison):
    other = factories.make_comparison(attributes=0)
    factories.add_attribute(other, slug=comparison.attributes.first().slug)
    assert other.attributes.count() == 1


def test_a_concept_appears_once_per_comparison(comparison):
    concept = comparison.ordered_concepts[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        comparison.comparisonconcept_set.create(concept=concept, position=9)


def test_a_key_difference_must_name_an_attribute(comparison):
    with pytest.raises(IntegrityError), transaction.atomic():
        Point.objects.create(comparison=comparison, kind=Point.Kind.DIFFERENCE, title="t", text="x")


def test_a_similarity_names_no_attribute(comparison):
    attribute = comparison.attributes.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Point.objects.create(
            comparison=comparison, kind=Point.Kind.SIMILARITY, attribute=attribute, title="t", text="x"
        )


def test_an_example_cannot_end_before_it_starts(comparison):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_example(comparison.ordered_concepts[0], start_year=2000, end_year=1999)


def test_a_published_comparison_gets_a_publication_date(db):
    comparison = factories.make_comparison(published=False)
    assert comparison.published_at is None
    comparison.status = Comparison.Status.PUBLISHED
    comparison.save()
    assert comparison.published_at is not None


def test_the_database_refuses_a_published_comparison_without_a_date(comparison):
    with pytest.raises(IntegrityError), transaction.atomic():
        Comparison.objects.filter(pk=comparison.pk).update(published_at=None)


def test_models_name_themselves_and_their_page(comparison):
    attribute = comparison.attributes.first()
    concept = comparison.ordered_concepts[0]
    example = factories.make_example(concept, name="NATO", slug="nato")
    assert str(comparison) == comparison.title
    assert comparison.get_absolute_url() == f"/compare/{comparison.slug}/"
    assert concept.get_absolute_url() == f"/concepts/{concept.slug}/"
    assert attribute.get_absolute_url() == f"/compare/{comparison.slug}/#row-{attribute.slug}"
    assert example.get_absolute_url() == f"/concepts/{concept.slug}/#example-nato"
    assert str(attribute.cells.first()) == f"{attribute.name} × {concept.name}"
    assert comparison.category.get_absolute_url() == f"/categories/{comparison.category.slug}/"


@pytest.mark.parametrize(
    ("start", "end", "ongoing", "shown"),
    [
        (1949, None, True, "1949–present"),
        (1987, None, False, "1987"),
        (1955, 1991, False, "1955–1991"),
        (2010, 2010, False, "2010"),
    ],
)
def test_example_period_reads_naturally(comparison, start, end, ongoing, shown):
    example = factories.make_example(comparison.ordered_concepts[0], start_year=start, end_year=end, ongoing=ongoing)
    assert example.period == shown


def test_table_rows_follow_column_and_row_order(db):
    first, second = factories.make_concept(name="Zed"), factories.make_concept(name="Alpha")
    comparison = factories.make_comparison(concepts=[first, second], attributes=0)
    # Created last-first, so only `position` (not the creation order or the name) can put them right.
    factories.add_attribute(comparison, name="Bottom", position=2)
    factories.add_attribute(comparison, name="Top", position=1)
    rows = Comparison.objects.with_table().get(pk=comparison.pk).table_rows()
    assert [row.attribute.name for row in rows] == ["Top", "Bottom"]
    assert rows[0].cells == ["Zed on Top", "Alpha on Top"]


def test_a_missing_cell_reads_as_empty(comparison):
    attribute = comparison.attributes.first()
    attribute.cells.first().delete()
    row = next(
        r for r in Comparison.objects.with_table().get(pk=comparison.pk).table_rows() if r.attribute == attribute
    )
    assert row.cells[0] == ""
    assert row.cells[1] != ""


def test_a_complete_comparison_has_nothing_missing_for_publication(comparison):
    factories.complete(comparison, quiz=True)
    assert comparison.missing_for_publication() == []


def test_a_full_table_alone_is_not_enough_to_publish(comparison):
    problems = " ".join(str(p) for p in comparison.missing_for_publication())
    assert "at least 3 similarities (it has 0)" in problems
    assert "at least 3 key differences (it has 0)" in problems
    assert "at least 4 examples (it has 0)" in problems
    assert "at least 30 published scenarios (it has 0)" in problems
    assert "keyed to each concept" in problems


def test_no_quiz_yet_lifts_the_quiz_minimum(comparison):
    factories.complete(comparison, quiz=False)
    assert comparison.missing_for_publication() == []


def test_a_three_concept_quiz_needs_24_scenarios_and_6_per_concept(db):
    comparison = factories.make_quiz_comparison(concepts=3, per_concept=8)
    assert not any("scenarios" in str(p) for p in comparison.missing_for_publication())
    first = comparison.scenarios.filter(correct_concept=comparison.ordered_concepts[0])
    first.filter(pk__in=list(first.values_list("pk", flat=True)[:3])).update(is_published=False)
    problems = " ".join(str(p) for p in comparison.missing_for_publication())
    assert f"too few for: {comparison.ordered_concepts[0].name}" in problems
    assert "at least 24 published scenarios (it has 21)" in problems


def test_missing_for_publication_names_each_problem(db):
    lonely = factories.make_concept(name="Lonely", definition="")
    comparison = factories.make_comparison(concepts=[lonely], attributes=1, published=False)
    comparison.attributes.first().cells.all().delete()
    problems = " ".join(str(p) for p in comparison.missing_for_publication())
    assert "at least two concepts" in problems
    assert "“Lonely” has no definition" in problems
    assert "has empty cells" in problems
