"""Issue 17 in a real Chromium: the feedback fits a phone, calibration after a round with confidence,
and missed cases that come back a day later (the review clock moved in the test)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from explainer import due_hint
from explainer.models import Scenario
from explainer.quiz import review
from explainer.quiz.rounds import MAX_DUE_PER_ROUND
from tests.browser.conftest import assert_accessible_in_both_schemes, screenshot

pytestmark = pytest.mark.browser

TWO_WAY = "/compare/alliance-vs-coalition/"
THREE_WAY = "/compare/alliance-coalition-partnership/"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
NEXT = re.compile("Next question|See my result")


def no_horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def in_viewport(locator):
    """Whether the element lies wholly inside the viewport as the page stands (no scrolling)."""
    return locator.evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )


def shown_scenario(page):
    """The scenario of the question on screen (looked up by its text)."""
    text = page.locator("blockquote.scenario p").first.inner_text().strip()
    return Scenario.objects.select_related("correct_concept").get(text=text)


def choose(page, correct, confidence=None):
    """Pick the right answer or a wrong one for the question on screen, and a confidence; submit."""
    scenario = shown_scenario(page)
    page.wait_for_load_state()  # quiz.js is deferred: it takes over once the page has loaded
    options = page.locator(".quiz-options .form-check-label")
    names = [name.strip() for name in options.all_inner_texts()]
    wanted = scenario.correct_concept.name
    index = names.index(wanted) if correct else next(i for i, n in enumerate(names) if n != wanted)
    options.nth(index).click()
    if confidence:
        page.locator(".confidence-options").get_by_text(confidence, exact=True).click()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator("#feedback-heading")).to_be_visible()
    return scenario


def go_next(page):
    page.get_by_role("button", name=NEXT).click()
    expect(page.locator("#question-heading, #summary-heading")).to_be_visible()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_verdict_and_next_are_on_screen_after_every_answer(page, live_server, content, viewport):
    """Worst case: wrong answers on the three-way quiz, where a note on the wrong choice comes first."""
    page.set_viewport_size(viewport)
    page.goto(live_server.url + THREE_WAY + "quiz/")
    name = "phone" if viewport is PHONE else "desktop"
    screenshot(page, f"quiz17-question-{name}")
    assert no_horizontal_overflow(page)
    heights = []
    for number in range(1, 11):
        choose(page, correct=False)
        verdict = page.locator("#feedback-heading")
        button = page.get_by_role("button", name=NEXT)
        assert in_viewport(verdict), f"question {number}: the verdict is off screen"
        assert in_viewport(button), f"question {number}: Next is off screen"
        assert no_horizontal_overflow(page)
        heights.append(
            (
                page.evaluate("document.documentElement.scrollHeight"),
                button.evaluate("e => Math.round(e.getBoundingClientRect().bottom + window.scrollY)"),
            )
        )
        if number == 1:
            screenshot(page, f"quiz17-feedback-{name}")
        go_next(page)
    print(f"feedback at {viewport['width']} px, (page height, bottom of Next): {heights}")
    assert no_horizontal_overflow(page)  # the summary
    screenshot(page, f"quiz17-summary-wrong-{name}")


def test_the_new_quiz_parts_have_no_axe_violations(page, live_server, content):
    """The three-concept quiz with confidence, in both colour schemes (the two-concept one: test_accessibility.py)."""
    page.goto(live_server.url + THREE_WAY + "quiz/")
    assert_accessible_in_both_schemes(page)  # question: whole-box options, confidence
    for number in range(10):
        choose(page, correct=number % 3 == 0, confidence=["Sure", "I think so", "Guessing"][number % 3])
        if number == 0:
            assert_accessible_in_both_schemes(page)  # feedback: note on the wrong choice, the deciding cells
        go_next(page)
    page.locator(".results details").first.locator("summary").click()  # a missed case, unfolded
    assert_accessible_in_both_schemes(page)  # summary: leanings, calibration, sure-but-wrong, linked chart


def test_a_round_answered_with_confidence_shows_the_calibration(page, live_server, content):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + TWO_WAY + "quiz/")
    # Sure: right, wrong, right, wrong, ... (3 of 6 right); guessing: right (4 of 4).
    plan = [(True, "Sure"), (False, "Sure"), (True, "Guessing")] * 3 + [(True, "Guessing")]
    sure_and_wrong = []
    for correct, confidence in plan:
        scenario = choose(page, correct, confidence)
        if not correct:
            sure_and_wrong.append(scenario)
        go_next(page)
    expect(page.get_by_role("heading", name="You got 7 of 10 right")).to_be_visible()
    calibration = page.locator("table.calibration")
    expect(calibration.locator("tr", has_text="Sure")).to_contain_text("3 of 6 (50%)")
    expect(calibration.locator("tr", has_text="Guessing")).to_contain_text("4 of 4 (100%)")
    expect(calibration.locator("tr", has_text="I think so")).to_have_count(0)
    misses = page.locator(".confident-misses li")
    expect(misses).to_have_count(3)
    for scenario in sure_and_wrong:
        expect(page.locator(f'.confident-misses a[href="#result-{scenario.pk}"]')).to_have_count(1)
    expect(page.locator(".leanings li").first).to_contain_text("You called")
    screenshot(page, "quiz17-summary-phone")
    page.set_viewport_size(DESKTOP)
    assert no_horizontal_overflow(page)
    screenshot(page, "quiz17-summary-desktop")
    # A chart bar leads to its row of the table.
    bar = page.locator(".chart-bar").first
    row = bar.get_attribute("href").split("#")[1]
    bar.click()
    expect(page.locator(f"#{row}")).to_be_visible()


def test_missed_cases_come_back_a_day_later(page, live_server, content, monkeypatch):
    page.goto(live_server.url + TWO_WAY + "quiz/")
    missed = set()
    for number in range(10):
        correct = number % 2 == 0
        scenario = choose(page, correct, "Sure")
        if not correct:
            missed.add(scenario.pk)
        go_next(page)
    page.goto(live_server.url + "/")
    expect(page.get_by_text(re.compile("cases? to review"))).to_have_count(0)  # the same day: nothing due

    later = timezone.now() + timedelta(days=1, minutes=5)
    monkeypatch.setattr(review, "now", lambda: later)  # the live server runs in this process
    monkeypatch.setattr(due_hint, "now", lambda: later)  # and the page cache reads the due hint with it

    page.goto(live_server.url + "/")
    expect(page.locator(".review-due")).to_contain_text(f"{len(missed)} cases to review")
    page.goto(live_server.url + TWO_WAY)
    line = page.locator(".review-due")
    expect(line).to_contain_text(f"{len(missed)} cases to review")
    line.get_by_role("link", name="new round").click()
    met_again = set()
    for _ in range(10):
        expect(page.locator("#question-heading")).to_be_visible()
        if page.locator("#question-heading .badge", has_text="Back for review").count():
            met_again.add(shown_scenario(page).pk)
        choose(page, correct=True, confidence="Sure")
        go_next(page)
    assert len(met_again) == min(len(missed), MAX_DUE_PER_ROUND)
    assert met_again <= missed
