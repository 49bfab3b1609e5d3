"""Two editors on the one-screen table, as on every change form (explainer.editing): a save from a stale copy keeps
what only the other editor changed, shows what both changed, and each sees who else has the table open."""

import pytest
from django import forms
from django.urls import reverse

from explainer.admin.table import delete_name, field_name, headline_name, position_name
from explainer.models import Attribute, Cell
from tests import factories

pytestmark = pytest.mark.django_db


def table_url(comparison):
    return reverse("admin:explainer_comparison_table", args=[comparison.pk])


def sent_from(response):
    """What the browser sends from the table form on `response` (opened, or shown again after a refusal)."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    return data


def cell(comparison, row=0, column=0):
    attribute = list(comparison.attributes.order_by("position"))[row]
    return attribute, comparison.ordered_concepts[column]


def text_of(attribute, concept):
    found = Cell.objects.filter(attribute=attribute, concept=concept).first()
    return found.text if found else ""


def test_two_editors_change_different_cells_and_both_changes_stay(ana, ben, draft):
    anas, bens = sent_from(ana.get(table_url(draft))), sent_from(ben.get(table_url(draft)))
    first, second = cell(draft, 0, 0), cell(draft, 1, 1)

    assert ana.post(table_url(draft), anas | {field_name(*first): "Ana's cell."}).status_code == 302
    response = ben.post(table_url(draft), bens | {field_name(*second): "Ben's cell."})

    assert response.status_code == 302
    assert text_of(*first) == "Ana's cell."  # Ben's stale copy of it was not written back
    assert text_of(*second) == "Ben's cell."
    assert "their change was kept with yours" in ben.get(table_url(draft)).text


def test_the_same_cell_changed_by_both_is_refused_showing_theirs_beside_mine_and_saving_nothing(ana, ben, draft):
    anas, bens = sent_from(ana.get(table_url(draft))), sent_from(ben.get(table_url(draft)))
    shared, own = cell(draft, 0, 0), cell(draft, 2, 1)
    assert ana.post(table_url(draft), anas | {field_name(*shared): "Ana's text."}).status_code == 302

    response = ben.post(table_url(draft), bens | {field_name(*shared): "Ben's text.", field_name(*own): "Ben's too."})

    assert response.status_code == 409
    page = response.text
    assert "Ana changed this at" in page and "Theirs: “Ana&#x27;s text.”" in page
    assert "Ben&#x27;s text." in page and "Ben&#x27;s too." in page  # both of Ben's texts are still in their boxes
    assert text_of(*shared) == "Ana's text."
    assert text_of(*own) != "Ben's too."  # nothing saved while a box is in conflict


def test_after_a_refusal_saving_again_keeps_the_editors_choice_and_the_other_editors_untouched_changes(ana, ben, draft):
    anas, bens = sent_from(ana.get(table_url(draft))), sent_from(ben.get(table_url(draft)))
    shared, anas_only = cell(draft, 0, 0), cell(draft, 1, 0)
    changes = {field_name(*shared): "Ana's text.", field_name(*anas_only): "Only Ana touched this."}
    assert ana.post(table_url(draft), anas | changes).status_code == 302
    refused = ben.post(table_url(draft), bens | {field_name(*shared): "Ben's text."})
    assert refused.status_code == 409

    again = sent_from(refused)
    assert again[field_name(*anas_only)] == "Only Ana touched this."  # shown in its box, not Ben's stale copy
    assert ben.post(table_url(draft), again).status_code == 302

    assert text_of(*shared) == "Ben's text."
    assert text_of(*anas_only) == "Only Ana touched this."


def test_a_row_added_by_the_other_editor_meanwhile_keeps_its_cells(ana, ben, draft):
    bens = sent_from(ben.get(table_url(draft)))
    assert ana.post(table_url(draft), sent_from(ana.get(table_url(draft))) | {"new_row": "Cost"}).status_code == 302
    added = Attribute.objects.get(comparison=draft, name="Cost")
    anas = sent_from(ana.get(table_url(draft)))
    concept = draft.ordered_concepts[0]
    assert ana.post(table_url(draft), anas | {field_name(added, concept): "Paid by all."}).status_code == 302

    response = ben.post(table_url(draft), bens | {field_name(*cell(draft, 0, 0)): "Ben's cell."})

    assert response.status_code == 302
    assert text_of(added, concept) == "Paid by all."
    assert text_of(*cell(draft, 0, 0)) == "Ben's cell."


def test_typing_in_a_row_the_other_editor_deleted_meanwhile_is_refused_with_the_typing_shown(ana, ben, draft):
    bens = sent_from(ben.get(table_url(draft)))
    doomed = cell(draft, 1, 0)
    name = doomed[0].name
    assert (
        ana.post(table_url(draft), sent_from(ana.get(table_url(draft))) | {delete_name(doomed[0]): "on"}).status_code
        == 302
    )

    response = ben.post(table_url(draft), bens | {field_name(*doomed): "Typed into a row now gone."})

    assert response.status_code == 400
    assert f"Someone else deleted the row “{name}”" in response.text
    assert "Typed into a row now gone." in response.text
    assert not Attribute.objects.filter(pk=doomed[0].pk).exists()


def test_a_row_deleted_meanwhile_that_the_editor_left_alone_does_not_stop_the_save(ana, ben, draft):
    bens = sent_from(ben.get(table_url(draft)))
    doomed = cell(draft, 1, 0)[0]
    assert (
        ana.post(table_url(draft), sent_from(ana.get(table_url(draft))) | {delete_name(doomed): "on"}).status_code
        == 302
    )

    assert ben.post(table_url(draft), bens | {field_name(*cell(draft, 0, 0)): "Ben's cell."}).status_code == 302
    assert text_of(*cell(draft, 0, 0)) == "Ben's cell."
    assert draft.attributes.count() == 2


def test_deleting_a_row_whose_cells_the_other_editor_changed_meanwhile_asks_first(ana, ben, draft):
    anas, bens = sent_from(ana.get(table_url(draft))), sent_from(ben.get(table_url(draft)))
    row, concept = cell(draft, 2, 1)
    assert ana.post(table_url(draft), anas | {field_name(row, concept): "Ana rewrote this."}).status_code == 302

    refused = ben.post(table_url(draft), bens | {delete_name(row): "on"})

    assert refused.status_code == 409
    assert "a change to this row&#x27;s cells" in refused.text
    assert Attribute.objects.filter(pk=row.pk).exists()
    again = sent_from(refused)
    assert again[field_name(row, concept)] == "Ana rewrote this."  # what Ana wrote is on screen now
    assert ben.post(table_url(draft), again).status_code == 302  # the tick box is still ticked
    assert not Attribute.objects.filter(pk=row.pk).exists()


def test_deleting_a_row_whose_cell_both_editors_changed_alike_is_not_asked(ana, ben, draft):
    anas, bens = sent_from(ana.get(table_url(draft))), sent_from(ben.get(table_url(draft)))
    row, concept = cell(draft, 2, 1)
    assert ana.post(table_url(draft), anas | {field_name(row, concept): "The same fix."}).status_code == 302

    response = ben.post(table_url(draft), bens | {field_name(row, concept): "The same fix.", delete_name(row): "on"})

    assert response.status_code == 302  # Ana changed nothing Ben has not seen: nothing to ask
    assert not Attribute.objects.filter(pk=row.pk).exists()


def test_rows_moved_by_the_other_editor_stay_where_they_put_them(ana, ben, draft):
    bens = sent_from(ben.get(table_url(draft)))
    first, second, third = draft.attributes.order_by("position")
    moves = {position_name(first): "3", position_name(second): "1", position_name(third): "2"}
    assert ana.post(table_url(draft), sent_from(ana.get(table_url(draft))) | moves).status_code == 302

    assert ben.post(table_url(draft), bens | {headline_name(*cell(draft, 0, 0)): "Ben's headline"}).status_code == 302

    assert list(draft.attributes.order_by("position")) == [second, third, first]
    assert Cell.objects.filter(headline="Ben's headline").count() == 1


def test_each_editor_sees_who_else_has_the_table_open(ana, ben, draft):
    assert "is editing this since" not in ana.get(table_url(draft)).text
    page = ben.get(table_url(draft)).text
    assert "Ana is editing this since" in page
    assert "Ben is editing" not in page


def test_the_change_form_open_elsewhere_is_not_taken_for_the_table(ana, ben, draft):
    ana.get(reverse("admin:explainer_comparison_change", args=[draft.pk]))
    assert "is editing this since" not in ben.get(table_url(draft)).text


def test_a_live_table_records_nobody_as_editing(ana, ben):
    live = factories.make_comparison()
    ana.get(table_url(live))
    assert "is editing this since" not in ben.get(table_url(live)).text
