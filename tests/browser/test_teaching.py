"""A teacher's projector view, pupil x question grid and time zone, in a real Chromium (issue 26).

Screenshots (test-artifacts/screenshots/): class-projector.png (the projector view), class-grid.png
(the class page with the grid).
"""

import re

import pytest
from playwright.sync_api import expect

from explainer.models.classes import SchoolClass, TeacherPreferences
from tests.browser.conftest import assert_accessible_in_both_schemes, screenshot
from tests.browser.test_classes import QUESTIONS, answer_round, create_class, log_in_as_teacher

pytestmark = pytest.mark.browser


def join_as(browser, hygiene, link, nickname):
    """A pupil in a browser context of their own (own cookies) who joins by the link; their page."""
    context = browser.new_context()
    pupil = context.new_page()
    hygiene.watch(pupil)
    pupil.goto(link)
    pupil.get_by_label("Your nickname").fill(nickname)
    pupil.get_by_role("button", name="Start").click()
    expect(pupil.get_by_role("heading", name=f"Question 1 of {QUESTIONS}")).to_be_visible()
    return context, pupil


def test_the_projector_opens_in_its_own_tab_and_counts_a_pupil_joining_elsewhere(
    page, browser, hygiene, live_server, content, teacher_account, monkeypatch
):
    monkeypatch.setattr("explainer.classes.projector.POLL_SECONDS", 1)
    log_in_as_teacher(page, live_server)
    link = create_class(page)
    opener = page.get_by_role("link", name=re.compile("Show how to join on the projector"))
    expect(opener).to_contain_text("opens in a new tab")
    with page.context.expect_page() as new_tab:
        opener.click()
    projector = new_tab.value
    hygiene.watch(projector)
    expect(projector.get_by_role("heading", name="9B history", level=1)).to_be_visible()
    school_class = SchoolClass.objects.get()
    expect(projector.locator(".projector-code")).to_have_text(school_class.display_code)
    expect(projector.locator(".qr-large svg")).to_be_visible()
    expect(projector.locator("#joined")).to_have_text("0 pupils have joined")
    assert projector.url.endswith(f"/teach/{school_class.pk}/projector/")

    context, _pupil = join_as(browser, hygiene, link, "Ada")
    # The count goes up by itself: no reload of the projector.
    expect(projector.locator("#joined")).to_have_text("1 pupil has joined", timeout=10_000)
    assert "Ada" not in projector.locator("main").inner_text()
    assert projector.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    screenshot(projector, "class-projector")
    assert_accessible_in_both_schemes(projector)
    context.close()


def test_the_class_page_shows_the_grid_of_pupils_and_questions_and_passes_axe(
    page, browser, hygiene, live_server, content, teacher_account, monkeypatch
):
    monkeypatch.setattr("explainer.classes.views.POLL_SECONDS", 1)
    log_in_as_teacher(page, live_server)
    link = create_class(page)
    plans = {"Ada": [True] * QUESTIONS, "Bo": [False, True]}
    contexts = []
    for nickname, rights in plans.items():
        context, pupil = join_as(browser, hygiene, link, nickname)
        contexts.append(context)
        answer_round(pupil, rights)

    grid = page.locator(".answer-grid")
    expect(grid.locator("tbody tr")).to_have_count(2, timeout=10_000)
    expect(grid.locator("tbody tr").nth(1).locator(".grid-mark:not(.grid-none)")).to_have_count(2, timeout=10_000)
    headings = [cell.inner_text() for cell in grid.locator("thead th").all()]
    assert headings[0] == "Nickname" and len(headings) == QUESTIONS + 1
    assert all(re.match(rf"Q{n}\s+(Alliance|Coalition)$", text) for n, text in enumerate(headings[1:], start=1))
    ada = grid.locator("tbody tr").nth(0)
    expect(ada.locator("th")).to_have_text("Ada")
    expect(ada.locator(".grid-right")).to_have_count(QUESTIONS)
    bo = grid.locator("tbody tr").nth(1)
    expect(bo.locator(".grid-wrong")).to_have_count(1)
    expect(bo.locator(".grid-none")).to_have_count(QUESTIONS - 2)
    # What a screen reader gets for a wrong answer: the verdict and the concept chosen.
    assert re.fullmatch(r"wrong: (Alliance|Coalition)", bo.locator(".grid-wrong .visually-hidden").inner_text())
    screenshot(page, "class-grid")
    assert_accessible_in_both_schemes(page)
    for context in contexts:
        context.close()


def test_a_first_class_takes_the_browsers_time_zone_for_its_closing_time(
    browser, hygiene, live_server, content, teacher_account
):
    context = browser.new_context(timezone_id="Europe/Berlin")
    page = context.new_page()
    hygiene.watch(page)
    log_in_as_teacher(page, live_server)
    page.get_by_role("link", name="New class").click()
    expect(page.locator("[data-browser-zone]")).to_have_text("Europe/Berlin")
    page.get_by_label("Name").fill("9B history")
    page.get_by_label("Comparison").select_option(label="Alliance vs. Coalition")
    page.get_by_label("Number of questions").fill("6")
    page.get_by_label("Closes").fill("2031-03-04T14:30")
    page.get_by_role("button", name="Create the class").click()
    expect(page.get_by_text("Open until 4 Mar 2031, 14:30 (Europe/Berlin).")).to_be_visible()
    assert TeacherPreferences.objects.get().time_zone == "Europe/Berlin"
    closes = SchoolClass.objects.get().closes_at
    assert closes.isoformat() == "2031-03-04T13:30:00+00:00"  # 14:30 in Berlin (CET, UTC+1)
    page.goto(f"{live_server.url}/teach/time-zone/")
    expect(page.get_by_label("Your time zone")).to_have_value("Europe/Berlin")
    assert_accessible_in_both_schemes(page)
    hygiene.check()
    context.close()
