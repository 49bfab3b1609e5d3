"""Real-browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Every page a test opens is watched: a console error, an uncaught exception,
or a request to any address other than the live server fails the test.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from bench.firstload import CHROMIUM, CHROMIUM_ARGS  # one list of launch flags for tests and benchmarks
from tests import factories

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


# --- the database of the browser tests ---------------------------------------------------------------------------
#
# The live server reads the same database as the test, so a browser test cannot run inside a
# transaction that is rolled back: pytest-django makes such tests transactional and empties every
# table after each one; loading the shipped content again then took about 2 s a test, more than most
# of these tests take themselves. So the tests of one module share one load:
# - a test that only reads the content (learners' answers and sessions belong to its own browser
#   context and are seen by no other test) runs on the module's copy, loaded by the first such test;
# - a test that writes what another could see (it asks for the database through pytest-django: `editor`
#   and `teacher_account` do, and so does a django_db mark) gets the usual isolation: it runs
#   on the copy, or on an emptied database if it does not ask for `content`, and the database is
#   emptied after it, so the next reader loads the content again;
# - at the end of the module the database is emptied, as the other tests expect to find it.


def writes(request):
    """Whether the test changes what other tests could see, and so gets a database of its own.

    It does if it asks for the database through pytest-django at all (`db` or `transactional_db`,
    by itself or through a fixture, or a django_db mark): with the live server, pytest-django then
    makes it transactional, and empties the database after it.
    """
    return "_django_db_helper" in request.fixturenames or request.node.get_closest_marker("django_db") is not None


class SharedDatabase:
    """The test database as the browser tests of one module leave it: empty, or holding the shipped content."""

    def __init__(self, content_file):
        self.content_file = content_file  # a tests.content_snapshot.ContentSnapshot
        self.holds_content = False

    def load_content(self):
        if not self.holds_content:
            self.content_file.load()
            self.holds_content = True

    def empty(self):
        if self.holds_content:
            call_command("flush", interactive=False, verbosity=0)
            self.holds_content = False


@pytest.fixture(scope="module")
def shared_database(django_db_blocker, shipped_content_file):
    shared = SharedDatabase(shipped_content_file)
    yield shared
    with django_db_blocker.unblock():
        shared.empty()


@pytest.fixture(autouse=True)
def _live_server_helper(request, django_db_blocker):
    """Replaces pytest-django's fixture of this name, which makes every live-server test transactional.

    A test that writes (see writes()) still is; one that only reads runs on the module's shared
    database, with database access open for the test and the live server alike.
    """
    if "live_server" not in request.fixturenames:
        yield
        return
    shared = request.getfixturevalue("shared_database")
    live_server = request.getfixturevalue("live_server")
    isolated = writes(request)
    with django_db_blocker.unblock():
        if "content" not in request.fixturenames:
            shared.empty()
        if isolated:
            request.getfixturevalue("transactional_db")
        live_server._live_server_modified_settings.enable()
        try:
            yield
        finally:
            live_server._live_server_modified_settings.disable()
            if isolated:
                shared.holds_content = False  # transactional_db empties every table after the test


@pytest.fixture
def content(shared_database, django_db_blocker):
    """The content that ships with the project, as `make run` loads it (shared by a module's readers: see above)."""
    with django_db_blocker.unblock():
        shared_database.load_content()


@pytest.fixture
def editor(transactional_db):
    return factories.make_user(superuser=True, username="editor", password="an-editor-password")


@pytest.fixture
def admin_page(page, live_server, editor):
    """`page` at 1280x800, signed in to the admin as `editor` through its login form."""
    page.set_viewport_size({"width": 1280, "height": 800})
    # Admin pages with the checklist and quiz checks take a few seconds on a loaded CI machine.
    page.set_default_timeout(30_000)
    expect.set_options(timeout=20_000)
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("an-editor-password")
    page.get_by_role("button", name="Log in").click()
    return page


def run_axe(page):
    """Run axe-core in the page against WCAG 2.2 A/AA; return its violations."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations.map(v => "
        "({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))",
        WCAG_TAGS,
    )


def assert_accessible_in_both_schemes(page):
    """axe-core finds no violation on the page as it stands, in light mode and then in dark mode.

    The page's colours come from CSS alone (prefers-color-scheme), so it restyles in place: no reload.
    It is left in dark mode.
    """
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        violations = run_axe(page)
        assert violations == [], (scheme, violations)


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def teacher_account(transactional_db):
    """A teacher who logs in through the admin's log-in page ("Teachers" group, staff)."""
    return factories.make_teacher(username="teacher", password="a-teacher-password")
