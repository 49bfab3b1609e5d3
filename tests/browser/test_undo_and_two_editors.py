"""Editors in a real browser (Chromium, 1280x800): nothing typed is lost, two editors on one form keep both changes,
a live page goes back to an older version through its draft, and a discarded draft leaves "Recover deleted" alone."""

import re

import pytest
from playwright.sync_api import expect

from explainer import drafts
from explainer.models import Cell, Comparison, KeyDifference, Scenario
from tests import factories
from tests.browser.conftest import run_axe, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "an-editor-password"


def log_in(page, live_server, username):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.set_default_timeout(30_000)
    expect.set_options(timeout=20_000)
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_be_visible()
    return page


def make_editor(username, first_name=""):
    # A superuser: a transactional test's flush removes the Editors group that a migration made.
    return factories.make_user(superuser=True, username=username, password=PASSWORD, first_name=first_name)


def change_url(live_server, obj):
    return f"{live_server.url}/admin/explainer/{obj._meta.model_name}/{obj.pk}/change/"


def save_and_continue(page):
    page.locator("input[name='_continue']").click()
    expect(page.locator(".messagelist, .errornote").first).to_be_visible()


def test_a_key_difference_about_a_row_typed_on_the_same_form_is_a_form_error_then_saved(page, live_server):
    make_editor("wren")
    draft = factories.make_comparison(published=False)
    log_in(page, live_server, "wren")
    page.goto(change_url(live_server, draft))
    rows = draft.attributes.count()

    page.locator("#attributes-group").get_by_role("button", name="Add another Attribute (table row)").click()
    page.locator(f"#id_attributes-{rows}-name").press_sequentially("Shelf life")
    page.locator("#points-2-group").get_by_role("button", name="Add another Key difference").click()
    page.fill("#id_points-2-0-title", "How long it keeps")
    page.fill("#id_points-2-0-text", "Typed with care, and still here after the refusal.")
    expect(page.locator("#id_points-2-0-attribute option")).to_have_count(rows + 1)  # no "Shelf life" yet
    save_and_continue(page)

    # Before issue 24 this submit was a 500 (CHECK constraint failed) and every row typed was gone.
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator("#points-2-group")).to_contain_text("Choose the table row this difference is about")
    expect(page.locator(f"#id_attributes-{rows}-name")).to_have_value("Shelf life")
    expect(page.locator("#id_points-2-0-text")).to_have_value("Typed with care, and still here after the refusal.")
    screenshot(page, "editors-key-difference-form-error")

    page.locator("#id_points-2-0-attribute").select_option(label="Shelf life (new, typed on this form)")
    save_and_continue(page)

    expect(page.locator(".messagelist")).to_contain_text("changed successfully")
    difference = KeyDifference.objects.get(comparison=draft, title="How long it keeps")
    assert difference.attribute.name == "Shelf life"
    screenshot(page, "editors-key-difference-saved-with-its-new-row")


def test_two_editors_in_two_browsers_on_one_form_keep_both_changes(browser, live_server, hygiene):
    make_editor("ana", first_name="Ana")
    make_editor("ben", first_name="Ben")
    draft = factories.make_comparison(published=False)
    contexts = [browser.new_context(), browser.new_context()]
    ana = log_in(contexts[0].new_page(), live_server, "ana")
    ben = log_in(contexts[1].new_page(), live_server, "ben")
    for page in (ana, ben):
        hygiene.watch(page)
    ana.goto(change_url(live_server, draft))
    ben.goto(change_url(live_server, draft))
    expect(ben.locator(".messagelist")).to_contain_text(re.compile(r"Ana is editing this since \d\d:\d\d"))
    screenshot(ben, "editors-two-at-once-notice")

    ana.fill("#id_lede", "Ana's new lede, saved first.")
    save_and_continue(ana)
    expect(ana.locator(".messagelist")).to_contain_text("changed successfully")
    ben.fill("#id_one_line_test", "Ben's one-line test, saved from an older copy.")
    save_and_continue(ben)
    expect(ben.locator(".messagelist")).to_contain_text("their change was kept with yours")
    expect(ben.locator("#id_lede")).to_have_value("Ana's new lede, saved first.")
    screenshot(ben, "editors-two-at-once-both-kept")

    draft.refresh_from_db()
    assert draft.lede == "Ana's new lede, saved first."
    assert draft.one_line_test == "Ben's one-line test, saved from an older copy."

    # The same field, changed by both: refused, both shown, then Ben's choice is saved.
    ana.fill("#id_lede", "Ana again.")
    save_and_continue(ana)
    ben.fill("#id_lede", "Ben's lede.")
    save_and_continue(ben)
    expect(ben.locator(".errornote")).to_be_visible()
    expect(ben.locator(".field-lede")).to_contain_text("Theirs: “Ana again.”")
    expect(ben.locator("#id_lede")).to_have_value("Ben's lede.")
    screenshot(ben, "editors-two-at-once-same-field")
    save_and_continue(ben)
    expect(ben.locator(".messagelist")).to_contain_text("changed successfully")
    assert Comparison.objects.get(pk=draft.pk).lede == "Ben's lede."
    hygiene.check()
    for context in contexts:
        context.close()


def test_a_live_comparison_goes_back_to_an_older_version_through_its_draft(page, live_server):
    user = make_editor("wren")
    live = factories.complete(factories.make_comparison(lede="The lede as it first went live."))
    drafts._record(drafts._whole(live), user, "The first live version.")
    draft = drafts.start(live, user)
    Comparison.objects.filter(pk=draft.pk).update(lede="A later lede that turned out wrong.")
    drafts.publish(Comparison.objects.get(pk=draft.pk), user)
    log_in(page, live_server, "wren")

    page.goto(f"{live_server.url}/admin/explainer/comparison/{live.pk}/history/")
    row = page.get_by_role("row", name=re.compile("The first live version"))
    row.get_by_role("link", name=re.compile("Restore this version")).click()
    expect(page.locator("#content")).to_contain_text("goes into its draft")
    screenshot(page, "editors-restore-confirm")
    page.get_by_role("button", name="Restore this version").click()
    expect(page.locator(".draft-banner")).to_contain_text("This is the draft of the live page")
    expect(page.locator("#id_lede")).to_have_value("The lede as it first went live.")

    with page.expect_popup() as opened:  # the preview opens in its own tab
        page.get_by_role("link", name="Preview the draft").click()
    expect(opened.value.locator("body")).to_contain_text("The lede as it first went live.")
    opened.value.close()
    page.get_by_role("button", name="Publish changes").click()
    expect(page.locator(".messagelist")).to_contain_text("Published: readers now see the changes")

    reader = page.context.browser.new_page()
    reader.goto(live_server.url + live.get_absolute_url())
    expect(reader.locator("body")).to_contain_text("The lede as it first went live.")
    reader.close()


def test_a_discarded_draft_leaves_recover_deleted_as_it_was(page, live_server):
    make_editor("wren")
    live = factories.complete(factories.make_comparison(), quiz=True)
    log_in(page, live_server, "wren")

    def listed(model):
        page.goto(f"{live_server.url}/admin/explainer/{model}/recover/")
        return page.locator("#change-history tbody tr").count()

    before = {model: listed(model) for model in ("scenario", "concept", "comparison", "attribute")}
    page.goto(change_url(live_server, live))
    page.get_by_role("button", name="Edit a draft").click()
    page.get_by_role("link", name="Discard changes").click()
    page.get_by_role("button", name="Yes, discard these changes").click()
    expect(page.locator(".messagelist")).to_contain_text("The draft was discarded")

    after = {model: listed(model) for model in ("scenario", "concept", "comparison", "attribute")}
    assert after == before
    page.goto(f"{live_server.url}/admin/explainer/scenario/recover/")
    screenshot(page, "editors-recover-deleted-after-a-discarded-draft")


def both_open(browser, live_server, hygiene, url):
    """Ana and Ben, editors, each in a browser of their own, both open `url`, and Ben is told Ana has it open.
    Returns (Ana's page, Ben's page, their contexts); a save refused with 409 is expected."""
    make_editor("ana", first_name="Ana")
    make_editor("ben", first_name="Ben")
    contexts = [browser.new_context(), browser.new_context()]
    ana = log_in(contexts[0].new_page(), live_server, "ana")
    ben = log_in(contexts[1].new_page(), live_server, "ben")
    for page in (ana, ben):
        hygiene.watch(page)
        hygiene.expect_console_error("status of 409")  # the refusal below is answered with 409 Conflict
    ana.goto(url)
    ben.goto(url)
    expect(ben.locator(".messagelist")).to_contain_text(re.compile(r"Ana is editing this since \d\d:\d\d"))
    return ana, ben, contexts


def test_two_editors_in_two_browsers_on_the_table_screen_keep_both_changes(browser, live_server, hygiene):
    draft = factories.make_comparison(published=False)
    (first, second), concept = list(draft.attributes.order_by("position"))[:2], draft.ordered_concepts[0]
    table = f"{live_server.url}/admin/explainer/comparison/{draft.pk}/table/"
    ana, ben, contexts = both_open(browser, live_server, hygiene, table)

    def save_cell(page, row, text, message):
        page.fill(f"#id_cell_{row.pk}_{concept.pk}", text)
        page.get_by_role("button", name="Save the table").click()
        expect(page.locator(".messagelist")).to_contain_text(message)

    save_cell(ana, first, "Ana's cell, saved first.", "Saved the table")
    save_cell(ben, second, "Ben's cell, from an older copy.", "their change was kept with yours")
    expect(ben.locator(f"#id_cell_{first.pk}_{concept.pk}")).to_have_value("Ana's cell, saved first.")
    screenshot(ben, "editors-table-two-at-once-both-kept")

    # The same cell, changed by both: refused, theirs shown beside Ben's, then Ben's choice is saved.
    save_cell(ana, first, "Ana again.", "Saved the table")
    save_cell(ben, first, "Ben's version.", "Someone else changed this table")
    expect(ben.locator("table.table-grid")).to_contain_text("Theirs: “Ana again.”")
    expect(ben.locator(f"#id_cell_{first.pk}_{concept.pk}")).to_have_value("Ben's version.")
    screenshot(ben, "editors-table-two-at-once-same-cell")
    ben.get_by_role("button", name="Save the table").click()
    expect(ben.locator(".messagelist")).to_contain_text("Saved the table")
    cells = {c.attribute_id: c.text for c in Cell.objects.filter(concept=concept, attribute__comparison=draft)}
    assert cells[first.pk] == "Ben's version."
    assert cells[second.pk] == "Ben's cell, from an older copy."
    hygiene.check()
    for context in contexts:
        context.close()


def test_two_editors_in_two_browsers_on_the_quiz_screen_keep_both_changes(browser, live_server, hygiene):
    draft = factories.make_comparison(published=False)
    first, second = draft.ordered_concepts
    group = factories.make_scenario(draft, correct_concept=first, text="A group meets weekly for years.", position=1)
    ferry = factories.make_scenario(draft, correct_concept=second, text="Two towns share a ferry.", position=2)
    quiz = f"{live_server.url}/admin/explainer/comparison/{draft.pk}/quiz/?extra=0"
    ana, ben, contexts = both_open(browser, live_server, hygiene, quiz)

    ana.fill("#id_form-0-text", "Ana's scenario, saved first.")
    ana.get_by_role("button", name="Save the quiz").click()
    expect(ana.locator(".messagelist")).to_contain_text("Saved the quiz")
    ben.fill("#id_form-1-explanation", "Ben's explanation, from an older copy.")
    ben.get_by_role("button", name="Save the quiz").click()
    expect(ben.locator(".messagelist")).to_contain_text("their change was kept with yours")
    expect(ben.locator("#id_form-0-text")).to_have_value("Ana's scenario, saved first.")
    screenshot(ben, "editors-quiz-two-at-once-both-kept")

    # The same box, changed by both: refused, theirs shown beside Ben's, then Ben's choice is saved.
    ana.fill("#id_form-0-text", "Ana again.")
    ana.get_by_role("button", name="Save the quiz").click()
    expect(ana.locator(".messagelist")).to_contain_text("Saved the quiz")
    ben.fill("#id_form-0-text", "Ben's version.")
    ben.fill("#id_form-1-text", "Ben's ferry, which Ana did not touch.")
    ben.get_by_role("button", name="Save the quiz").click()
    expect(ben.locator(".errornote").first).to_contain_text("Someone else changed this quiz")
    expect(ben.locator(f"#scenario-{group.slug}")).to_contain_text("Theirs: “Ana again.”")
    expect(ben.locator("#id_form-0-text")).to_have_value("Ben's version.")
    expect(ben.locator("#id_form-1-text")).to_have_value("Ben's ferry, which Ana did not touch.")
    assert not run_axe(ben)
    screenshot(ben, "editors-quiz-two-at-once-same-field")
    ben.get_by_role("button", name="Save the quiz").click()
    expect(ben.locator(".messagelist")).to_contain_text("Saved the quiz")
    assert Scenario.objects.get(pk=group.pk).text == "Ben's version."
    ferry = Scenario.objects.get(pk=ferry.pk)
    assert (ferry.text, ferry.explanation) == (
        "Ben's ferry, which Ana did not touch.",
        "Ben's explanation, from an older copy.",
    )
    hygiene.check()
    for context in contexts:
        context.close()
