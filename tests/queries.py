"""Counting database queries, for the tests that pin them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, url):
    """How many queries a GET of `url` makes (it must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)
