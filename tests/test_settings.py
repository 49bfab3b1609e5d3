"""Settings come from the environment, parsed strictly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("raw", "value"), [("1", True), ("true", True), ("On", True), ("0", False), ("no", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG") is value


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG")


def test_env_int_refuses_a_non_number(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        env_int("SOME_NUMBER", 1)


def test_env_list_splits_and_strips(monkeypatch):
    monkeypatch.setenv("SOME_LIST", " a.example, b.example ,,")
    assert env_list("SOME_LIST") == ["a.example", "b.example"]


def run_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(
        [sys.executable, "-c", "import django, os; django.setup(); exec(os.environ.get('CODE', ''))"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_a_secret_key_stops_with_a_clear_error():
    result = run_settings()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_runs_without_a_secret_key():
    assert run_settings(DEBUG="1").returncode == 0


@pytest.mark.parametrize(("switch", "binding"), [({}, "True"), ({"DB_SERVER_SIDE_BINDING": "0"}, "None")])
def test_postgresql_binds_parameters_on_the_server_unless_switched_off(switch, binding):
    code = (
        "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'].get('server_side_binding'))"
    )
    result = run_settings(DEBUG="1", DATABASE_URL="postgres://u:p@127.0.0.1:5432/x", CODE=code, **switch)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == binding


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_it_was_asked_for():
    # `make test-postgres` sets EXPECT_DB_VENDOR, so a run that silently fell
    # back to SQLite would fail here.
    from django.db import connection

    assert connection.vendor == os.environ.get("EXPECT_DB_VENDOR", "sqlite")


def test_a_value_signed_with_the_old_key_survives_a_rotation_while_it_is_a_fallback():
    code = "from django.core import signing; print(signing.loads(signing.dumps('kept', key='the-old-key')))"
    new_key = "the-new-key-" + "x" * 50
    rotated = run_settings(SECRET_KEY=new_key, SECRET_KEY_FALLBACKS="the-old-key", CODE=code)
    assert rotated.stdout.strip() == "kept", rotated.stderr[-500:]
    assert "BadSignature" in run_settings(SECRET_KEY=new_key, CODE=code).stderr
