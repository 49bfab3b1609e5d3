"""Production settings, security headers, error pages, logs and the health check."""

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from config.observability import JSONFormatter, RequestIdFilter
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-0123456789",
    "ALLOWED_HOSTS": "explainer.example.org",
    "DATABASE_URL": "sqlite:////tmp/explainer-check-deploy.sqlite3",
}


SMTP_URL = "smtp+tls://u:p@mail.example.org"


def run_in_production(*args, **extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEBUG", "SECRET_KEY", "SECURE_", "DJANGO_"))}
    env |= PRODUCTION_ENV | {"DJANGO_SETTINGS_MODULE": "config.settings"} | extra_env
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def production_settings(expressions, **extra_env):
    """The words printed by `expressions` (of `s`, the settings) under production settings, and stderr."""
    code = f"import django; django.setup(); from django.conf import settings as s; print({expressions})"
    result = run_in_production("-c", code, **extra_env)
    return result.stdout.split(), result.stderr


@pytest.mark.parametrize(
    "extra_env", [pytest.param({}, id="default"), pytest.param({"EMAIL_URL": SMTP_URL}, id="mail-by-smtp")]
)
def test_check_deploy_is_clean_under_production_settings(extra_env):
    result = run_in_production("manage.py", "check", "--deploy", "--fail-level", "WARNING", **extra_env)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_cookies_are_secure_and_http_only():
    words, errors = production_settings(
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000"
    )
    assert words == ["True"] * 6, errors


def test_the_admin_lives_where_the_environment_says():
    code = "import django; django.setup(); from django.urls import reverse; print(reverse('admin:index'))"
    result = run_in_production("-c", code, ADMIN_URL="backstage-7f3/")
    assert result.stdout.strip() == "/backstage-7f3/", result.stderr


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get("/", secure=True)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_templates_have_no_inline_script_or_style(template):
    # The CSP forbids them; a template that used them would break in the browser.
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert not re.search(r"\sstyle=", text), "style attribute"
    assert "<style" not in text
    assert not re.search(r"\son[a-z]+=", text), "event handler attribute"


@pytest.mark.django_db
def test_every_response_has_a_request_id(client):
    response = client.get("/")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@pytest.mark.django_db
def test_a_sane_request_id_from_the_proxy_is_kept_and_a_strange_one_replaced(client, settings):
    settings.BEHIND_TLS_PROXY = True
    assert client.get("/", headers={"X-Request-ID": "proxy-abc-12345"})["X-Request-ID"] == "proxy-abc-12345"
    assert client.get("/", headers={"X-Request-ID": "<script>"})["X-Request-ID"] != "<script>"


def test_without_a_proxy_a_clients_request_id_is_not_believed(client, db):
    assert client.get("/", headers={"X-Request-ID": "chosen-by-client-1"})["X-Request-ID"] != "chosen-by-client-1"


@pytest.mark.django_db
@pytest.mark.urls("tests.urls_failing")
def test_a_server_error_shows_a_friendly_page_with_the_request_id_and_logs_it(caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/broken/")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert request_id in page
    assert "deliberate failure" not in page  # no internals for the public
    record = next(r for r in caplog.records if r.name == "django.request")
    RequestIdFilter().filter(record)
    line = json.loads(JSONFormatter().format(record))
    assert line["level"] == "ERROR" and line["request_id"] == request_id
    assert "RuntimeError: deliberate failure for the test" in line["exception"]


def test_the_request_id_filter_reads_the_current_request():
    from config.observability import request_id_var

    token = request_id_var.set("abc123def456")
    try:
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    assert record.request_id == "abc123def456"


@pytest.mark.django_db
def test_health_is_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"database ok\ncache ok\n"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_is_503_when_the_database_does_not(client, monkeypatch):
    from django.db import connection

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503


@pytest.mark.django_db
def test_unknown_pages_get_the_friendly_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.text


@pytest.mark.django_db
def test_a_form_without_csrf_token_gets_a_clear_403(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/compare/anything/quiz/new/")
    assert response.status_code == 403
    assert "That form had expired" in response.text


def test_a_huge_post_is_refused_with_400_not_500(comparison):
    client = Client(enforce_csrf_checks=True)  # as in production: the CSRF check reads the body first
    factories.make_scenario(comparison)
    client.get(f"/compare/{comparison.slug}/quiz/")  # sets the CSRF cookie, as a browser would have it
    url = f"/compare/{comparison.slug}/quiz/answer/"
    response = client.post(url, {"choice": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 400
    assert "We could not read that request" in response.text


# Pages compressed per request (config.middleware.GZipMiddleware: level 1, random name in the header)


def quiz_question(client):
    comparison = factories.make_quiz_comparison(per_concept=2)
    url = reverse("quiz", args=[comparison.slug])
    factories.make_learner(client)  # a known learner: the same question on every request
    client.get(url)
    return url


def test_a_quiz_page_is_gzipped_for_clients_that_accept_it_and_decompresses_to_the_page(client, db):
    import gzip

    url = quiz_question(client)
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content)
    # The same page but for its own CSRF token (masked afresh on every request).
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub(b"", gzip.decompress(packed.content)) == token.sub(b"", plain.content)


def test_the_compressed_length_of_a_page_varies_from_request_to_request(client, db):
    # BREACH: a random file name of random length in the gzip header, as Django's own middleware does.
    url = quiz_question(client)
    headers = {"Accept-Encoding": "gzip"}
    names = set()
    for _ in range(5):
        body = client.get(url, headers=headers).content
        assert body[3] & 0x08  # FNAME
        names.add(body[10 : body.index(b"\x00", 10)])
    assert len(names) > 1


def test_a_client_without_gzip_gets_the_page_as_is(client, db):
    response = client.get(quiz_question(client))
    assert not response.has_header("Content-Encoding")
    assert b"</html>" in response.content
