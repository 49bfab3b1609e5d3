"""config/gunicorn.py, run for real: instances side by side, and what the access log keeps."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bench.server import free_port

ROOT = Path(__file__).resolve().parent.parent


def start(tmp_path, port, **extra):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "gunicorn-test-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        **extra,
    }
    env.pop("DEBUG", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:config.gunicorn", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    pytest.fail("gunicorn did not start")


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def control_socket(port):
    """The control socket path config/gunicorn.py gives an instance bound to `port`."""
    env = {**os.environ, "BIND": f"127.0.0.1:{port}"}
    env.pop("GUNICORN_CONTROL_SOCKET", None)
    code = "import runpy; print(runpy.run_path('config/gunicorn.py').get('control_socket', ''))"
    output = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return output.stdout.strip() or str(Path.home() / ".gunicorn" / "gunicorn.ctl")


def get(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return response.status, dict(response.headers)


def test_stopping_one_instance_leaves_another_on_the_same_machine_running(tmp_path):
    first_port, second_port = free_port(), free_port()
    first = start(tmp_path, first_port)
    second = start(tmp_path, second_port)
    try:
        stop(first)
        assert get(second_port, "/healthz")[0] == 200
        # The control interface of the one still running survives the other's shutdown.
        assert Path(control_socket(second_port)).exists()
    finally:
        stop(first)
        stop(second)


def test_access_lines_carry_the_request_id_and_no_query_string(tmp_path):
    port = free_port()
    process = start(tmp_path, port, GUNICORN_ACCESS_LOG="-")
    try:
        _status, headers = get(port, "/healthz?q=someone%40example.org")
    finally:
        stop(process)
    log = process.stdout.read().decode()
    line = next(line for line in log.splitlines() if "/healthz" in line and headers["X-Request-ID"] in line)
    assert "someone" not in log
    assert f"request_id={headers['X-Request-ID']}" in line


def test_the_access_log_goes_to_the_file_it_names_and_not_to_stdout(tmp_path):
    port, access_log = free_port(), tmp_path / "access.log"
    process = start(tmp_path, port, GUNICORN_ACCESS_LOG=str(access_log))
    try:
        _status, headers = get(port, "/healthz")
    finally:
        stop(process)
    line = next(line for line in access_log.read_text().splitlines() if headers["X-Request-ID"] in line)
    assert '"GET /healthz HTTP/1.1\\" 200' in line
    assert "/healthz" not in process.stdout.read().decode()


def test_without_gunicorn_access_log_no_access_lines_are_written(tmp_path):
    port = free_port()
    process = start(tmp_path, port)
    try:
        get(port, "/healthz")
    finally:
        stop(process)
    assert "gunicorn.access" not in process.stdout.read().decode()
