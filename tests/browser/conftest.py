"""Real-browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Every page a test opens is watched: a console error, an uncaught exception,
or a request to any address other than the live server fails the test.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench.firstload import CHROMIUM, CHROMIUM_ARGS  # one list of launch flags for tests and benchmarks
from tests import factories
from tests.conftest import load_shipped

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make around it are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed for the browser tests: install Debian's chromium ({CHROMIUM} is missing).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


class Hygiene:
    """Collects what a page must never do: log errors, throw, or talk to another host."""

    def __init__(self, allowed_origin):
        self.allowed_origin = allowed_origin
        self.problems = []
        self.expected = []

    def expect_console_error(self, text):
        """Allow console errors containing `text` (Chromium logs one for a page served with 4xx)."""
        self.expected.append(text)

    def watch(self, page):
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        page.on("request", self.on_request)
        page.route("**/*", self.route)

    def on_console(self, message):
        if message.type == "error" and not any(text in message.text for text in self.expected):
            self.problems.append(f"console error: {message.text}")

    def is_outside(self, url):
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob", "about"}:
            return False
        return f"{parts.scheme}://{parts.netloc}" != self.allowed_origin

    def on_request(self, request):
        if self.is_outside(request.url):
            self.problems.append(f"request to another address: {request.url}")

    def route(self, route):
        # Outside requests are recorded (on_request) and never leave the machine.
        if self.is_outside(route.request.url):
            route.abort()
        else:
            route.continue_()

    def check(self):
        if self.problems:
            raise AssertionError("the page misbehaved:\n" + "\n".join(self.problems))


@pytest.fixture
def hygiene(live_server):
    return Hygiene(live_server.url)


@pytest.fixture
def page(page, hygiene):
    """pytest-playwright's page, watched by Hygiene; the test fails if the page misbehaved.

    Reduced motion: Bootstrap then drops its colour transitions, so axe never measures
    a button half-way from its light to its dark colours after a switch of scheme.
    """
    page.emulate_media(reduced_motion="reduce")
    hygiene.watch(page)
    yield page
    hygiene.check()


@pytest.fixture
def content(transactional_db, shipped_content_file):
    load_shipped(shipped_content_file)


@pytest.fixture
def editor(transactional_db):
    return factories.make_user(superuser=True, username="editor", password="an-editor-password")


def run_axe(page):
    """Run axe-core in the page against WCAG 2.2 A/AA; return its violations."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations.map(v => "
        "({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))",
        WCAG_TAGS,
    )


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def teacher_account(transactional_db):
    """A teacher who logs in through the admin's log-in page ("Teachers" group, staff)."""
    return factories.make_teacher(username="teacher", password="a-teacher-password")
