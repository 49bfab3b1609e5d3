"""The database in tests: counting queries, for the tests that pin them; marking PostgreSQL-only tests."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

# A test of what only PostgreSQL does (pg_trgm, GIN indexes): reported as skipped on SQLite, never
# passed there with nothing checked. make test-postgres runs it.
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: make test-postgres runs it"
)


def queries_for(client, url):
    """How many queries a GET of `url` makes (it must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)
