"""Shared fixtures. Browser fixtures live in tests/browser/conftest.py."""

import functools
import os

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from hypothesis import settings
from reversion.models import Revision, Version

from explainer import cache_backend as cache_guard
from explainer import page_content
from explainer.models import CONTENT_MODELS
from explainer.quiz import content as quiz_content
from explainer.quiz import prerender
from explainer.templatetags import explainer_tags
from tests import factories
from tests.content_snapshot import ContentSnapshot

# How many examples each Hypothesis test tries (tests/test_hostile.py). "dev" by default; CI=true
# loads "ci", the full run; `pytest --hypothesis-profile=NAME` picks one outright, as make
# test-postgres does with "dev": the 1,000 examples run on one database, not on both.
settings.register_profile("dev", max_examples=100)
settings.register_profile("ci", max_examples=1000)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches: the page cache and the in-process memos must not leak between tests.

    (A test's rolled-back rows give their ids and version numbers out again to the next test.)
    """
    cache.clear()
    cache_guard.breakers.clear()  # each test meets a Redis it has not seen fail yet
    quiz_content.memo.clear()
    prerender.memo.clear()
    page_content.memo.clear()
    explainer_tags._fragments.clear()


@pytest.fixture
def comparison(db):
    return factories.make_comparison()


@pytest.fixture
def draft(db):
    return factories.make_comparison(published=False)


@pytest.fixture
def quiz_comparison(db):
    """A published comparison with a quiz: two concepts, eight questions each."""
    return factories.make_quiz_comparison()


@pytest.fixture
def staff_client(client, db):
    client.force_login(factories.make_user(staff=True))
    return client


def account_fixtures(user_fixture, make_user):
    """Two fixtures for one kind of account: the user `make_user()` makes, named `user_fixture`, and the
    test client logged in as that same user."""

    @pytest.fixture(name=user_fixture)
    def user(db):
        return make_user()

    @pytest.fixture
    def logged_in_client(client, request):
        client.force_login(request.getfixturevalue(user_fixture))
        return client

    return user, logged_in_client


# An editor is staff in the Editors group, whose view permission on comparisons shows drafts.
editor_user, editor_client = account_fixtures("editor_user", factories.make_editor)
superuser, admin_client = account_fixtures("superuser", functools.partial(factories.make_user, superuser=True))
teacher, teacher_client = account_fixtures("teacher", factories.make_teacher)


@pytest.fixture(scope="session")
def shipped_content_file(tmp_path_factory, django_db_setup, django_db_blocker):
    """The shipped content exactly as `load_content` writes it (with its revision), kept once per test session
    (tests/content_snapshot.py): load_content runs once, in a transaction that is rolled back."""
    snapshot = ContentSnapshot(
        tmp_path_factory.mktemp("content") / "shipped.json", [*CONTENT_MODELS, Revision, Version]
    )
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_content", verbosity=0)
        snapshot.take()
        transaction.set_rollback(True)
    return snapshot


@pytest.fixture
def shipped_content(db, shipped_content_file):
    """The content that ships with the project, as `make run` loads it."""
    shipped_content_file.load()


@pytest.fixture
def school_class(teacher):
    """A class of `teacher` over a new comparison with two concepts and three questions each; four questions."""
    return factories.make_class(teacher=teacher)


@pytest.fixture
def redis_server(tmp_path):
    """A real redis-server (config/redis.conf) on a free port, stopped after the test."""
    import shutil

    from tests.redis_server import RedisServer

    if not shutil.which("redis-server"):
        pytest.fail("redis-server is needed: apt-get install redis-server (make system-deps)")
    redis = RedisServer(tmp_path).start()
    yield redis
    redis.stop()


@pytest.fixture
def mailbox(settings):
    """A real SMTP server on 127.0.0.1 at a free port (aiosmtpd), which Django's SMTP backend sends to.

    Yields its Mailbox: `.messages` as received, `.wait_for(n)`, `.to(address)`, `.code(message)`.
    """
    from tests.mailbox import SMTPServer

    server = SMTPServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield server.mailbox
    server.stop()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Every test that empties the database (live server, transactional) runs after all the others.

    pytest-django orders them so, but a later plugin's reordering (pytest-playwright's
    parametrising) moved the browser tests in among the others: a test after them on the same
    worker then found the Editors group, made by a data migration, flushed away. A stable sort
    keeps every other order as it was.
    """

    def empties_the_database(item):
        fixtures = getattr(item, "fixturenames", ())
        marker = item.get_closest_marker("django_db")
        transactional = bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        return transactional or "live_server" in fixtures or "transactional_db" in fixtures

    items.sort(key=empties_the_database)


@pytest.fixture
def learner(client, db):
    """The test client's browser as a known learner (its learner cookie set): quiz pages keep its rounds."""
    return factories.make_learner(client)


@pytest.fixture
def lti_quiz(db):
    """A published comparison with a quiz, for the LTI tests to link and launch."""
    return factories.make_quiz_comparison()


@pytest.fixture
def lti_platform(db, client):
    """A real LTI 1.3 platform (tests/lti_platform.py, on lti1p3platform) registered with the tool."""
    from django.urls import reverse
    from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

    from explainer.lti import keys
    from tests.lti_platform import TestPlatform

    key = keys.current_key()  # first: the tool's key set published below holds it
    test_platform = TestPlatform("http://testserver", tool_jwks=client.get(reverse("lti_jwks")).json())
    test_platform.register_with(LtiTool, key)
    yield test_platform
    test_platform.stop()


def _editor_client(username):
    client = Client()
    client.force_login(factories.make_editor(username=username, first_name=username.capitalize()))
    return client


@pytest.fixture
def ana(db):
    """A client signed in as Ana, an editor: with `ben`, two editors at once."""
    return _editor_client("ana")


@pytest.fixture
def ben(db):
    """A client signed in as Ben, an editor."""
    return _editor_client("ben")


@pytest.fixture
def clock(monkeypatch):
    """The review clock, movable: clock.move(days=1) is "a day later" for the quiz, the review and the pages."""
    from datetime import timedelta

    from django.utils import timezone

    from explainer import due_hint
    from explainer.quiz import review

    class Clock:
        offset = timedelta()

        def move(self, **kwargs):
            self.offset += timedelta(**kwargs)

    moved = Clock()
    monkeypatch.setattr(review, "now", lambda: timezone.now() + moved.offset)
    monkeypatch.setattr(due_hint, "now", lambda: timezone.now() + moved.offset)  # the page cache's hint reads it too
    return moved
