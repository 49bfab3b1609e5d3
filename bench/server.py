"""A throwaway production-like Explainer for the benchmarks: its own database, collected static files, gunicorn.

Used by bench/run.py, bench/lighthouse.py and loadtest/run.py. The site runs with the
production settings (DEBUG unset) plus the bench-only bare view
(bench/settings.py), on 127.0.0.1 over plain HTTP, with a throwaway
SECRET_KEY and an SQLite database in a temporary folder that is removed
afterwards. Gunicorn always runs in its own process group, and stop() ends
that group, so no worker outlives the harness.
"""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CSS = ROOT / "static" / "build" / "site.css"
WORKERS = 2

# Variables of config/settings.py that the harness sets itself, or that
# must not leak in from the caller's shell (DEBUG would turn production off).
_OVERRIDDEN = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "DATABASE_URL",
    "CACHE_URL",
    "DJANGO_SETTINGS_MODULE",
    "BIND",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_ACCESS_LOG",
}


class HarnessError(RuntimeError):
    """The benchmark could not run (not: a target was missed)."""


def exit_cleanly_on_signals():
    """Turn SIGTERM and SIGHUP into SystemExit, so that `finally` blocks stop gunicorn and remove the temporary folder.

    (Ctrl-C already raises KeyboardInterrupt; gunicorn runs in its own
    session, so no terminal signal reaches it directly.)
    """

    def leave(signum, frame):
        raise SystemExit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, leave)


def production_env(tmpdir, secret_key, database_url=None):
    """The environment of every process of one benchmark run: production settings, throwaway secret and database.

    The database is an SQLite file in `tmpdir` unless `database_url` names another (a throwaway PostgreSQL).
    """
    env = {name: value for name, value in os.environ.items() if name not in _OVERRIDDEN}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "DATABASE_URL": database_url or f"sqlite:///{Path(tmpdir) / 'bench.sqlite3'}",
            "LOG_LEVEL": env.get("LOG_LEVEL", "WARNING"),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


def new_secret_key():
    return "bench-throwaway-" + secrets.token_urlsafe(40)


def run_checked(args, env, what, timeout):
    """Run a command in the project root; on failure raise HarnessError with its output."""
    try:
        done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise HarnessError(f"{what} took longer than {timeout} s") from None
    if done.returncode != 0:
        raise HarnessError(f"{what} failed (exit {done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return done.stdout


def prepare_site(env, log=print):
    """migrate, load_content and collectstatic, as a deployment does, into the throwaway database."""
    if not CSS.exists():
        raise HarnessError(f"{CSS.relative_to(ROOT)} is missing: run `make css` first (`make bench` does).")
    manage = [PYTHON, "manage.py"]
    log("  migrate ...")
    run_checked([*manage, "migrate", "--noinput", "-v", "0"], env, "manage.py migrate", timeout=180)
    log("  load_content ...")
    run_checked([*manage, "load_content", "-v", "0"], env, "manage.py load_content", timeout=180)
    log("  collectstatic ...")
    run_checked([*manage, "collectstatic", "--noinput", "-v", "0"], env, "manage.py collectstatic", timeout=180)


def ensure_chromium(path, log=print):
    """Install Debian's chromium when `path` is missing (as root), as .ci/run does."""
    if Path(path).exists():
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise HarnessError(f"Chromium is needed: install Debian's chromium ({path} is missing)")
    log("  installing chromium from Debian ...")
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run_checked(["apt-get", "update", "-qq"], apt_env, "apt-get update", timeout=600)
    run_checked(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
        apt_env,
        "apt-get install chromium",
        timeout=600,
    )


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayPostgres:
    """A PostgreSQL server of its own for one run (scripts/pg-throwaway), stopped and deleted on exit."""

    def __init__(self, tmpdir):
        self.dir = Path(tmpdir) / "pg"
        self.url = None

    def __enter__(self):
        script = str(ROOT / "scripts" / "pg-throwaway")
        self.url = run_checked([script, "start", str(self.dir), str(free_port())], os.environ, "pg-throwaway", 120)
        self.url = self.url.strip()
        return self

    def postmaster_pid(self):
        """The server's main process (its backends are its children), or None."""
        try:
            data = (self.dir / "cluster").read_text().strip()
            return int((Path(data) / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def __exit__(self, *exc):
        subprocess.run(
            [str(ROOT / "scripts" / "pg-throwaway"), "stop", str(self.dir)],
            capture_output=True,
            timeout=60,
            check=False,
        )


class Gunicorn:
    """gunicorn with config/gunicorn.py, 2 workers (sync, or threaded), on a free loopback port; a context manager.

    Worker recycling (max_requests in config/gunicorn.py) is switched off
    with --max-requests 0: a worker restart in the middle of a measurement
    costs the fastest endpoints the most and would skew the ratios. Each
    instance has its own control socket in the temporary folder.
    """

    def __init__(self, env, label, log_dir, cache_url="locmem://", threads=1):
        self.label = label
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.cache_url = cache_url
        self.env = {
            **env,
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(WORKERS),
            "GUNICORN_THREADS": str(threads),
            "CACHE_URL": cache_url,
        }
        self.log_path = Path(log_dir) / f"gunicorn-{label}.log"
        self.process = None

    def start(self, timeout=45):
        args = [PYTHON, "-m", "gunicorn", "-c", "python:config.gunicorn", "--max-requests", "0"]
        # Its own control socket: the default path (~/.gunicorn/gunicorn.ctl) is shared by every gunicorn.
        args += ["--control-socket", str(self.log_path.with_suffix(".ctl")), "config.wsgi"]
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HarnessError(f"gunicorn ({self.label}) exited at start:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.base_url + "/bench/bare/", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise HarnessError(f"gunicorn ({self.label}) did not answer within {timeout} s:\n{self.log_tail()}")

    def stop(self):
        if self.process is None:
            return
        pgid = self.process.pid  # start_new_session: the master leads its own process group
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGTERM)  # graceful: the master stops its workers, then itself
            try:
                self.process.wait(timeout=15)
                stopped_cleanly = True
            except subprocess.TimeoutExpired:
                stopped_cleanly = False
        else:
            stopped_cleanly = False  # the master died before: its workers may still be running
        if not stopped_cleanly:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
        self.process = None
        self._log.close()

    def log_tail(self, chars=3000):
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no log)"

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
