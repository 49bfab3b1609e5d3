"""Texts are stored in one form (explainer.texts): LF line breaks, no trailing white space.

Browsers send CRLF; without this an untouched draft showed changes nobody made.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from explainer.models import Comparison, Concept
from explainer.texts import normalise
from tests import admin_forms, factories

pytestmark = pytest.mark.django_db

INTRO = "First paragraph, with a line\nthat goes on.\n\nSecond paragraph."


def as_a_browser_sends(data):
    """The form data with every line break as CRLF, as browsers submit a textarea."""
    return {key: value.replace("\n", "\r\n") if isinstance(value, str) else value for key, value in data.items()}


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("one\r\ntwo\r\n", "one\ntwo\n"),
        ("old mac\rline", "old mac\nline"),
        ("trailing  \nspaces\t\nend ", "trailing\nspaces\nend"),
        ("nothing to do", "nothing to do"),
        ("", ""),
    ],
)
def test_normalise_turns_line_breaks_into_lf_and_drops_trailing_white_space(text, stored):
    assert normalise(text) == stored


def test_an_untouched_draft_saved_from_the_browser_shows_no_changes(editor_client):
    live = factories.complete(factories.make_comparison(intro=INTRO), quiz=True)
    concept = live.ordered_concepts[0]
    Concept.objects.filter(pk=concept.pk).update(description="A concept.\n\nIn two paragraphs.")
    assert editor_client.post(reverse("admin:explainer_comparison_draft_start", args=[live.pk])).status_code == 302
    draft = Comparison.objects.get(draft_of=live)
    copy = Concept.objects.get(draft_of=concept)

    for url in (
        reverse("admin:explainer_comparison_change", args=[draft.pk]),
        reverse("admin:explainer_concept_change", args=[copy.pk]),
    ):
        data = as_a_browser_sends(admin_forms.change_form_data(editor_client, url))
        response = editor_client.post(url, data | {"_continue": "1"})
        assert response.status_code == 302, response.context and response.context["adminform"].form.errors

    draft.refresh_from_db()
    assert draft.intro == INTRO
    page = editor_client.get(reverse("admin:explainer_comparison_draft_changes", args=[draft.pk])).text
    assert "No changes yet" in page


def test_a_text_typed_with_crlf_and_trailing_spaces_is_stored_with_lf(editor_client):
    concept = factories.make_concept(name="Glacier")
    url = reverse("admin:explainer_concept_change", args=[concept.pk])
    data = admin_forms.change_form_data(editor_client, url, description="Ice that moves.  \r\n\r\nSlowly. ")
    assert editor_client.post(url, data).status_code == 302
    concept.refresh_from_db()
    assert concept.description == "Ice that moves.\n\nSlowly."


@pytest.mark.django_db(transaction=True)
def test_the_migration_normalises_texts_stored_before_it_and_reverses():
    executor = MigrationExecutor(connection)
    ours = next(
        key for key in executor.loader.disk_migrations if key[0] == "explainer" and key[1].endswith("_normalise_texts")
    )
    parent = next(key for key in executor.loader.graph.node_map[ours].parents if key[0] == "explainer")
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([parent])
        # The models as they were before the migration, written past save() as such rows were.
        old = executor.loader.project_state(parent).apps
        category = old.get_model("explainer", "Category").objects.create(name="Weather", slug="weather")
        comparison = old.get_model("explainer", "Comparison").objects.create(
            title="Old", slug="old", lede="An old lede.", category=category, intro="Line one \r\nLine two\r\n"
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
    assert Comparison.objects.get(pk=comparison.pk).intro == "Line one\nLine two\n"
