"""Two editors at once: a save from a stale copy never overwrites the other editor, and each sees who else is there."""

import pytest
from django.urls import reverse

from explainer.models import Comparison, Concept, KeyDifference, Point, Scenario, Similarity
from tests import admin_forms, factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(db):
    return factories.complete(factories.make_comparison(published=False), quiz=True)


def change_url(obj):
    return reverse(f"admin:explainer_{obj._meta.model_name}_change", args=[obj.pk])


def data_from(response):
    """What the browser would send again from a re-rendered (bound) change form."""
    data = {}
    admin_forms._add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        admin_forms._add_form(data, inline.formset.management_form)
        for form in inline.formset.forms:
            admin_forms._add_form(data, form)
    return data


def test_two_editors_change_different_fields_of_one_form_and_both_changes_stay(ana, ben, draft):
    url = change_url(draft)
    anas, bens = admin_forms.change_form_data(ana, url), admin_forms.change_form_data(ben, url)

    assert ana.post(url, anas | {"lede": "Ana's lede."}).status_code == 302
    response = ben.post(url, bens | {"one_line_test": "Ben's one-line test."})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.lede, draft.one_line_test) == ("Ana's lede.", "Ben's one-line test.")
    page = ben.get(url).text
    assert "their change was kept with yours" in page


def test_the_same_field_changed_twice_is_refused_showing_both_then_the_editor_chooses(ana, ben, draft):
    url = change_url(draft)
    anas, bens = admin_forms.change_form_data(ana, url), admin_forms.change_form_data(ben, url)
    assert ana.post(url, anas | {"lede": "Ana's lede."}).status_code == 302

    response = ben.post(url, bens | {"lede": "Ben's lede.", "one_line_test": "Ben's test."})

    assert response.status_code == 200
    assert "ana changed this at" in response.text.lower() and "Ana&#x27;s lede." in response.text
    assert "Ben&#x27;s lede." in response.text  # still in the box
    draft.refresh_from_db()
    assert (draft.lede, draft.one_line_test) == ("Ana's lede.", "")  # nothing of Ben's saved yet

    again = ben.post(url, data_from(response))

    assert again.status_code == 302
    draft.refresh_from_db()
    assert (draft.lede, draft.one_line_test) == ("Ben's lede.", "Ben's test.")


def test_inline_items_changed_by_two_editors_are_merged_item_by_item(ana, ben, draft):
    url = change_url(draft)
    prefix = admin_forms.formset_prefix(ana, url, Similarity)
    anas, bens = admin_forms.change_form_data(ana, url), admin_forms.change_form_data(ben, url)
    first, second = (Point.objects.get(pk=anas[f"{prefix}-{i}-id"]) for i in (0, 1))

    assert ana.post(url, anas | {f"{prefix}-0-text": "Ana's similarity."}).status_code == 302
    assert ben.post(url, bens | {f"{prefix}-1-title": "Ben's title"}).status_code == 302

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.text == "Ana's similarity."
    assert second.title == "Ben's title"


@pytest.mark.parametrize("kind", ["scenario", "concept"])
def test_every_change_form_merges_a_stale_save(ana, ben, draft, kind):
    obj = draft.scenarios.first() if kind == "scenario" else draft.ordered_concepts[0]
    first, second = ("text", "explanation") if kind == "scenario" else ("definition", "description")
    url = change_url(obj)
    anas, bens = admin_forms.change_form_data(ana, url), admin_forms.change_form_data(ben, url)

    assert ana.post(url, anas | {first: "Ana typed this."}).status_code == 302
    assert ben.post(url, bens | {second: "Ben typed this."}).status_code == 302

    obj = type(obj).objects.get(pk=obj.pk)
    assert (getattr(obj, first), getattr(obj, second)) == ("Ana typed this.", "Ben typed this.")


def test_a_form_whose_object_was_deleted_meanwhile_is_a_form_error(ana, ben, draft):
    scenario = draft.scenarios.first()
    url = change_url(scenario)
    bens = admin_forms.change_form_data(ben, url)
    Scenario.objects.filter(pk=scenario.pk).delete()
    response = ben.post(url, bens | {"text": "Typed too late."})
    assert response.status_code < 500
    assert not Scenario.objects.filter(text="Typed too late.").exists()


def test_a_key_difference_row_changed_by_another_editor_is_kept(ana, ben, draft):
    url = change_url(draft)
    prefix = admin_forms.formset_prefix(ana, url, KeyDifference)
    anas, bens = admin_forms.change_form_data(ana, url), admin_forms.change_form_data(ben, url)
    other_row = draft.attributes.exclude(pk=anas[f"{prefix}-0-attribute"]).first()
    difference = KeyDifference.objects.get(pk=anas[f"{prefix}-0-id"])

    assert ana.post(url, anas | {f"{prefix}-0-attribute": other_row.pk}).status_code == 302
    assert ben.post(url, bens | {"lede": "Ben's lede."}).status_code == 302

    difference.refresh_from_db()
    assert difference.attribute == other_row
    assert Comparison.objects.get(pk=draft.pk).lede == "Ben's lede."


def test_each_editor_sees_who_else_has_the_form_open(ana, ben, draft):
    url = change_url(draft)
    assert "is editing this since" not in ana.get(url).text
    page = ben.get(url).text.lower()
    assert "ana is editing this since" in page
    assert "ben is editing" not in page
    # Leaving by saving ends the notice for the others.
    assert ben.post(url, admin_forms.change_form_data(ben, url) | {"_save": "1"}).status_code == 302
    assert "ben is editing" not in ana.get(url).text.lower()


def test_a_read_only_live_page_has_no_hidden_base_and_no_notice(ana, ben):
    live = factories.complete(factories.make_comparison(), quiz=True)
    ana.get(change_url(live))
    page = ben.get(change_url(live)).text
    assert "edit_base" not in page and "is editing this since" not in page
    concept = Concept.objects.filter(comparisons=live).first()
    assert "edit_base" not in ben.get(change_url(concept)).text
