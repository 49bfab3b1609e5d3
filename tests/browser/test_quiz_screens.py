"""A quiz in an hour, in a real browser: thirty scenarios written on the one screen and, separately, imported
from an XLSX file, both accepted by the quality panel; the admin and its history pages pass axe and the CSP."""

import pytest
import reversion
from openpyxl import Workbook
from playwright.sync_api import expect
from reversion.models import Version

from tests import factories
from tests.browser.conftest import run_axe, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PER_CONCEPT = 15


@pytest.fixture
def comparison(transactional_db):
    """A new comparison, table written, no quiz yet: concepts "Drizzle" and "Monsoon", three rows."""
    with reversion.create_revision():
        comparison = factories.make_comparison(
            concepts=[
                factories.make_concept(name="Drizzle", slug="drizzle", definition="Fine light rain."),
                factories.make_concept(name="Monsoon", slug="monsoon", definition="A seasonal wind shift."),
            ],
            published=False,
            title="Drizzle vs. Monsoon",
        )
    return comparison


WORDS = (  # noqa: SIM905 - a list of words reads best as words
    "amber birch cedar delta ember fjord glade harbor inlet juniper kelp lagoon meadow nectar orchard pebble "
    "quarry ridge sorrel tundra upland valley willow yarrow zephyr alder bramble canyon dune estuary"
).split()


def scenarios(comparison):
    """Thirty scenarios that keep every rule: no shared give-away word, a third against type, cues named."""
    concepts = comparison.ordered_concepts
    rows = list(comparison.attributes.all())
    result = []
    for n in range(2 * PER_CONCEPT):
        concept = concepts[n % 2]
        row = rows[n % len(rows)]
        result.append(
            {
                "text": f"Observers at the {WORDS[n]} station logged what they saw over record {n + 1}.",
                "concept": concept,
                "row": row,
                "explanation": f"It is decided by the row ({row.name.lower()}).",
                "against_type": n % 3 == 0,
            }
        )
    return result


def assert_panel_accepts(page, live_server, comparison):
    page.goto(f"{live_server.url}/admin/explainer/comparison/{comparison.pk}/change/")
    panel = page.locator(".quiz-quality")
    expect(panel).to_contain_text("30 published scenarios.")
    expect(panel).to_contain_text("No problems found: the quiz keeps every rule.")


def test_thirty_scenarios_written_on_one_screen_are_accepted_by_the_panel(admin_page, live_server, comparison):
    page = admin_page
    page.goto(f"{live_server.url}/admin/explainer/comparison/{comparison.pk}/quiz/?extra=30")
    for index, item in enumerate(scenarios(comparison)):
        prefix = f"#id_form-{index}"
        page.fill(f"{prefix}-text", item["text"])
        page.select_option(f"{prefix}-correct_concept", str(item["concept"].pk))
        page.fill(f"{prefix}-explanation", item["explanation"])
        page.locator(f"#{'form-' + str(index)} input[name='form-{index}-cues'][value='{item['row'].pk}']").check()
        if item["against_type"]:
            page.check(f"{prefix}-against_type")
    screenshot(page, "quiz-screen-typed")
    page.get_by_role("button", name="Check the rules without saving").click()
    expect(page.locator(".quiz-summary")).to_contain_text("keeps the rules")
    assert comparison.scenarios.count() == 0  # checking saved nothing
    page.get_by_role("button", name="Save the quiz").first.click()
    expect(page.locator(".messagelist")).to_contain_text("30 scenario(s) changed")
    assert not run_axe(page)
    screenshot(page, "quiz-screen-saved")
    assert comparison.scenarios.count() == 30
    assert_panel_accepts(page, live_server, comparison)
    screenshot(page, "quiz-panel-after-screen")


def test_thirty_scenarios_imported_from_xlsx_are_accepted_by_the_panel(admin_page, live_server, comparison, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["text", "keyed concept", "against type", "difficulty", "cues", "explanation"])
    for item in scenarios(comparison):
        sheet.append(
            [
                item["text"],
                item["concept"].name,
                "yes" if item["against_type"] else "no",
                "medium",
                item["row"].name,
                item["explanation"],
            ]
        )
    path = tmp_path / "drizzle-vs-monsoon.xlsx"
    book.save(path)
    page = admin_page
    page.goto(f"{live_server.url}/admin/explainer/comparison/{comparison.pk}/quiz/")
    page.get_by_role("link", name="Import from a spreadsheet").click()
    page.get_by_label("Spreadsheet (.csv or .xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator(".import-preview tbody tr")).to_have_count(30)
    expect(page.get_by_role("heading", name="nothing is saved yet")).to_be_visible()
    assert not run_axe(page)
    screenshot(page, "quiz-import-preview")
    assert comparison.scenarios.count() == 0
    page.get_by_role("button", name="Import these rows").click()
    expect(page.locator(".messagelist")).to_contain_text("30 new scenario(s)")
    assert comparison.scenarios.count() == 30
    assert_panel_accepts(page, live_server, comparison)
    screenshot(page, "quiz-panel-after-import")


def test_the_admin_and_its_history_pages_pass_axe_and_the_csp(admin_page, live_server, comparison):
    for lede in ("A first lede.", "A second lede."):
        with reversion.create_revision():
            comparison.lede = lede
            comparison.save()
    newer, older = list(Version.objects.get_for_object(comparison))[:2]
    base = f"{live_server.url}/admin/explainer/comparison/{comparison.pk}/"
    pages = {
        "admin-home": f"{live_server.url}/admin/",
        "admin-history": base + "history/",
        "admin-compare": base + f"history/compare/?version_id1={older.pk}&version_id2={newer.pk}",
        "admin-recover": f"{live_server.url}/admin/explainer/comparison/recover/",
        "admin-quiz": base + "quiz/",
        "admin-quiz-import": base + "quiz/import/",
        "admin-quiz-rules": f"{live_server.url}/admin/explainer/comparison/quiz-rules/",
        "admin-table": base + "table/",
    }
    page = admin_page
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, name
        violations = run_axe(page)
        assert not violations, (name, repr(violations)[:3000])
        screenshot(page, name)
    # The favicon is served by the site itself (a 404 here would log a console error on every page).
    assert page.request.get(live_server.url + "/favicon.ico").status == 200


def test_the_rows_inline_shows_key_takeaway_cells_and_delete_at_1280_pixels(admin_page, live_server, comparison):
    page = admin_page
    page.goto(f"{live_server.url}/admin/explainer/comparison/{comparison.pk}/change/")
    group = page.locator("#attributes-group")
    group.scroll_into_view_if_needed()
    for header in ("Key takeaway", "Cells", "Delete?"):
        box = group.locator("thead th", has_text=header).first.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1280, (header, box)
    screenshot(page, "admin-rows-inline-1280")
