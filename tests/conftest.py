"""Shared fixtures. Browser fixtures live in tests/browser/conftest.py."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests import factories


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the page cache must not leak between tests."""
    cache.clear()


@pytest.fixture
def comparison(db):
    return factories.make_comparison()


@pytest.fixture
def draft(db):
    return factories.make_comparison(published=False)


@pytest.fixture
def staff_client(client, db):
    client.force_login(factories.make_user(staff=True))
    return client


@pytest.fixture
def superuser(db):
    return factories.make_user(superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def shipped_content(db):
    """The content that ships with the project, loaded as `make run` loads it."""
    call_command("load_content", verbosity=0)
