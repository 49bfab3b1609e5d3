"""Operating the site: proxy addresses, backups' file mode, logs without class codes, refused methods.

Run on both databases (`make test-postgres`): the proxy addresses reach
django-axes, which stores them as an inet on PostgreSQL.
"""

import json
import logging
import stat

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from config.observability import JSONFormatter
from explainer.proxy import client_address
from tests import factories

pytestmark = pytest.mark.django_db


# L1: the trusted proxy's X-Forwarded-For, parsed and checked


@pytest.mark.parametrize(
    ("forwarded", "address"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("203.0.113.9:4711", "203.0.113.9"),
        ("10.0.0.1, 203.0.113.9:4711", "203.0.113.9"),
        ("[2001:db8::1]:4711", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("unknown", "127.0.0.1"),
        ("203.0.113.9, <script>", "127.0.0.1"),
        ("999.1.1.1", "127.0.0.1"),
        ("", "127.0.0.1"),
        ("1" * 500, "127.0.0.1"),
    ],
)
def test_the_proxys_address_is_parsed_or_the_connecting_one_used(settings, forwarded, address):
    settings.BEHIND_TLS_PROXY = True
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == address


@pytest.mark.parametrize("forwarded", ["203.0.113.9:4711", "[2001:db8::1]:4711", "not-an-address", "203.0.113.9, ;"])
def test_an_admin_login_behind_the_proxy_never_fails_on_a_strange_forwarded_for(settings, forwarded):
    settings.BEHIND_TLS_PROXY = True
    factories.make_user(staff=True, username="target", password="the-right-password")
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    url = reverse("admin:login")
    assert client.post(url, {"username": "target", "password": "wrong"}).status_code == 200
    stored = AccessAttempt.objects.get().ip_address  # an inet column on PostgreSQL
    assert stored in {"203.0.113.9", "2001:db8::1", "127.0.0.1"}
    response = client.post(url, {"username": "target", "password": "the-right-password", "next": "/"})
    assert response.status_code == 302


# L2: backups hold password hashes


def test_a_backup_is_readable_by_its_owner_only(tmp_path):
    factories.make_user(username="someone")
    path = tmp_path / "backups" / "site.json"
    call_command("backup", str(path), verbosity=0)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert "someone" in path.read_text()


def test_a_backup_over_an_older_readable_file_is_cut_back_to_0600(tmp_path):
    path = tmp_path / "site.json"
    path.write_text("old")
    path.chmod(0o644)
    call_command("backup", str(path), verbosity=0)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# L3: class codes stay out of the logs


def test_log_lines_show_a_join_path_without_its_code(school_class):
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        Client().get(f"/join/{school_class.code}x/")  # a wrong code: logged as "Not Found: /join/.../"
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(JSONFormatter().format(record)) for record in records]
    assert [line["message"] for line in lines] == ["Not Found: /join/<code>/"]
    assert school_class.code not in json.dumps(lines)


# OPTIONS and TRACE


@pytest.mark.parametrize("method", ["options", "trace"])
@pytest.mark.parametrize("path", ["/", "comparison", "/search/?q=x", "/join/", "/healthz", "admin"])
def test_options_and_trace_are_refused_everywhere(client, comparison, method, path):
    url = {"comparison": comparison.get_absolute_url(), "admin": reverse("admin:login")}.get(path, path)
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
    assert comparison.title not in response.text


def test_a_public_page_refuses_a_post_with_405(client, comparison):
    response = client.post(comparison.get_absolute_url())
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
