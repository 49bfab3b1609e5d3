"""Every control on an admin form has a name a screen reader can read, as the server renders it (the browser
test tests/browser/test_admin_pages.py runs axe on the pages as the admin's scripts leave them)."""

import re

import pytest
from django.urls import reverse

from explainer.models import WrongChoiceNote
from tests import factories

pytestmark = pytest.mark.django_db


def aria_label(html, element_id):
    match = re.search(rf'<[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    assert match, element_id
    label = re.search(r'aria-label="([^"]*)"', match.group())
    return label.group(1) if label else None


def test_a_tabular_inlines_fields_are_named_by_their_column_and_row(admin_client, draft):
    page = admin_client.get(reverse("admin:explainer_comparison_change", args=[draft.pk])).text
    link = draft.comparisonconcept_set.order_by("position").first()
    assert (
        aria_label(page, "id_comparisonconcept_set-0-position") == f"Column ({link})"
    )  # the field's label: its column heading
    assert aria_label(page, "id_comparisonconcept_set-0-DELETE") == f"Delete ({link})"
    row = draft.attributes.order_by("position").first()
    assert aria_label(page, "id_attributes-0-name") == f"Name ({row})"


def test_a_row_being_added_is_named_new(admin_client, draft):
    page = admin_client.get(reverse("admin:explainer_comparison_change", args=[draft.pk])).text
    # The template row that "Add another" copies.
    assert aria_label(page, "id_attributes-__prefix__-name") == "Name (new)"


def test_a_wrapped_select_in_a_tabular_inline_is_named_and_the_name_stays_with_its_row(admin_client):
    comparison = factories.make_quiz_comparison(published=False, per_concept=1)
    scenario = comparison.scenarios.first()
    wrong = comparison.concepts.exclude(pk=scenario.correct_concept_id).first()
    note = WrongChoiceNote.objects.create(scenario=scenario, concept=wrong, text="Not this one.")
    page = admin_client.get(reverse("admin:explainer_scenario_change", args=[scenario.pk])).text
    assert aria_label(page, "id_wrong_notes-0-concept") == f"Wrong concept ({note})"
    # The wrapper's attributes are shared by every row's copy: the next page load names its own row only.
    assert aria_label(page, "id_wrong_notes-__prefix__-concept") == "Wrong concept (new)"


def test_a_stacked_inlines_fields_keep_their_visible_label_as_their_name(admin_client, draft):
    factories.add_similarity(draft)
    page = admin_client.get(reverse("admin:explainer_comparison_change", args=[draft.pk])).text
    assert aria_label(page, "id_points-0-title") is None
    assert re.search(r'<label[^>]*for="id_points-0-title"', page)


def test_a_multiple_autocomplete_has_no_remove_all_cross(admin_client, draft):
    # Select2 puts that cross inside its list of choices, a <ul> that may hold only list items.
    page = admin_client.get(reverse("admin:explainer_comparison_change", args=[draft.pk])).text
    select = re.search(r'<select[^>]*name="related"[^>]*>', page).group()
    assert 'data-allow-clear="false"' in select


def test_every_admin_page_loads_the_script_that_names_the_controls_its_scripts_build(admin_client, draft):
    page = admin_client.get(reverse("admin:explainer_comparison_change", args=[draft.pk])).text
    assert re.search(r'<script src="[^"]*admin-a11y[^"]*\.js" defer>', page)
