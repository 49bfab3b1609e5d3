"""Editors never lose what they typed: what the database would refuse is a form error, and the
publishing checklist tells the truth."""

import pytest
from django.urls import reverse

from explainer.models import Attribute, Comparison, KeyDifference, Point
from tests import admin_forms, factories

pytestmark = pytest.mark.django_db


def change_url(comparison):
    return reverse("admin:explainer_comparison_change", args=[comparison.pk])


def test_a_key_difference_without_its_row_is_a_form_error_and_everything_typed_stays(editor_client):
    draft = factories.make_comparison(published=False)
    url, data, _prefix = _row_and_difference_typed(editor_client, draft)

    response = editor_client.post(url, data | {"_continue": "1"})

    assert response.status_code == 200
    assert "Choose the table row this difference is about" in response.text
    assert "Shelf life" in response.text and "Typed with care." in response.text
    assert not Attribute.objects.filter(comparison=draft, name="Shelf life").exists()
    assert not Point.objects.filter(comparison=draft, title="How long it keeps").exists()


def test_a_new_comparison_form_has_nothing_to_confirm(editor_client):
    page = editor_client.get(reverse("admin:explainer_comparison_add")).text
    assert "Publish even though the quiz breaks a rule" not in page


def test_a_refused_publication_returns_to_the_comparisons_own_form(editor_client):
    draft = factories.make_comparison(published=False)
    url = change_url(draft)
    response = editor_client.post(url, admin_forms.change_form_data(editor_client, url, status="published"))
    assert response.status_code == 302
    assert response["Location"] == url + "#readiness"
    draft.refresh_from_db()
    assert draft.status == Comparison.Status.DRAFT


def test_with_one_concept_the_checklist_asks_for_a_two_concept_quiz(db):
    comparison = factories.make_comparison(concepts=1, published=False)
    quiz = next(check for check in comparison.publication_checks() if check.key == "quiz")
    assert any("at least 30 published scenarios" in str(problem) for problem in quiz.problems)


def test_without_concepts_the_definitions_line_is_not_ticked(db):
    comparison = factories.make_comparison(concepts=0, published=False)
    definitions = next(check for check in comparison.publication_checks() if check.key == "definitions")
    assert not definitions.done


def test_a_scenario_added_from_a_checklist_offers_notes_only_on_that_comparisons_concepts(editor_client):
    comparison = factories.make_comparison(published=False)
    factories.make_concept(name="Unrelated idea")
    response = editor_client.get(reverse("admin:explainer_scenario_add") + f"?comparison={comparison.pk}")
    inline = next(i for i in response.context["inline_admin_formsets"] if i.formset.model.__name__ == "WrongChoiceNote")
    offered = {str(c) for c in inline.formset.forms[0].fields["concept"].queryset}
    assert offered == {str(c) for c in comparison.ordered_concepts}


def test_the_scenario_list_shows_each_scenarios_text(editor_client):
    comparison = factories.make_quiz_comparison(per_concept=1)
    scenario = comparison.scenarios.first()
    page = editor_client.get(reverse("admin:explainer_scenario_changelist")).text
    assert scenario.text.split()[0] in page and " ".join(scenario.text.split()[:6]) in page


def _row_and_difference_typed(editor_client, comparison):
    url = change_url(comparison)
    data = admin_forms.change_form_data(editor_client, url)
    rows = admin_forms.formset_prefix(editor_client, url, Attribute)
    differences = admin_forms.formset_prefix(editor_client, url, KeyDifference)
    admin_forms.add_inline_form(data, rows, name="Shelf life", slug="shelf-life", position="0")
    admin_forms.add_inline_form(data, differences, title="How long it keeps", text="Typed with care.", position="0")
    return url, data, differences


def test_after_a_refused_save_a_key_difference_offers_the_row_typed_with_it(editor_client):
    draft = factories.make_comparison(published=False)
    url, data, _prefix = _row_and_difference_typed(editor_client, draft)

    response = editor_client.post(url, data | {"_continue": "1"})

    assert response.status_code == 200
    inline = next(i for i in response.context["inline_admin_formsets"] if i.formset.model is KeyDifference)
    offered = dict(inline.formset.forms[-1].fields["attribute"].choices)
    assert offered["new:shelf-life"] == "Shelf life (new, typed on this form)"
    assert '<option value="new:shelf-life">Shelf life (new, typed on this form)</option>' in response.text


def test_a_key_difference_tied_to_a_row_typed_in_the_same_save_is_saved_with_it(editor_client):
    draft = factories.make_comparison(published=False)
    url, data, differences = _row_and_difference_typed(editor_client, draft)
    index = int(data[f"{differences}-TOTAL_FORMS"]) - 1

    response = editor_client.post(url, data | {f"{differences}-{index}-attribute": "new:shelf-life", "_continue": "1"})

    assert response.status_code == 302, response.context and response.context["errors"]
    row = Attribute.objects.get(comparison=draft, slug="shelf-life")
    difference = KeyDifference.objects.get(comparison=draft, title="How long it keeps")
    assert difference.attribute == row


def test_a_new_comparison_saves_its_typed_row_and_the_difference_about_it_at_once(editor_client):
    url = reverse("admin:explainer_comparison_add")
    page = editor_client.get(url)
    data = {}
    admin_forms._add_form(data, page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        admin_forms._add_form(data, inline.formset.management_form)
    category = factories.make_category()
    data |= {"title": "Sleet vs. hail", "slug": "sleet-vs-hail", "category": category.pk, "status": "draft"}
    data |= {"lede": "Both are ice.", "related": []}
    admin_forms.add_inline_form(data, "attributes", name="Season", slug="season", position="0")
    admin_forms.add_inline_form(
        data, "points-2", title="When it falls", text="Sleet in winter.", position="0", attribute="new:season"
    )

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    comparison = Comparison.objects.get(slug="sleet-vs-hail")
    assert comparison.points.get(title="When it falls").attribute == comparison.attributes.get(slug="season")


def test_a_typed_row_that_is_not_on_the_form_is_a_form_error(editor_client):
    draft = factories.make_comparison(published=False)
    url, data, differences = _row_and_difference_typed(editor_client, draft)
    index = int(data[f"{differences}-TOTAL_FORMS"]) - 1

    response = editor_client.post(url, data | {f"{differences}-{index}-attribute": "new:nowhere"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.text and "Typed with care." in response.text
    assert not Attribute.objects.filter(comparison=draft, slug="shelf-life").exists()


def test_an_existing_key_difference_can_move_to_a_row_typed_in_the_same_save(editor_client):
    comparison = factories.make_comparison(published=False)
    difference = factories.add_difference(comparison, comparison.attributes.first())
    url = change_url(comparison)
    data = admin_forms.change_form_data(editor_client, url)
    rows = admin_forms.formset_prefix(editor_client, url, Attribute)
    differences = admin_forms.formset_prefix(editor_client, url, KeyDifference)
    admin_forms.add_inline_form(data, rows, name="Shelf life", slug="shelf-life", position="0")

    response = editor_client.post(url, data | {f"{differences}-0-attribute": "new:shelf-life"})

    assert response.status_code == 302
    difference.refresh_from_db()
    assert difference.attribute == Attribute.objects.get(comparison=comparison, slug="shelf-life")
