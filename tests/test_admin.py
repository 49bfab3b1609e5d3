"""Every model can be found and edited in the admin by an editor."""

import uuid

import pytest
from django.contrib import admin
from django.urls import reverse

from explainer.models import Cell, LtiAttempt, Report, Response
from tests import factories

pytestmark = pytest.mark.django_db

EXPLAINER_MODELS = [model for model in admin.site._registry if model._meta.app_label == "explainer"]
EDITABLE_MODELS = [model for model in EXPLAINER_MODELS if model not in (Response, Report, LtiAttempt)]
# A learner's LTI attempt needs a registered platform: its change form is tested in tests/test_lti_setup.py.
CHANGEABLE_MODELS = [model for model in EXPLAINER_MODELS if model is not LtiAttempt]


@pytest.mark.parametrize("model", EXPLAINER_MODELS, ids=lambda m: m._meta.model_name)
def test_changelist_opens(admin_client, comparison, model):
    url = reverse(f"admin:explainer_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("model", EDITABLE_MODELS, ids=lambda m: m._meta.model_name)
def test_add_form_opens(admin_client, model):
    url = reverse(f"admin:explainer_{model._meta.model_name}_add")
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("model", CHANGEABLE_MODELS, ids=lambda m: m._meta.model_name)
def test_change_form_opens(admin_client, comparison, model):
    factories.add_similarity(comparison)
    factories.add_difference(comparison, comparison.attributes.first())
    factories.make_example(comparison.ordered_concepts[0])
    scenario = factories.make_scenario(comparison)
    Response.objects.create(round_id=uuid.uuid4(), scenario=scenario, chosen=scenario.correct_concept, is_correct=True)
    Report.objects.create(comparison=comparison, message="A wrong date.", visitor="abc")
    obj = model._default_manager.first()
    assert obj is not None
    url = reverse(f"admin:explainer_{model._meta.model_name}_change", args=[obj.pk])
    assert admin_client.get(url).status_code == 200


def test_comparison_changelist_shows_status_and_row_count(admin_client, comparison):
    page = admin_client.get(reverse("admin:explainer_comparison_changelist")).text
    assert comparison.title in page
    assert "Published" in page
    assert f'<td class="field-attribute_count">{comparison.attributes.count()}</td>' in page


def test_a_cell_edited_in_the_admin_shows_on_the_preview(admin_client, draft):
    comparison = draft
    attribute = comparison.attributes.first()
    cells = list(attribute.cells.order_by("concept_id"))
    data = {
        "comparison": comparison.pk,
        "name": attribute.name,
        "slug": attribute.slug,
        "question": attribute.question,
        "position": attribute.position,
        "cells-TOTAL_FORMS": len(cells),
        "cells-INITIAL_FORMS": len(cells),
        "cells-MIN_NUM_FORMS": 0,
        "cells-MAX_NUM_FORMS": 1000,
    }
    for i, cell in enumerate(cells):
        data |= {f"cells-{i}-id": cell.pk, f"cells-{i}-attribute": attribute.pk, f"cells-{i}-concept": cell.concept_id}
        data[f"cells-{i}-text"] = "Edited in the admin." if i == 0 else cell.text
    response = admin_client.post(reverse("admin:explainer_attribute_change", args=[attribute.pk]), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert Cell.objects.get(pk=cells[0].pk).text == "Edited in the admin."
    assert "Edited in the admin." in admin_client.get(comparison.get_absolute_url()).text


def test_a_row_of_a_live_comparison_cannot_be_changed_in_place(admin_client, comparison):
    attribute = comparison.attributes.first()
    url = reverse("admin:explainer_attribute_change", args=[attribute.pk])
    assert admin_client.post(url, {"comparison": comparison.pk, "name": "Changed live"}).status_code == 403
    page = admin_client.get(url).text
    assert 'name="_save"' not in page  # the read-only view
    attribute.refresh_from_db()
    assert attribute.name != "Changed live"


def test_the_admin_needs_a_login(client, db):
    response = client.get(reverse("admin:explainer_comparison_changelist"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_recorded_answers_cannot_be_added_or_changed_by_hand(admin_client, comparison):
    scenario = factories.make_scenario(comparison)
    answer = Response.objects.create(
        round_id=uuid.uuid4(), scenario=scenario, chosen=scenario.correct_concept, is_correct=True
    )
    assert admin_client.get(reverse("admin:explainer_response_add")).status_code == 403
    url = reverse("admin:explainer_response_change", args=[answer.pk])
    response = admin_client.post(url, {"is_correct": "", "chosen": scenario.correct_concept.pk})
    assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.is_correct is True


@pytest.mark.parametrize(
    ("model_name", "field_name"), [("scenario", "comparison"), ("example", "concept")], ids=["comparisons", "concepts"]
)
def test_the_admins_autocomplete_pages_an_ordered_list(admin_client, shipped_content, model_name, field_name):
    import warnings

    from django.core.paginator import UnorderedObjectListWarning

    params = {"app_label": "explainer", "model_name": model_name, "field_name": field_name}
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)  # a count in get_queryset had dropped the order
        response = admin_client.get("/admin/autocomplete/", params)
    assert response.status_code == 200
    assert len(response.json()["results"]) > 1


def test_the_scenario_list_filters_answered_scenarios_from_never_answered_ones(admin_client):
    comparison = factories.make_quiz_comparison(per_concept=1)
    answered, never = comparison.scenarios.order_by("pk")
    factories.make_right_answer(None, answered)
    changelist = reverse("admin:explainer_scenario_changelist")
    yes = admin_client.get(changelist + "?answered=yes").context["cl"].result_list
    no = admin_client.get(changelist + "?answered=no").context["cl"].result_list
    assert [s.pk for s in yes] == [answered.pk]
    assert [s.pk for s in no] == [never.pk]


def test_the_concept_list_filters_live_concepts_from_copies_in_drafts(admin_client):
    live = factories.make_concept()
    copy = factories.make_concept(draft_of=live)
    changelist = reverse("admin:explainer_concept_changelist")
    concepts = admin_client.get(changelist + "?copies=live").context["cl"].result_list
    copies = admin_client.get(changelist + "?copies=drafts").context["cl"].result_list
    assert live in concepts and copy not in concepts
    assert list(copies) == [copy]
