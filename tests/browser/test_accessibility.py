"""axe-core finds no WCAG 2.2 A/AA violation on any kind of page, and every control shows its focus."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Hygiene, assert_accessible_in_both_schemes, run_axe

pytestmark = pytest.mark.browser

COMPARISON = "/compare/alliance-vs-coalition/"
QUIZ = COMPARISON + "quiz/"


def assert_accessible(page):
    violations = run_axe(page)
    assert violations == [], violations


# The home page and the comparison pages (two and three concepts) are checked at a phone's and a
# desktop's size in test_skimming.py; the other kinds of page here. Each page in both colour schemes.
@pytest.mark.parametrize(
    "path",
    [
        "/concepts/alliance/",
        "/categories/international-relations/",
        "/search/?q=alliance",
        "/search/?q=zzzz",
        COMPARISON + "report/",
        "/compare/no-such-page/",
    ],
    ids=["concept", "category", "search", "no-results", "report", "not-found"],
)
def test_pages_have_no_axe_violations(page, hygiene, live_server, content, path):
    if "no-such" in path:
        hygiene.expect_console_error("status of 404")
    response = page.goto(live_server.url + path)
    assert response.status == (404 if "no-such" in path else 200)
    assert_accessible_in_both_schemes(page)


def test_every_quiz_state_has_no_axe_violations_and_the_summary_is_readable(page, live_server, content):
    """The two-concept quiz (the three-concept one, with confidence: test_quiz_learning.py), both colour schemes."""
    page.goto(live_server.url + QUIZ)
    assert_accessible_in_both_schemes(page)  # question
    page.get_by_role("radio").first.click()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator("#feedback-heading")).to_be_visible()
    assert_accessible_in_both_schemes(page)  # feedback, with the cue rows highlighted
    for _ in range(10):
        button = page.get_by_role("button", name=re.compile("Next question|See my result"))
        if button.count() == 0:
            break
        button.click()
        # The next step replaces the panel in place: wait for it before looking.
        expect(page.locator("#question-heading, #summary-heading")).to_be_visible()
        if page.get_by_role("radio").count():
            page.get_by_role("radio").first.click()  # the first option each time: some right, some missed
            page.get_by_role("button", name="Check my answer").click()
            expect(page.locator("#feedback-heading")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("You got"))).to_be_visible()
    assert_accessible_in_both_schemes(page)  # summary, with the chart
    # The chart has a text alternative: each bar is a link named by its row and its figures,
    # and leads to that row of the table.
    chart = page.get_by_role("figure", name="Cues behind the missed answers")
    bar = chart.get_by_role("link").first
    expect(bar).to_have_accessible_name(re.compile(r"\w+ missed \d+ of \d+"))
    assert re.search(r"/compare/alliance-vs-coalition/#row-[a-z-]+$", bar.get_attribute("href"))
    # The "New round" outline button is readable in dark mode (assert_accessible_in_both_schemes left it on).
    button = page.get_by_role("button", name="New round")
    color = button.evaluate("b => getComputedStyle(b).color")
    assert page.evaluate(CONTRAST, [color, page_background(page)]) >= 4.5


def test_a_form_error_has_no_axe_violations(page, hygiene, live_server, content):
    hygiene.expect_console_error("status of 400")
    page.goto(live_server.url + QUIZ)
    page.wait_for_load_state()
    page.evaluate(
        "document.getElementById('quiz-panel').replaceWith(document.getElementById('quiz-panel').cloneNode(true))"
    )
    page.get_by_role("button", name="Check my answer").click()  # no choice made: a 400 with the error
    expect(page.get_by_text("Choose one of the answers.")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize(
    "selector",
    ["a.site-name", "#answer-form input[type=radio]", "#answer-form [type=submit]", ".skip-link"],
)
def test_focus_is_visible_on_every_kind_of_control(page, live_server, content, selector):
    page.goto(live_server.url + QUIZ)
    page.wait_for_load_state()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            break
    else:
        raise AssertionError(f"Tab never reached {selector}")
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert outline[0] != "none" and outline[1] != "0px", outline


# The guards themselves: each must catch what it is for, or the checks above prove nothing.


def test_the_axe_check_catches_a_violation(page, live_server, content):
    page.goto(live_server.url + "/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/static/img/favicon.svg\">')"
    )
    ids = [violation["id"] for violation in run_axe(page)]
    assert "image-alt" in ids


def watched_home_page(browser, live_server):
    """A fresh context showing the home page, watched by a Hygiene guard: (context, page, hygiene)."""
    context = browser.new_context()
    page = context.new_page()
    hygiene = Hygiene(live_server.url)
    hygiene.watch(page)
    page.goto(live_server.url + "/")
    return context, page, hygiene


def test_the_hygiene_guard_catches_an_outside_request_and_a_console_error(browser, live_server, content):
    context, page, hygiene = watched_home_page(browser, live_server)
    hygiene.check()  # the page itself is clean
    # A page that pulls a script from a CDN (our CSP would refuse it first, so use a page without one).
    page.set_content('<script src="https://cdn.example.com/library.js"></script><p>hello</p>')
    page.evaluate("console.error('something broke')")
    page.wait_for_timeout(200)
    with pytest.raises(AssertionError) as caught:
        hygiene.check()
    assert "request to another address: https://cdn.example.com/library.js" in str(caught.value)
    assert "console error: something broke" in str(caught.value)
    context.close()


def test_the_hygiene_guard_catches_a_csp_violation(browser, live_server, content):
    context, page, hygiene = watched_home_page(browser, live_server)
    # An inline script added by the page itself is refused by our Content-Security-Policy,
    # and Chromium reports the refusal as a console error.
    page.evaluate("const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.body.append(s)")
    page.wait_for_timeout(200)
    with pytest.raises(AssertionError, match="Content Security Policy"):
        hygiene.check()
    context.close()


CONTRAST = """(pair) => {
  const rgb = (css) => css.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const luminance = (css) => {
    const linear = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    const [r, g, b] = rgb(css).map(linear);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = pair.map(luminance).sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def page_background(page):
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_the_answer_options_borders_stand_out_from_the_page(page, live_server, content):
    page.goto(live_server.url + QUIZ)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        border = page.get_by_role("radio").first.evaluate("radio => getComputedStyle(radio).borderTopColor")
        assert page.evaluate(CONTRAST, [border, page_background(page)]) >= 3, scheme  # WCAG 1.4.11
