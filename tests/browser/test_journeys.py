"""Journeys through the site in a real Chromium: a reader, a learner (mouse, keyboard, no JS), an editor."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

COMPARISON = "/compare/alliance-vs-coalition/"
QUIZ = COMPARISON + "quiz/"


def no_horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_reader_finds_every_section_of_a_comparison(page, live_server, content):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Alliance vs. Coalition").first.click()
    expect(page).to_have_url(live_server.url + COMPARISON)
    expect(page.get_by_role("heading", level=1)).to_have_text("Alliance vs. Coalition")
    for heading in [
        "Definitions",
        "Side by side",
        "What they have in common",
        "Key differences",
        "Real examples",
        "Where the line blurs",
        "Test yourself",
        "Related comparisons",
    ]:
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    table = page.get_by_role("table")
    expect(table.locator("caption")).to_contain_text("side by side")
    expect(table.get_by_role("columnheader", name="Alliance")).to_be_visible()
    assert table.get_by_role("rowheader").count() >= 8
    expect(page.get_by_role("link", name=re.compile(r"^Source\W+NATO$"))).to_have_count(1)


def test_a_reader_searches_and_lands_on_an_example(page, live_server, content):
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Search comparisons, concepts and examples").fill("Warsaw")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Examples")).to_be_visible()
    expect(page.locator("mark").first).to_have_text(re.compile("warsaw", re.IGNORECASE))
    page.get_by_role("link", name="Warsaw Pact").first.click()
    expect(page.locator("#example-warsaw-pact")).to_be_visible()


def test_keys_choose_and_check_an_answer_and_say_so(page, live_server, content):
    """1 and 2 choose, Enter checks; the options name their key (aria-keyshortcuts) and a hint shows it."""
    from explainer.models import Scenario

    page.goto(live_server.url + QUIZ)
    page.wait_for_load_state()  # quiz.js is deferred: the keys work once it has run
    for number in (1, 2):
        hint = page.locator("#key-hint")
        expect(hint).to_be_visible()
        expect(hint).to_have_text("Keys: 1 to 2 choose an answer, Enter checks it.")
        expect(page.locator("fieldset.quiz-options")).to_have_attribute("aria-describedby", "key-hint")
        radios = page.locator(".quiz-options input[type=radio]")
        expect(radios.nth(0)).to_have_attribute("aria-keyshortcuts", "1")
        expect(radios.nth(1)).to_have_attribute("aria-keyshortcuts", "2")
        text = page.locator("blockquote.scenario p").inner_text().strip()
        answer = Scenario.objects.select_related("correct_concept").get(text=text).correct_concept.name
        page.keyboard.press(str(number))
        expect(radios.nth(number - 1)).to_be_checked()
        expect(radios.nth(number - 1)).to_be_focused()
        chosen = page.locator(".quiz-options .form-check-label").nth(number - 1).inner_text().strip()
        page.keyboard.press("Enter")
        verdict = "Right:" if chosen == answer else "Not quite:"
        expect(page.locator("#feedback-heading")).to_contain_text(verdict)
        if chosen != answer:
            expect(page.locator(".why-not")).to_contain_text(f"You answered {chosen}.")
        # The feedback has no options: the keys are the page's own again (Enter on "Next" goes on).
        page.get_by_role("button", name="Next question").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name=f"Question {number + 1} of 10")).to_be_visible()


def answer_with_mouse(page, option_index):
    page.get_by_role("radio").nth(option_index).click()
    page.get_by_role("button", name="Check my answer").click()


def test_a_learner_plays_a_round_with_the_mouse_and_feedback_comes_without_a_page_load(page, live_server, content):
    page.goto(live_server.url + COMPARISON)
    page.get_by_role("link", name="Test yourself: which is it?").click()
    expect(page.get_by_role("heading", name="Question 1 of 10")).to_be_visible()
    for number in range(1, 11):
        expect(page.get_by_role("heading", name=f"Question {number} of 10")).to_be_visible()
        page.wait_for_load_state()  # quiz.js is deferred: it takes over once the page has loaded
        page.evaluate("window.__samePage = true")
        answer_with_mouse(page, number % 2)
        feedback = page.locator("#feedback-heading")
        expect(feedback).to_be_visible()
        expect(feedback).to_be_focused()
        assert page.evaluate("window.__samePage === true"), "the feedback must come without a page load"
        expect(page.locator(".deciding-answer").first).to_be_visible()
        page.get_by_role("button", name=re.compile("Next question|See my result")).click()
    expect(page.get_by_role("heading", name=re.compile(r"You got \d+ of 10 right"))).to_be_visible()
    expect(page.get_by_role("figure", name="Cues behind the missed answers")).to_be_visible()
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        assert no_horizontal_overflow(page)
        screenshot(page, f"quiz-summary-{width}")


def tab_to(page, selector, limit=40):
    """Press Tab until the focused element matches `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_learner_plays_a_round_with_the_keyboard_only(page, live_server, content):
    page.goto(live_server.url + QUIZ)
    for number in range(1, 11):
        expect(page.get_by_role("heading", name=f"Question {number} of 10")).to_be_visible()
        page.wait_for_load_state()
        tab_to(page, "input[type=radio]")
        page.keyboard.press("Space")  # select the focused option
        if number % 2:
            page.keyboard.press("ArrowDown")  # arrows move the choice within the group
        assert page.locator("input[type=radio]:checked").count() == 1
        tab_to(page, "#answer-form [type=submit]")
        page.keyboard.press("Enter")
        expect(page.locator("#feedback-heading")).to_be_focused()
        tab_to(page, "#quiz-panel button[type=submit]")
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile(r"You got \d+ of 10 right"))).to_be_visible()
    tab_to(page, "form[action$='/quiz/new/'] button")
    page.keyboard.press("Space")
    expect(page.get_by_role("heading", name="Question 1 of 10")).to_be_visible()


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_a_learner_plays_a_round_without_javascript(page, live_server, content):
    page.goto(live_server.url + QUIZ)
    for number in range(1, 11):
        expect(page.get_by_role("heading", name=f"Question {number} of 10")).to_be_visible()
        with page.expect_navigation():  # with JavaScript on, there would be none
            answer_with_mouse(page, 0)
        expect(page.locator("#feedback-heading")).to_be_visible()
        expect(page.locator(".deciding-answer").first).to_be_visible()
        page.get_by_role("button", name=re.compile("Next question|See my result")).click()
    expect(page.get_by_role("heading", name=re.compile(r"You got \d+ of 10 right"))).to_be_visible()
    expect(page.locator(".result")).to_have_count(10)


def test_a_printed_comparison_has_no_buttons_and_prints_source_addresses(page, live_server, content):
    page.goto(live_server.url + COMPARISON)
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name="Test yourself: which is it?")).to_be_hidden()
    expect(page.get_by_role("link", name="Start the quiz")).to_be_hidden()
    source = page.locator(".source-link").first
    printed = source.evaluate("link => getComputedStyle(link, '::after').content")
    assert source.get_attribute("href") in printed


def printed_pages(page, tmp_path, paper="A4"):
    """The text of each page of the page printed to PDF by Chromium, whitespace collapsed."""
    from pypdf import PdfReader

    path = tmp_path / "printed.pdf"
    page.pdf(path=str(path), format=paper)
    return [" ".join(sheet.extract_text().split()) for sheet in PdfReader(path).pages]


@pytest.mark.parametrize("slug", ["alliance-vs-coalition", "alliance-coalition-partnership"])
def test_a_printed_comparison_starts_its_table_under_its_heading_and_keeps_each_row_on_one_page(
    page, live_server, content, tmp_path, slug
):
    page.goto(f"{live_server.url}/compare/{slug}/")
    # Each row's start and end marked with a word the PDF's text will show (a few letters each).
    rows = page.locator(".comparison-table tbody tr")
    count = rows.count()
    rows.evaluate_all(
        """rows => rows.forEach((row, n) => {
            row.querySelector("th").insertAdjacentText("afterbegin", `ROWSTART${n} `);
            row.querySelector("td:last-child").insertAdjacentText("beforeend", ` ROWEND${n}`);
        })"""
    )
    pages = printed_pages(page, tmp_path)
    assert len(pages) > 1
    heading = next(n for n, text in enumerate(pages) if "Side by side" in text)
    assert "ROWSTART0 " in pages[heading], "the heading 'Side by side' ends a page without its table"
    for n in range(count):
        start = next(p for p, text in enumerate(pages) if f"ROWSTART{n} " in text)
        assert f"ROWEND{n}" in pages[start], f"row {n} is split across pages {start + 1} and {start + 2}"


def test_back_after_four_answers_leaves_the_quiz_in_one_press(page, live_server, content):
    page.goto(live_server.url + COMPARISON)
    page.get_by_role("link", name="Test yourself: which is it?").click()
    for number in range(1, 5):
        expect(page.get_by_role("heading", name=f"Question {number} of 10")).to_be_visible()
        page.wait_for_load_state()
        answer_with_mouse(page, 0)
        page.get_by_role("button", name="Next question").click()
    expect(page.get_by_role("heading", name="Question 5 of 10")).to_be_visible()
    assert page.url.endswith("/quiz/")
    page.go_back()
    assert page.url == live_server.url + COMPARISON


@pytest.mark.parametrize(
    "slug", ["alliance-coalition-partnership", "treaty-vs-executive-agreement"], ids=["three-way", "treaty"]
)
def test_a_long_quiz_title_fits_a_phone(page, live_server, content, slug):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/compare/{slug}/quiz/")
    assert no_horizontal_overflow(page)
