"""The light/dark switch in a real Chromium: it remembers the reader's choice, applies it before the first
paint (no flash under the strict CSP: static/js/theme.js in <head>), follows the system without JavaScript,
and every kind of page passes axe in the theme chosen against the system's, both ways."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import run_axe

pytestmark = pytest.mark.browser

COMPARISON = "/compare/alliance-vs-coalition/"
DARK_BG = "rgb(33, 37, 41)"  # Bootstrap's dark body colour
LIGHT_BG = "rgb(255, 255, 255)"

# Before any script of the page runs: note the theme <html> has when <body> appears, i.e. before the
# first paint. theme.js must have set it by then.
THEME_AT_BODY = """
new MutationObserver((changes, observer) => {
  if (document.body) {
    window.__themeAtBody = document.documentElement.getAttribute("data-theme");
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def background(page):
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def switch(page):
    return page.get_by_role("button", name="Dark theme")


def test_the_switch_turns_a_light_system_dark_and_remembers_it_before_the_first_paint(page, live_server, content):
    page.emulate_media(color_scheme="light")
    page.add_init_script(THEME_AT_BODY)
    page.goto(live_server.url + "/")
    expect(switch(page)).to_have_attribute("aria-pressed", "false")
    assert background(page) == LIGHT_BG
    switch(page).click()
    expect(switch(page)).to_have_attribute("aria-pressed", "true")
    assert background(page) == DARK_BG
    page.goto(live_server.url + COMPARISON)
    assert page.evaluate("window.__themeAtBody") == "dark"  # set in <head>, before <body> was parsed
    assert background(page) == DARK_BG
    expect(switch(page)).to_have_attribute("aria-pressed", "true")
    switch(page).click()  # and back: light remembered, whatever the system says
    page.emulate_media(color_scheme="dark")
    page.reload()
    assert page.evaluate("window.__themeAtBody") == "light"
    assert background(page) == LIGHT_BG
    expect(switch(page)).to_have_attribute("aria-pressed", "false")


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_without_javascript_the_page_follows_the_system_and_offers_no_switch(page, live_server, content):
    for scheme, colour in [("dark", DARK_BG), ("light", LIGHT_BG)]:
        page.emulate_media(color_scheme=scheme)
        page.goto(live_server.url + "/")
        assert background(page) == colour
        expect(page.locator("#theme-switch")).to_be_hidden()


def assert_accessible_in_both_chosen_themes(page):
    """axe finds nothing with the theme chosen against the system: dark on a light system, light on a dark one."""
    for system, chosen, colour in [("light", "dark", DARK_BG), ("dark", "light", LIGHT_BG)]:
        page.emulate_media(color_scheme=system)
        page.evaluate("theme => document.documentElement.setAttribute('data-theme', theme)", chosen)
        assert background(page) == colour
        violations = run_axe(page)
        assert violations == [], (chosen, violations)


def test_every_kind_of_page_passes_axe_in_the_theme_chosen_against_the_system(page, live_server, content):
    page.goto(live_server.url + "/")
    assert_accessible_in_both_chosen_themes(page)  # home, with the switch
    page.goto(live_server.url + COMPARISON)
    assert_accessible_in_both_chosen_themes(page)  # comparison
    page.goto(live_server.url + COMPARISON + "quiz/")
    page.wait_for_load_state()
    assert_accessible_in_both_chosen_themes(page)  # question, with the keys' hint
    for number in range(10):
        page.get_by_role("radio").nth(number % 2).click()
        page.get_by_role("button", name="Check my answer").click()
        expect(page.locator("#feedback-heading")).to_be_visible()
        if number == 0:
            assert_accessible_in_both_chosen_themes(page)  # feedback
        page.get_by_role("button", name=re.compile("Next question|See my result")).click()
        expect(page.locator("#question-heading, #summary-heading")).to_be_visible()
    page.locator(".results details").first.locator("summary").click()
    assert_accessible_in_both_chosen_themes(page)  # summary
