"""Undo for everything: restore any version (a live page's through its draft), recover real deletions one at a time,
and publishing that reads in history as edits."""

import re

import pytest
import reversion
from django.contrib.auth.models import Permission
from django.urls import reverse
from reversion.models import Version

from explainer import drafts, restore
from explainer.models import Attribute, Cell, Comparison, Concept, Example, Point, Scenario, WrongChoiceNote
from tests import factories

pytestmark = pytest.mark.django_db

CONTENT = [Comparison, Concept, Example, Attribute, Cell, Point, Scenario, WrongChoiceNote]


@pytest.fixture
def live(db):
    return factories.complete(factories.make_comparison(), quiz=True)


def url(name, *args):
    return reverse(f"admin:explainer_{name}", args=args)


def recorded(comparison, editor_user, comment="A version."):
    drafts._record(drafts._whole(comparison), editor_user, comment)
    return Version.objects.get_for_object(comparison).first()


def test_publishing_keeps_the_ids_of_points_and_cells_that_stay(editor_user, live):
    points = set(live.points.values_list("pk", flat=True))
    cells = set(Cell.objects.filter(attribute__comparison=live).values_list("pk", flat=True))
    draft = drafts.start(live, editor_user)
    edited = draft.points.order_by("pk").first()
    edited.text = "Both are edited in the draft."
    edited.save()
    Cell.objects.filter(attribute__comparison=draft).order_by("pk").update(text="A rewritten cell.")

    drafts.publish(draft, editor_user)

    assert set(live.points.values_list("pk", flat=True)) == points
    assert set(Cell.objects.filter(attribute__comparison=live).values_list("pk", flat=True)) == cells
    assert live.points.get(pk=edited.draft_of_id).text == "Both are edited in the draft."
    assert not Version.objects.get_deleted(Point).filter(object_id__in=[str(pk) for pk in points]).exists()


def test_the_changes_page_says_a_scenario_deleted_in_the_draft_is_withdrawn_with_its_answers_kept(
    editor_client, editor_user, live
):
    draft = drafts.start(live, editor_user)
    draft.scenarios.first().delete()
    page = editor_client.get(url("comparison_draft_changes", draft.pk)).text
    assert "will be withdrawn from the live quiz (answers kept)" in page


def test_an_old_version_of_a_live_comparison_is_restored_into_its_draft_then_published(
    editor_client, editor_user, live
):
    old_lede, old_title = live.lede, live.points.order_by("pk").first().title
    version = recorded(live, editor_user)
    draft = drafts.start(live, editor_user)
    Comparison.objects.filter(pk=draft.pk).update(lede="A newer lede.")
    draft.points.update(title="A newer title")
    drafts.publish(Comparison.objects.get(pk=draft.pk), editor_user)
    live.refresh_from_db()
    assert live.lede == "A newer lede."
    points = set(live.points.values_list("pk", flat=True))

    confirm = editor_client.get(url("comparison_restore", live.pk, version.pk))
    assert "goes into its draft" in confirm.text and "Restore this version" in confirm.text
    response = editor_client.post(url("comparison_restore", live.pk, version.pk))

    draft = Comparison.objects.get(draft_of=live)
    assert response["Location"] == url("comparison_change", draft.pk)
    assert draft.lede == old_lede
    live.refresh_from_db()
    assert live.lede == "A newer lede."  # readers keep the live page until it is published
    assert editor_client.get(draft.get_absolute_url()).status_code == 200  # previewed
    drafts.publish(draft, editor_user)
    live.refresh_from_db()
    assert live.lede == old_lede
    assert live.points.get(pk=min(points)).title == old_title
    assert set(live.points.values_list("pk", flat=True)) == points  # same items, edited back


def test_a_drafts_version_is_restored_in_place_with_rows_cells_and_scenarios(editor_client, editor_user):
    comparison = factories.complete(factories.make_comparison(published=False), quiz=True)
    version = recorded(comparison, editor_user)
    row = comparison.attributes.first()
    Cell.objects.filter(attribute=row).update(text="Changed later.")
    gone = comparison.scenarios.first()
    gone_text = gone.text
    gone.delete()
    Attribute.objects.filter(pk=row.pk).update(name="Renamed later")

    response = editor_client.post(url("comparison_restore", comparison.pk, version.pk))

    assert response["Location"] == url("comparison_change", comparison.pk)
    assert not Comparison.objects.filter(draft_of=comparison).exists()
    row.refresh_from_db()
    assert row.name != "Renamed later"
    assert not Cell.objects.filter(attribute=row, text="Changed later.").exists()
    assert comparison.scenarios.filter(text=gone_text).exists()


def test_historys_revision_page_leads_to_restore_instead_of_a_form_without_a_save_button(
    editor_client, editor_user, live
):
    version = recorded(live, editor_user)
    response = editor_client.get(url("comparison_revision", live.pk, version.pk))
    assert response.status_code == 302
    assert response["Location"] == url("comparison_restore", live.pk, version.pk)


def test_restore_refuses_a_version_of_another_object_and_anonymous_visitors(client, editor_client, editor_user, live):
    version = recorded(live, editor_user)
    other = factories.make_comparison()
    assert editor_client.get(url("comparison_restore", other.pk, version.pk)).status_code == 403
    assert editor_client.get(url("comparison_restore", live.pk, 10**9)).status_code == 404
    client.logout()
    assert client.post(url("comparison_restore", live.pk, version.pk)).status_code == 302  # to the login
    assert not Comparison.objects.filter(draft_of=live).exists()


def test_a_discarded_or_published_draft_leaves_recover_deleted_as_it_was(editor_client, editor_user, live):
    def offered():
        return {model: [v.pk for v in restore.recoverable(model)] for model in CONTENT}

    before = offered()
    pages = {
        name: editor_client.get(url(f"{name}_recoverlist")).text.count("/recover/") for name in ("scenario", "concept")
    }
    drafts.discard(drafts.start(live, editor_user), editor_user)
    draft = drafts.start(live, editor_user)
    drafts.publish(draft, editor_user)

    assert offered() == before
    after = {
        name: editor_client.get(url(f"{name}_recoverlist")).text.count("/recover/") for name in ("scenario", "concept")
    }
    assert after == pages


def test_recovering_a_scenario_deleted_in_a_draft_brings_back_that_scenario_alone(editor_client, editor_user):
    comparison = factories.complete(factories.make_comparison(published=False), quiz=True)
    scenario = comparison.scenarios.first()
    WrongChoiceNote.objects.create(scenario=scenario, concept=comparison.ordered_concepts[1], text="Why not.")
    recorded(comparison, editor_user)
    other = comparison.scenarios.exclude(pk=scenario.pk).first()
    scenario_pk, other_pk = scenario.pk, other.pk
    scenario.delete()
    other.delete()
    version = next(v for v in restore.recoverable(Scenario) if v.object_id == str(scenario_pk))

    assert "Recover it" in editor_client.get(url("scenario_recover", version.pk)).text
    response = editor_client.post(url("scenario_recover", version.pk))

    assert response["Location"] == url("scenario_change", scenario_pk)
    assert Scenario.objects.filter(pk=scenario_pk, comparison=comparison).exists()
    assert WrongChoiceNote.objects.filter(scenario_id=scenario_pk, text="Why not.").exists()
    assert not Scenario.objects.filter(pk=other_pk).exists()  # not the whole revision


def test_recover_deleted_never_offers_a_drafts_copies(editor_user, live):
    draft = drafts.start(live, editor_user)
    copy = draft.scenarios.first()
    drafts.discard(draft, editor_user)
    assert str(copy.pk) not in [v.object_id for v in restore.recoverable(Scenario)]
    assert not [v for v in restore.recoverable(Comparison) if v.object_id == str(draft.pk)]


@pytest.mark.parametrize(
    ("model", "field"),
    [(Concept, "definition"), (Scenario, "text")],
    ids=["a concept", "a scenario"],
)
def test_a_live_items_old_version_goes_into_its_draft_copy_and_the_live_item_stays(
    editor_client, editor_user, live, model, field
):
    item = model.objects.filter(pk__in=live_items(live, model)).order_by("pk").first()
    old_value = getattr(item, field)
    version = recorded(live, editor_user)
    version = Version.objects.get_for_object(item).get(revision=version.revision)
    model.objects.filter(pk=item.pk).update(**{field: "Changed since, on the live page."})
    name = model._meta.model_name

    response = editor_client.post(url(f"{name}_restore", item.pk, version.pk))

    copy = model.objects.get(draft_of=item)
    assert response["Location"] == url(f"{name}_change", copy.pk)
    assert getattr(copy, field) == old_value
    item.refresh_from_db()
    assert getattr(item, field) == "Changed since, on the live page."


def live_items(comparison, model):
    """The pks of `comparison`'s concepts or scenarios."""
    if model is Concept:
        return [concept.pk for concept in comparison.ordered_concepts]
    return comparison.scenarios.values_list("pk", flat=True)


def test_a_drafts_row_is_restored_in_place_with_its_cells(editor_client, editor_user):
    comparison = factories.make_comparison(published=False)
    row = comparison.attributes.first()
    texts = sorted(row.cells.values_list("text", flat=True))
    with reversion.create_revision():
        reversion.set_user(editor_user)
        reversion.add_to_revision(row)
    version = Version.objects.get_for_object(row).first()
    Attribute.objects.filter(pk=row.pk).update(name="Renamed since")
    row.cells.update(text="Rewritten since.")

    assert editor_client.post(url("attribute_restore", row.pk, version.pk)).status_code == 302

    row.refresh_from_db()
    assert row.name != "Renamed since"
    assert sorted(row.cells.values_list("text", flat=True)) == texts


def test_the_history_page_says_a_date_leads_to_restore_this_version(editor_client, editor_user, live):
    recorded(live, editor_user)
    page = editor_client.get(url("comparison_history", live.pk)).text
    assert "a date leads there too" in page and "it goes into the page's draft" in page


def restore_links(page):
    return re.findall(r'<a href="([^"]+/restore/)">Restore this version<span class="visually-hidden">', page)


def test_each_older_version_in_history_has_its_own_restore_link_and_the_current_one_none(
    editor_client, editor_user, live
):
    older = recorded(live, editor_user, "The first version.")
    middle = recorded(live, editor_user, "The second version.")
    newest = recorded(live, editor_user, "The newest version.")
    page = editor_client.get(url("comparison_history", live.pk)).text
    assert sorted(restore_links(page)) == sorted(
        url("comparison_restore", live.pk, version.pk) for version in (older, middle)
    )
    assert url("comparison_restore", live.pk, newest.pk) not in page
    assert page.count("Current version") == 1


def link_back_to_older_lede(client, user, comparison):
    """Record `comparison`, change its lede and record it again: its old lede and the one restore link."""
    old_lede = comparison.lede
    recorded(comparison, user, "As it was.")
    Comparison.objects.filter(pk=comparison.pk).update(lede="A lede changed since.")
    recorded(comparison, user, "The lede changed.")
    [link] = restore_links(client.get(url("comparison_history", comparison.pk)).text)
    return old_lede, link


def test_a_rows_restore_link_on_a_live_pages_history_puts_that_version_into_its_draft(editor_client, editor_user, live):
    old_lede, link = link_back_to_older_lede(editor_client, editor_user, live)

    assert "goes into its draft" in editor_client.get(link).text
    response = editor_client.post(link)

    draft = Comparison.objects.get(draft_of=live)
    assert response["Location"] == url("comparison_change", draft.pk)
    assert draft.lede == old_lede
    assert Comparison.objects.get(pk=live.pk).lede == "A lede changed since."


def test_a_rows_restore_link_on_a_drafts_history_restores_it_in_place(editor_client, editor_user, draft):
    old_lede, link = link_back_to_older_lede(editor_client, editor_user, draft)

    assert "This version replaces the current one" in editor_client.get(link).text
    response = editor_client.post(link)

    assert response["Location"] == url("comparison_change", draft.pk)
    assert Comparison.objects.get(pk=draft.pk).lede == old_lede
    assert not Comparison.objects.filter(draft_of=draft).exists()


def test_history_offers_no_restore_link_to_who_may_only_read(client, editor_user, live):
    reader = factories.make_user(staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_comparison"))
    recorded(live, editor_user, "One.")
    recorded(live, editor_user, "Two.")
    client.force_login(reader)
    page = client.get(url("comparison_history", live.pk))
    assert page.status_code == 200
    assert restore_links(page.text) == [] and "Current version" not in page.text
