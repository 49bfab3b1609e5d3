"""Editors in a real browser: a comparison built from nothing by following its checklist, publishing
refusals, and a live page changed through a draft."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from explainer import drafts
from explainer.models import Cell, Comparison
from tests import factories
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def checklist_link(page, name):
    link = page.locator("#readiness").get_by_role("link", name=name).first
    target = urlsplit(link.evaluate("a => a.href"))
    if target.path == urlsplit(page.url).path:  # a section of this page
        link.click()
        return
    with page.expect_navigation():  # typing must wait for the new form, not the page being left
        link.click()
    page.wait_for_load_state()


def save_and_continue(page):
    page.locator("input[name='_continue']").click()
    expect(page.locator(".messagelist")).to_be_visible()


def add_inline_row(page, group, link_text):
    page.locator(f"#{group}").get_by_role("button", name=link_text).click()


def test_an_editor_builds_a_complete_comparison_from_nothing_by_following_the_checklist(
    admin_page, live_server, content, browser
):
    page = admin_page
    page.goto(live_server.url + "/admin/explainer/comparison/add/")
    page.locator("#id_title").press_sequentially(
        "Daily Weather vs. Regional Climate"
    )  # typed: the slug follows keystrokes
    expect(page.locator("#id_slug")).to_have_value("daily-weather-vs-regional-climate")  # filled in from the title
    page.locator("#id_category").select_option(index=1)
    page.fill("#id_lede", "Weather is what the air does this week; climate is what it does over decades.")
    page.locator("#id_has_quiz").uncheck()  # "no quiz yet"
    save_and_continue(page)
    expect(page.locator("#readiness .missing")).not_to_have_count(0)

    for name, definition in [
        ("Daily weather", "The state of the air at one place and time: rain, wind, heat."),
        ("Regional climate", "The usual pattern of weather in a region over thirty years or more."),
    ]:
        checklist_link(page, "Add a new concept")
        page.locator("#id_name").press_sequentially(name)
        page.fill("#id_definition", definition)
        page.locator("input[name='_save']").click()
        expect(page.locator("#readiness")).to_be_visible()  # back on the comparison

    checklist_link(page, "Add rows")
    rows = [("Time span", "Hours to days", "Thirty years or more"), ("Measure", "One reading", "An average")]
    rows.append(("Forecast", "Days ahead, from physics", "Decades ahead, as ranges"))
    for number, (row, _, _) in enumerate(rows):
        add_inline_row(page, "attributes-group", "Add another Attribute (table row)")
        page.locator(f"#id_attributes-{number}-name").press_sequentially(row)
    save_and_continue(page)

    checklist_link(page, "Write the cells on one screen")
    for row, weather, climate in rows:
        cells = page.get_by_role("row", name=re.compile(row)).locator("textarea")
        cells.nth(0).fill(weather)
        cells.nth(1).fill(climate)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messagelist")).to_contain_text("cell(s) changed")
    page.locator(".breadcrumbs").get_by_role("link", name="Daily Weather vs. Regional Climate").click()

    checklist_link(page, re.compile("Go there"))  # similarities
    for number in range(3):
        add_inline_row(page, "points-group", "Add another Similarity")
        page.fill(f"#id_points-{number}-title", f"Both are about the air ({number + 1})")
        page.fill(f"#id_points-{number}-text", "Both describe temperature, rain and wind in one place.")
    for number in range(3):
        add_inline_row(page, "points-2-group", "Add another Key difference")
        page.locator(f"#id_points-2-{number}-attribute").select_option(index=number + 1)
        page.fill(f"#id_points-2-{number}-title", f"Difference {number + 1}")
        page.fill(f"#id_points-2-{number}-text", "Weather is one moment; climate is the pattern of many.")
    save_and_continue(page)

    for concept, name, year in [
        ("Daily weather", "The Great Storm of 1987", 1987),
        ("Daily weather", "The 2003 European heatwave", 2003),
        ("Regional climate", "The Sahel's drier decades", 1970),
        ("Regional climate", "The Little Ice Age", 1300),
    ]:
        checklist_link(page, f"Add an example of “{concept}”")
        page.locator("#id_name").press_sequentially(name)
        page.fill("#id_start_year", str(year))
        page.fill("#id_summary", f"{name}: a case readers can check.")
        page.fill("#id_source_url", "https://www.metoffice.gov.uk/")
        page.locator("input[name='_save']").click()
        expect(page.locator("#readiness")).to_be_visible()

    expect(page.locator("#readiness .missing")).to_have_count(0)
    expect(page.locator("#readiness")).to_contain_text("it can be published")
    screenshot(page, "editor-checklist-complete")

    with page.expect_popup() as opened:  # the preview opens in a new tab, the form stays open here
        page.locator("#readiness").get_by_role("link", name="Preview").click()
    preview = opened.value
    expect(preview.get_by_role("heading", name="Daily Weather vs. Regional Climate", level=1)).to_be_visible()
    expect(preview.get_by_role("row", name=re.compile("Time span"))).to_contain_text("Thirty years or more")
    expect(preview.get_by_text("The Great Storm of 1987 (1987)")).to_be_visible()  # a one-year event, not "–present"
    expect(preview.get_by_role("link", name="Edit this page")).to_be_visible()  # the way back to editing
    preview.close()

    page.locator("#id_status").select_option("published")
    page.locator("input[name='_save']").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert Comparison.objects.get(slug="daily-weather-vs-regional-climate").is_published
    reader = browser.new_page()
    reader.goto(live_server.url + "/compare/daily-weather-vs-regional-climate/")
    expect(reader.get_by_role("heading", name="Daily Weather vs. Regional Climate", level=1)).to_be_visible()
    expect(reader.get_by_role("link", name="Test yourself: which is it?")).to_have_count(0)  # no quiz yet
    reader.close()


def test_each_publishing_refusal_names_what_is_missing_as_an_error(admin_page, live_server):
    comparison = factories.make_comparison(concepts=2, attributes=1, published=False)
    comparison.attributes.first().cells.first().delete()
    page = admin_page
    page.goto(f"{live_server.url}/admin/explainer/comparison/{comparison.pk}/change/")
    page.locator("#id_status").select_option("published")
    page.locator("input[name='_save']").click()
    # The editor lands back on the comparison's own form: a red refusal, and the checklist naming each gap once.
    expect(page).to_have_url(re.compile(rf"/admin/explainer/comparison/{comparison.pk}/change/#readiness$"))
    error = page.locator(".messagelist li.error")
    expect(error).to_contain_text("cannot be published yet")
    for problem in [
        "has empty cells",
        "at least 3 similarities",
        "at least 3 key differences",
        "at least 4 examples",
        "at least 30 published scenarios",
        "keyed to each concept",
    ]:
        expect(page.locator("#readiness").get_by_text(re.compile(problem))).to_have_count(1)
        expect(page.get_by_text(re.compile(problem))).to_have_count(1)
    expect(page.locator(".messagelist li.success")).to_have_count(0)
    comparison.refresh_from_db()
    assert not comparison.is_published


def test_an_editor_changes_a_live_page_through_a_draft_and_readers_see_it_only_once_published(
    admin_page, live_server, content, browser
):
    cell = Cell.objects.get(
        attribute__comparison__slug="alliance-vs-coalition", attribute__slug="duration", concept__slug="alliance"
    )
    page = admin_page
    page.get_by_role("link", name="Comparisons").click()
    page.get_by_role("link", name="Alliance vs. Coalition", exact=True).click()
    page.get_by_role("button", name="Edit a draft").click()
    expect(page.locator(".draft-banner")).to_contain_text("This is the draft of the live page")
    page.get_by_role("link", name="Edit the whole table on one screen").click()
    field = page.locator("textarea").filter(has_text=cell.text)
    field.fill("Decades, by design: edited in a draft.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messagelist")).to_contain_text("1 cell(s) changed")

    reader = browser.new_page()
    reader.goto(live_server.url + "/compare/alliance-vs-coalition/")
    expect(reader.get_by_role("row", name=re.compile("Duration"))).not_to_contain_text("edited in a draft")

    page.locator(".breadcrumbs a").nth(2).click()  # back to the draft
    with page.expect_popup() as opened:
        page.get_by_role("link", name="Preview the draft").click()
    expect(opened.value.get_by_role("row", name=re.compile("Duration"))).to_contain_text("edited in a draft")
    opened.value.close()
    page.get_by_role("link", name="See the changes").click()
    changed = page.get_by_role("row", name=re.compile("Duration × Alliance"))
    expect(changed).to_contain_text("edited in a draft")
    expect(changed.locator("ins")).not_to_have_count(0)
    screenshot(page, "editor-draft-changes")
    page.get_by_role("link", name="Back to the draft").click()
    page.get_by_role("button", name="Publish changes").click()
    expect(page.locator(".messagelist")).to_contain_text("Published: readers now see the changes")

    reader.reload()
    expect(reader.get_by_role("row", name=re.compile("Duration"))).to_contain_text("edited in a draft")
    reader.close()


OVERFLOWING = """() => [...document.querySelectorAll('#content *')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .filter(e => !e.closest('.results, .tabular'))  /* wide lists scroll inside their own box */
    .map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className).slice(0, 5)"""


def test_the_comparison_and_scenario_screens_fit_1280_pixels(admin_page, live_server, content):
    page = admin_page
    page.set_viewport_size({"width": 1280, "height": 800})
    comparison = Comparison.objects.get(slug="alliance-vs-coalition")
    draft = drafts.start(comparison, None)
    for comparison_id in (comparison.pk, draft.pk):
        page.goto(f"{live_server.url}/admin/explainer/comparison/{comparison_id}/change/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        assert page.evaluate(OVERFLOWING) == []
    page.goto(live_server.url + "/admin/explainer/scenario/")
    header = page.locator("th.column-confidently_wrong_share")
    box = header.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1280  # the statistics are on screen
