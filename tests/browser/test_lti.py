"""LTI 1.3 in a real Chromium: a course page of the test platform (tests/lti_platform.py, on lti1p3platform)
shows the quiz in its iframe; a learner plays it to the end and the grade arrives at the platform; a teacher
adds the quiz by deep linking; a frame that may not keep cookies offers the new tab. axe on the LTI pages.

Screenshots (test-artifacts/screenshots/): lti-course-question.png, lti-choose.png, lti-cookie-check.png.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from explainer.lti import keys
from explainer.models import Scenario
from tests.browser.conftest import Hygiene, run_axe, screenshot
from tests.lti_platform import TestPlatform

pytestmark = pytest.mark.browser

SLUG = "alliance-vs-coalition"
QUESTIONS = 3


class PlatformHygiene(Hygiene):
    """The site's rules, with the test platform's origin allowed too (its pages frame the tool)."""

    def __init__(self, allowed_origin):
        super().__init__(allowed_origin)
        self.platform_origins = set()

    def is_outside(self, url):
        parts = urlsplit(url)
        return super().is_outside(url) and f"{parts.scheme}://{parts.netloc}" not in self.platform_origins


@pytest.fixture
def hygiene(live_server):
    return PlatformHygiene(live_server.url)


def make_platform(live_server, hygiene, host):
    key = keys.current_key()
    platform = TestPlatform(live_server.url, host=host)
    platform.register_with(LtiTool, key)
    hygiene.platform_origins.add(platform.url)
    return platform


@pytest.fixture
def platform(live_server, hygiene, content, transactional_db):
    """A platform on the tool's site (localhost), so the iframe keeps cookies."""
    test_platform = make_platform(live_server, hygiene, "localhost")
    yield test_platform
    test_platform.stop()


@pytest.fixture
def cross_site_platform(live_server, hygiene, content, transactional_db):
    """A platform on another site (127.0.0.1): the tool's iframe there gets no cookies."""
    test_platform = make_platform(live_server, hygiene, "127.0.0.1")
    yield test_platform
    test_platform.stop()


def tool_frame(page, path):
    return next(frame for frame in page.frames if path in frame.url)


def accessible_in_both_schemes(page, frame):
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert run_axe(frame) == [], scheme
    page.emulate_media(color_scheme="light")


def answer_in_frame(page, frame, rights):
    for number, right in enumerate(rights, start=1):
        expect(frame.get_by_role("heading", name=f"Question {number} of {len(rights)}")).to_be_visible()
        if number == 1:
            accessible_in_both_schemes(page, tool_frame(page, "/lti/round/"))
            screenshot(page, "lti-course-question")
        text = frame.locator("blockquote.scenario p").inner_text().strip()
        scenario = Scenario.objects.select_related("correct_concept").get(comparison__slug=SLUG, text=text)
        concepts = scenario.comparison.ordered_concepts
        name = (
            scenario.correct_concept.name
            if right
            else next(c.name for c in concepts if c.pk != scenario.correct_concept_id)
        )
        frame.get_by_role("radio", name=name, exact=True).check()
        frame.get_by_role("button", name="Check my answer").click()
        expect(frame.get_by_role("heading", name=re.compile("^. (Right|Not quite):"))).to_be_visible()
        frame.get_by_role("button", name=re.compile("Next question|See my result")).click()


def test_a_learner_plays_the_quiz_in_the_course_and_the_grade_reaches_the_platform(page, platform):
    platform.links["link-1"] = {"comparison": SLUG, "questions": str(QUESTIONS)}
    page.goto(f"{platform.url}/course/link-1")
    frame = page.frame_locator("#tool")
    answer_in_frame(page, frame, [True, False, True])
    expect(frame.get_by_role("heading", name=f"You got 2 of {QUESTIONS} right")).to_be_visible()
    expect(frame.get_by_text("Your score has been sent to your course.")).to_be_visible()
    accessible_in_both_schemes(page, tool_frame(page, "/lti/round/"))
    page.goto(f"{platform.url}/gradebook")
    expect(page.get_by_role("listitem")).to_have_text("learner-7: 2 / 3 (Completed, FullyGraded)")


def test_a_teacher_adds_the_quiz_to_the_course_by_deep_linking(page, platform):
    page.goto(f"{platform.url}/course/add")
    frame = page.frame_locator("#tool")
    expect(frame.get_by_role("heading", name="Add a quiz to your course")).to_be_visible()
    accessible_in_both_schemes(page, tool_frame(page, "/lti/launch/"))
    screenshot(page, "lti-choose")
    frame.get_by_role("radio", name="Alliance vs. Coalition", exact=True).check()
    frame.get_by_label("Number of questions").fill("4")
    frame.get_by_role("button", name="Add to the course").click()
    expect(frame.get_by_role("heading", name="Added to the course: Alliance vs. Coalition")).to_be_visible()
    [item] = platform.content_items
    assert item["custom"] == {"comparison": SLUG, "questions": "4"}


def test_a_frame_without_cookies_offers_the_quiz_in_a_new_tab(page, cross_site_platform):
    cross_site_platform.links["link-1"] = {"comparison": SLUG, "questions": str(QUESTIONS)}
    page.goto(f"{cross_site_platform.url}/course/link-1")
    frame = page.frame_locator("#tool")
    new_tab = frame.get_by_role("link", name="Open the quiz in a new tab")
    expect(new_tab).to_be_focused()
    accessible_in_both_schemes(page, tool_frame(page, "/lti/login/"))
    screenshot(page, "lti-cookie-check")
    with page.context.expect_page() as opened:
        new_tab.click()
    quiz_tab = opened.value
    expect(quiz_tab.get_by_role("heading", name=f"Question 1 of {QUESTIONS}")).to_be_visible()


def test_a_refused_launch_says_why_accessibly(page, live_server, hygiene):
    hygiene.expect_console_error("403")
    page.goto(f"{live_server.url}/lti/login/?iss=https://unknown.example&login_hint=x&lti1p3_new_window=1")
    expect(page.get_by_role("heading", name="The quiz could not be opened")).to_be_visible()
    expect(page.get_by_text("not registered on this site")).to_be_visible()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert run_axe(page) == [], scheme
