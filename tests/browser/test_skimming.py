"""The comparison and home pages at a phone's and a desktop's size: what is above the fold, widths, axe, layout.

Issue 17's acceptance for the reader's pages: at 390x844 and 1280x800 the
one-question test and the start of the table are visible without scrolling,
no page is wider than the viewport, and axe-core finds nothing in light or
dark mode. Screenshots of the new pages go to test-artifacts/screenshots/.
"""

import re

import pytest
from playwright.sync_api import expect

from explainer.models import Attribute
from tests.browser.conftest import assert_accessible_in_both_schemes, screenshot

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
TWO_WAY = "/compare/alliance-vs-coalition/"
THREE_WAY = "/compare/alliance-coalition-partnership/"
ALL_COMPARISONS = [
    TWO_WAY,
    THREE_WAY,
    "/compare/coup-vs-revolution/",
    "/compare/federation-vs-confederation/",
    "/compare/lobbying-vs-advocacy/",
    "/compare/sanctions-vs-embargo/",
    "/compare/treaty-vs-executive-agreement/",
]


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request, page):
    page.set_viewport_size(VIEWPORTS[request.param])
    return request.param


def box(page, selector):
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not rendered"
    return found


@pytest.mark.parametrize("path", [TWO_WAY, THREE_WAY], ids=["two-way", "three-way"])
def test_the_test_the_takeaways_and_the_start_of_the_table_are_above_the_fold(
    page, live_server, content, viewport, path
):
    page.goto(live_server.url + path)
    height = VIEWPORTS[viewport]["height"]
    assert page.evaluate("window.scrollY") == 0
    test = box(page, ".one-line-test")
    assert test["y"] >= 0 and test["y"] + test["height"] <= height
    takeaways = box(page, ".takeaways")
    assert takeaways["y"] + takeaways["height"] <= height
    slug = path.strip("/").split("/")[-1]
    key_rows = Attribute.objects.filter(comparison__slug=slug, comparison__draft_of=None, is_key=True).count()
    assert key_rows >= 2
    assert page.locator(".takeaways > ol > li").count() == key_rows
    # The table visibly starts on the first screen: its first row's name and first headline.
    name = page.locator(".comparison-table tbody th").first.evaluate(
        "th => { const r = document.createRange(); r.selectNodeContents(th.firstChild);"
        " return r.getBoundingClientRect().bottom }"
    )
    headline = box(page, ".comparison-table tbody tr:first-child .cell-headline")
    assert name <= height and headline["y"] + headline["height"] <= height


def test_no_page_is_wider_than_the_viewport(page, live_server, content, viewport):
    """Every comparison, the home page and search; on a phone also at 360 px, a small phone's width.

    The comparison table, too, lies wholly inside the screen (no box of its own to scroll sideways).
    """
    widths = [VIEWPORTS[viewport]["width"], *([360] if viewport == "phone" else [])]
    for path in ["/", "/search/?q=alliance", *ALL_COMPARISONS]:
        page.set_viewport_size(VIEWPORTS[viewport])
        page.goto(live_server.url + path)
        for width in widths:
            page.set_viewport_size({"width": width, "height": VIEWPORTS[viewport]["height"]})
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{path} is {scroll_width} px wide at {width} px"
            if path.startswith("/compare/"):
                table = box(page, ".comparison-table")
                assert table["x"] >= 0 and table["x"] + table["width"] <= width, (path, width, table)


# Also test_accessibility.py's for these pages: here at both sizes, in both colour schemes.
@pytest.mark.parametrize("path", ["/", TWO_WAY, THREE_WAY], ids=["home", "comparison", "three-way"])
def test_home_and_comparison_pages_have_no_axe_violations_at_either_size(page, live_server, content, viewport, path):
    page.goto(live_server.url + path)
    assert_accessible_in_both_schemes(page)


def test_a_followed_key_difference_link_highlights_its_row(page, live_server, content, viewport):
    page.goto(live_server.url + TWO_WAY)
    link = page.locator("#differences a[href^='#row-']").first
    target = link.get_attribute("href")
    link.click()
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    row = page.locator(target)
    assert row.evaluate("row => row.matches(':target')")
    highlighted = row.locator("th").evaluate("th => getComputedStyle(th).backgroundColor")
    plain = page.locator(".comparison-table tbody tr:not(:target) th").first.evaluate(
        "th => getComputedStyle(th).backgroundColor"
    )
    assert highlighted == "rgb(255, 244, 194)" and highlighted != plain  # --ex-cue-bg
    heading = box(page, target + " th")
    assert 0 <= heading["y"] < VIEWPORTS[viewport]["height"]


def test_on_a_desktop_the_table_headings_stay_in_view_while_it_scrolls(page, live_server, content):
    page.set_viewport_size(VIEWPORTS["desktop"])
    page.goto(live_server.url + TWO_WAY)
    page.locator(".comparison-table tbody tr").nth(6).scroll_into_view_if_needed()
    page.mouse.wheel(0, 300)
    page.wait_for_function("window.scrollY > 0")
    table = box(page, ".comparison-table")
    assert table["y"] < 0  # the table's top has scrolled away...
    heading = box(page, ".comparison-table thead th.tone-1")
    assert -1 <= heading["y"] <= 1  # ...and its headings stuck to the top of the screen
    expect(page.locator(".comparison-table thead th.tone-1")).to_have_text(re.compile("Alliance"))


def test_on_a_phone_each_row_is_a_card_that_names_its_concepts(page, live_server, content):
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(live_server.url + THREE_WAY)
    first_row = page.locator(".comparison-table tbody tr").first
    labels = first_row.locator(".cell-concept")
    expect(labels).to_have_text([re.compile("Alliance"), re.compile("Coalition"), re.compile("Partnership")])
    for index in range(3):
        expect(labels.nth(index)).to_be_visible()
        cell = box(page, f".comparison-table tbody tr:first-child td:nth-of-type({index + 1})")
        assert cell["width"] > 300  # full width, not a 130 px column
    expect(first_row.locator(".cell-headline").first).to_be_visible()


def test_on_a_desktop_the_concept_labels_give_way_to_the_column_headings(page, live_server, content):
    page.set_viewport_size(VIEWPORTS["desktop"])
    page.goto(live_server.url + TWO_WAY)
    expect(page.locator(".comparison-table thead th.tone-2")).to_be_visible()
    expect(page.locator(".comparison-table .cell-concept").first).to_be_hidden()


def test_each_concept_has_its_own_colour_and_marker(page, live_server, content):
    page.goto(live_server.url + THREE_WAY)
    colours, markers = set(), set()
    for tone in (1, 2, 3):
        mark = page.locator(f".comparison-table thead th.tone-{tone} .tone-mark")
        colours.add(mark.evaluate("m => getComputedStyle(m, '::before').color"))
        markers.add(mark.evaluate("m => getComputedStyle(m, '::before').content"))
    assert len(colours) == 3 and len(markers) == 3  # never colour alone: three shapes too


def test_home_shows_start_here_and_the_first_cards_on_the_first_screen(page, live_server, content, viewport):
    page.goto(live_server.url + "/")
    height = VIEWPORTS[viewport]["height"]
    start = box(page, ".start-here")
    assert start["y"] + start["height"] <= height
    expect(page.locator(".start-here")).to_contain_text("Alliance vs. Coalition")
    quiz = box(page, ".start-here a[href$='/quiz/']")
    assert quiz["y"] + quiz["height"] <= height and quiz["height"] >= 24  # one tap away, and big enough to tap
    assert box(page, ".card-grid .comparison-card")["y"] < height  # the index starts on the first screen


def test_screenshots_of_the_new_home_and_comparison_pages(page, live_server, content, viewport):
    for name, path in [("home", "/"), ("comparison", TWO_WAY), ("three-way", THREE_WAY)]:
        page.goto(live_server.url + path)
        expect(page.locator("h1")).to_be_visible()
        screenshot(page, f"issue17-{name}-{viewport}")
