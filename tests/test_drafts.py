"""Drafts of live comparisons: readers keep the live page while editors change a draft, then publish or discard it."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from explainer import drafts
from explainer.admin.table import field_name, table_state
from explainer.models import Attribute, Comparison, Concept, Example, Response, Scenario, WrongChoiceNote
from tests import admin_forms, factories

pytestmark = pytest.mark.django_db

NEW_ROW = "Funding"
NEW_CELL = "A rewritten cell, only in the draft."
NEW_DEFINITION = "A new definition, only in the draft."
NEW_SCENARIO = "Three ministries pool staff for a single census and part ways once it is counted."


@pytest.fixture
def live(db):
    return factories.complete(factories.make_comparison(), quiz=True)


def url(name, obj):
    return reverse(f"admin:explainer_{name}", args=[obj.pk])


def start_draft(client, live):
    response = client.post(url("comparison_draft_start", live))
    assert response.status_code == 302
    return Comparison.objects.get(draft_of=live)


def save_table(client, comparison, change):
    data = {"state": table_state(comparison)}
    for row in comparison.table_rows():
        for concept, text in zip(comparison.ordered_concepts, row.cells, strict=True):
            data[field_name(row.attribute, concept)] = change(row.attribute, concept, text)
    assert client.post(url("comparison_table", comparison), data).status_code == 302


def publish(client, draft, **kwargs):
    """Publish the draft's changes, confirming quiz-rule findings (they are tested apart)."""
    return client.post(url("comparison_draft_publish", draft), {"confirm_quiz": "1"}, **kwargs)


def edit_everything(client, draft):
    """Through the admin, as an editor would: add a row, change a cell, add a scenario, edit a definition."""
    change_url = url("comparison_change", draft)
    data = admin_forms.change_form_data(client, change_url)
    n = int(data["attributes-TOTAL_FORMS"])
    data |= {
        "attributes-TOTAL_FORMS": n + 1,
        f"attributes-{n}-name": NEW_ROW,
        f"attributes-{n}-slug": "funding",
        f"attributes-{n}-question": "Who pays for it?",
        f"attributes-{n}-position": 0,
    }
    assert client.post(change_url, data).status_code == 302
    first = draft.attributes.first()
    save_table(
        client,
        draft,
        lambda row, concept, text: (
            NEW_CELL if row == first and concept == draft.ordered_concepts[0] else text or f"{concept.name} pays."
        ),
    )
    add = reverse("admin:explainer_scenario_add") + f"?comparison={draft.pk}"
    scenario = admin_forms.change_form_data(
        client,
        add,
        comparison=draft.pk,
        text=NEW_SCENARIO,
        correct_concept=draft.ordered_concepts[1].pk,
        cues=[first.pk],
        explanation="The deciding row shows it.",
        difficulty="medium",
        is_published="on",
    )
    assert client.post(add, scenario).status_code == 302
    concept = draft.ordered_concepts[0]
    concept_url = url("concept_change", concept)
    assert client.post(concept_url, admin_forms.change_form_data(client, concept_url, definition=NEW_DEFINITION))
    concept.refresh_from_db()
    assert concept.definition == NEW_DEFINITION


def reader_pages(live):
    concept = live.ordered_concepts[0]
    return [live.get_absolute_url(), concept.get_absolute_url(), "/", reverse("search") + f"?q={NEW_ROW}"]


def read(path):
    response = Client().get(path)
    assert response.status_code == 200, path
    return response.text


# Readers keep the live page


def test_a_live_comparison_is_changed_only_through_a_draft(editor_client, live):
    page = editor_client.get(url("comparison_change", live)).text
    assert "Edit a draft" in page and 'name="_save"' not in page
    assert editor_client.post(url("comparison_change", live), {"title": "Changed in place"}).status_code == 403
    concept = live.ordered_concepts[0]
    assert editor_client.post(url("concept_change", concept), {"name": "x"}).status_code == 403
    example = concept.examples.first()
    assert editor_client.post(url("example_change", example), {"name": "x"}).status_code == 403


def test_nothing_can_be_attached_to_a_live_comparison_from_another_screen(editor_client, live):
    add = reverse("admin:explainer_attribute_add")
    response = editor_client.post(add, {"comparison": live.pk, "name": "Sneaked in", "slug": "sneaked", "position": 0})
    assert response.status_code == 200
    assert "is shown on a live page" in response.text
    assert not Attribute.objects.filter(name="Sneaked in").exists()


def test_readers_see_the_live_version_while_the_draft_changes_and_staff_preview_the_draft(editor_client, live):
    before = {path: read(path) for path in reader_pages(live)}  # also fills the page cache
    draft = start_draft(editor_client, live)
    edit_everything(editor_client, draft)
    for path, page in before.items():
        assert read(path) == page, path
    preview = editor_client.get(draft.get_absolute_url()).text
    for text in (NEW_ROW, NEW_CELL, NEW_DEFINITION):
        assert text in preview
    assert "<strong>Draft</strong> — this preview is visible to staff only." in preview
    assert not live.scenarios.filter(text=NEW_SCENARIO).exists()


def test_publishing_the_changes_shows_them_on_the_next_request(editor_client, live):
    read(live.get_absolute_url())
    kept = list(live.scenarios.values_list("pk", flat=True))
    response = Response.objects.create(
        round_id=uuid.uuid4(), scenario_id=kept[0], chosen=live.ordered_concepts[0], is_correct=True
    )
    draft = start_draft(editor_client, live)
    edit_everything(editor_client, draft)
    assert publish(editor_client, draft).status_code == 302
    page = read(live.get_absolute_url())
    for text in (NEW_ROW, NEW_CELL, NEW_DEFINITION):
        assert text in page
    assert NEW_DEFINITION in read(live.ordered_concepts[0].get_absolute_url())
    assert live.scenarios.filter(text=NEW_SCENARIO, is_published=True).exists()
    assert set(kept) <= set(live.scenarios.values_list("pk", flat=True))  # same rows: responses stay with them
    assert Response.objects.filter(pk=response.pk).exists()
    assert not Comparison.objects.filter(draft_of=live).exists()
    assert not Concept.objects.filter(draft_of__isnull=False).exists()
    live.refresh_from_db()
    assert live.is_published


def test_history_keeps_both_the_old_live_version_and_the_published_draft(editor_client, live):
    old_lede = live.lede
    draft = start_draft(editor_client, live)
    data = admin_forms.change_form_data(editor_client, url("comparison_change", draft), lede="A lede from the draft.")
    editor_client.post(url("comparison_change", draft), data)
    publish(editor_client, draft)
    ledes = [v.field_dict["lede"] for v in Version.objects.get_for_object(live)]
    assert "A lede from the draft." in ledes and old_lede in ledes
    comments = {v.revision.comment for v in Version.objects.get_for_object(live)}
    assert any("before a draft's changes were published" in comment for comment in comments)
    assert Version.objects.get_deleted(Comparison).filter(object_id=str(draft.pk)).exists()


def test_discarding_brings_back_exactly_the_live_version(editor_client, live):
    def snapshot():
        return drafts._items(Comparison.objects.get(pk=live.pk), lambda obj: (type(obj).__name__, obj.pk))

    before, page = snapshot(), read(live.get_absolute_url())
    draft = start_draft(editor_client, live)
    edit_everything(editor_client, draft)
    assert "Discard" in editor_client.get(url("comparison_draft_discard", draft)).text
    assert editor_client.post(url("comparison_draft_discard", draft)).status_code == 302
    assert snapshot() == before
    assert read(live.get_absolute_url()) == page
    assert not Comparison.objects.filter(draft_of=live).exists()
    assert not Concept.objects.filter(draft_of__isnull=False).exists()
    assert not Example.objects.filter(draft_of__isnull=False).exists()
    # The discarded draft is in the history, under "Recover deleted".
    assert Version.objects.get_deleted(Comparison).filter(object_id=str(draft.pk)).exists()


def test_the_changes_page_shows_what_publishing_would_change(editor_client, live):
    draft = start_draft(editor_client, live)
    assert "No changes yet" in editor_client.get(url("comparison_draft_changes", draft)).text
    edit_everything(editor_client, draft)
    page = editor_client.get(url("comparison_draft_changes", draft)).text
    assert NEW_ROW in page and NEW_DEFINITION in page and NEW_SCENARIO in page
    assert "<ins>" in page and "<del>" in page
    assert "added" in page and "changed" in page


def test_starting_twice_opens_the_same_draft(editor_client, live):
    first = start_draft(editor_client, live)
    assert start_draft(editor_client, live) == first
    assert Comparison.objects.filter(draft_of=live).count() == 1


# Publishing checks the draft


def test_publishing_checks_the_draft_and_names_what_it_lacks(editor_client, live):
    draft = start_draft(editor_client, live)
    save_table(editor_client, draft, lambda row, concept, text: "" if row == draft.attributes.first() else text)
    response = editor_client.post(url("comparison_draft_publish", draft), follow=True)
    assert "were not published" in response.text and "has empty cells" in response.text
    assert 'class="error"' in response.text
    assert "changed successfully" not in response.text
    assert read(live.get_absolute_url()).count("Not written yet") == 0
    assert Comparison.objects.filter(draft_of=live).exists()


def test_a_scenario_removed_in_the_draft_is_unpublished_not_deleted(editor_client, live):
    draft = start_draft(editor_client, live)
    gone = draft.scenarios.first()
    original = gone.draft_of
    factories.make_scenario(draft, correct_concept=gone.correct_concept)  # keep the quiz at its minimum
    gone.delete()
    publish(editor_client, draft)
    original.refresh_from_db()
    assert original.comparison == live and not original.is_published


def test_a_shared_concept_changed_twice_is_refused_rather_than_overwritten(editor_client, live):
    shared = live.ordered_concepts[0]
    other = factories.complete(factories.make_comparison(concepts=[shared, factories.make_concept()]), quiz=True)
    first, second = start_draft(editor_client, live), start_draft(editor_client, other)
    for draft, text in ((first, "First editor definition."), (second, "Second editor definition.")):
        Concept.objects.filter(comparisons=draft).filter(draft_of=shared).update(definition=text)
    assert publish(editor_client, first).status_code == 302
    response = publish(editor_client, second, follow=True)
    assert "was changed on the live site after this draft began" in response.text
    shared.refresh_from_db()
    assert shared.definition == "First editor definition."
    assert "First editor definition." in read(other.get_absolute_url())  # one meaning, on every page


def test_a_draft_copy_never_reaches_readers(editor_client, live):
    draft = start_draft(editor_client, live)
    Concept.objects.filter(draft_of__isnull=False).update(description="SECRET-DRAFT-TEXT")
    draft.attributes.update(name="SECRET-DRAFT-ROW")
    assert Client().get(draft.get_absolute_url()).status_code == 404
    copy = Concept.objects.filter(draft_of__isnull=False).first()
    assert Client().get(copy.get_absolute_url()).status_code == 404
    for path in [*reader_pages(live), reverse("sitemap"), reverse("feed"), "/search/?q=SECRET"]:
        assert "SECRET-DRAFT" not in read(path)


# Who may


@pytest.mark.parametrize("view", ["draft_start", "draft_publish", "draft_discard"])
def test_draft_views_refuse_anonymous_and_unprivileged_staff(client, live, view):
    target = live if view == "draft_start" else drafts.start(live, None)
    response = client.post(url(f"comparison_{view}", target))
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(factories.make_user(staff=True))
    assert client.post(url(f"comparison_{view}", target)).status_code == 403
    assert Comparison.objects.filter(draft_of=live).count() == (0 if view == "draft_start" else 1)


def test_draft_views_answer_404_for_unknown_or_non_draft_ids_and_405_for_a_get_that_would_change(editor_client, live):
    assert editor_client.post(reverse("admin:explainer_comparison_draft_start", args=[999999])).status_code == 404
    assert editor_client.post("/admin/explainer/comparison/abc/draft/start/").status_code == 404
    assert editor_client.post(url("comparison_draft_publish", live)).status_code == 404  # not a draft
    assert editor_client.get(url("comparison_draft_start", live)).status_code == 405
    assert editor_client.get(url("comparison_draft_publish", live)).status_code == 405
    assert not Comparison.objects.filter(draft_of=live).exists()


def test_publishing_asks_to_confirm_only_quiz_rules_the_draft_newly_breaks(editor_client, live):
    draft = start_draft(editor_client, live)
    assert editor_client.post(url("comparison_draft_publish", draft)).status_code == 302  # nothing new: no question
    assert not Comparison.objects.filter(draft_of=live).exists()
    draft = start_draft(editor_client, live)
    factories.make_scenario(draft, text="A case whose explanation names no row.", explanation="Because.")
    response = editor_client.post(url("comparison_draft_publish", draft), follow=True)
    assert "they make the quiz break these rules" in response.text
    assert Comparison.objects.filter(draft_of=live).exists()
    assert publish(editor_client, draft).status_code == 302
    assert live.scenarios.filter(text="A case whose explanation names no row.").exists()


def test_a_scenario_added_from_the_checklist_offers_only_that_comparisons_concepts_and_rows(editor_client, draft):
    factories.make_comparison()  # other concepts and rows exist
    page = editor_client.get(reverse("admin:explainer_scenario_add") + f"?comparison={draft.pk}")
    form = page.context["adminform"].form
    assert set(form.fields["correct_concept"].queryset) == set(draft.concepts.all())
    assert set(form.fields["cues"].queryset) == set(draft.attributes.all())


def test_a_scenario_without_a_slug_gets_a_short_one(draft):
    text = "A navy and an army of two kingdoms agree in writing to defend each other for ever and ever."
    scenario = factories.make_scenario(draft, slug="", text=text)
    other = factories.make_scenario(draft, slug="", text=text)
    assert scenario.slug == "a-navy-and-an-army"
    assert other.slug == "a-navy-and-an-army-2"
    assert Scenario._meta.get_field("slug").max_length >= len(scenario.slug)


def test_new_rows_number_themselves_last(draft):
    last = draft.attributes.order_by("position").last()
    row = Attribute.objects.create(comparison=draft, name="New", slug="new")
    assert row.position == last.position + 1
    assert list(draft.attributes.all())[-1] == row


# Complete before public


def test_no_quiz_yet_hides_the_quiz_everywhere(client, db):
    comparison = factories.complete(factories.make_comparison())
    assert not comparison.has_quiz
    page = client.get(comparison.get_absolute_url()).text
    assert reverse("quiz", args=[comparison.slug]) not in page
    assert client.get(reverse("quiz", args=[comparison.slug])).status_code == 404


def test_the_checklist_names_what_is_missing_and_links_to_where_it_is_done(editor_client, draft):
    page = editor_client.get(url("comparison_change", draft)).text
    assert "Ready to publish?" in page
    assert "Missing:" in page and "At least 3 similarities (0 now)" in page
    assert reverse("admin:explainer_scenario_add") + f"?comparison={draft.pk}" in page
    assert reverse("admin:explainer_comparison_table", args=[draft.pk]) in page
    factories.complete(draft)
    page = editor_client.get(url("comparison_change", draft)).text
    assert "Missing:" not in page and "it can be published" in page


def test_a_refusal_is_styled_as_an_error_and_not_beside_a_success(editor_client, draft):
    data = admin_forms.change_form_data(editor_client, url("comparison_change", draft), status="published")
    response = editor_client.post(url("comparison_change", draft), data, follow=True)
    messages = [(m.level_tag, str(m.message)) for m in response.context["messages"]]
    assert any(level == "error" and "cannot be published yet" in text for level, text in messages)
    assert not any(level == "success" for level, _ in messages)
    assert response.text.count("It needs at least 3 similarities") == 1  # each missing piece named once


def test_autocomplete_ranks_the_exact_name_first_and_never_offers_drafts_copies(editor_client, live):
    exact = factories.make_concept(name="Alliance")
    factories.make_concept(name="Aalliance")  # sorts first by name, matches "alliance" too
    drafts.start(factories.complete(factories.make_comparison(concepts=[exact, factories.make_concept()])), None)
    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "explainer", "model_name": "comparisonconcept", "field_name": "concept", "term": "alliance"},
    )
    names = [item["text"] for item in response.json()["results"]]
    assert names[0] == "Alliance"
    assert "Aalliance" in names and not any("draft" in name for name in names)


def test_a_small_edit_is_marked_word_by_word_and_a_rewrite_as_old_then_new():
    edit = drafts.Change("cell", "It lasts for decades.", "It lasts for years.")
    assert edit.words() == [("same", "It lasts for"), ("del", "decades."), ("ins", "years.")]
    rewrite = drafts.Change("cell", "Long and open-ended, in wartime.", "Decades, by design: edited in a draft.")
    assert rewrite.words() == [("del", rewrite.before), ("ins", rewrite.after)]


def test_a_comparison_with_no_quiz_yet_has_no_worksheet_and_cannot_host_a_class(client, db):
    comparison = factories.complete(factories.make_comparison())
    assert client.get(reverse("worksheet", args=[comparison.slug])).status_code == 404
    from explainer.classes.forms import ClassForm

    assert comparison not in ClassForm().fields["comparison"].queryset


def test_notes_on_wrong_choices_travel_with_the_draft(editor_client, db):
    live = factories.complete(factories.make_comparison(concepts=3), quiz=True)
    scenario = live.scenarios.first()
    wrong = next(c for c in live.ordered_concepts if c.pk != scenario.correct_concept_id)
    WrongChoiceNote.objects.create(scenario=scenario, concept=wrong, text="Not this one: no promise.")
    draft = start_draft(editor_client, live)
    copied = WrongChoiceNote.objects.get(scenario__draft_of=scenario)
    assert copied.concept.draft_of == wrong and copied.text == "Not this one: no promise."
    WrongChoiceNote.objects.filter(pk=copied.pk).update(text="Not this one: nothing binds them.")
    assert "nothing binds them" in editor_client.get(url("comparison_draft_changes", draft)).text
    assert publish(editor_client, draft).status_code == 302
    assert list(scenario.wrong_notes.values_list("concept", "text")) == [
        (wrong.pk, "Not this one: nothing binds them.")
    ]


def test_headlines_key_rows_and_the_one_line_test_are_published_from_the_draft(editor_client, live):
    draft = start_draft(editor_client, live)
    Comparison.objects.filter(pk=draft.pk).update(one_line_test="Does a promise outlast the task?")
    row = draft.attributes.first()
    Attribute.objects.filter(pk=row.pk).update(is_key=True)
    row.cells.update(headline="Lasts for decades")
    assert "Lasts for decades" in editor_client.get(url("comparison_draft_changes", draft)).text
    assert publish(editor_client, draft).status_code == 302
    live.refresh_from_db()
    assert live.one_line_test == "Does a promise outlast the task?"
    live_row = Attribute.objects.get(pk=row.draft_of_id)
    assert live_row.is_key and set(live_row.cells.values_list("headline", flat=True)) == {"Lasts for decades"}
