"""Load with accounting: simulated learners against gunicorn, answers counted on both sides.

    make loadtest                      # SQLite, then PostgreSQL; 50 learners for 60 s each
    LOADTEST_DB=sqlite make loadtest   # or postgres
    LOADTEST_USERS=10 LOADTEST_SECONDS=15 make loadtest

For each database: a fresh database in a temporary directory (a throwaway
PostgreSQL cluster from scripts/pg-throwaway for `postgres`), migrate,
load_content, collectstatic, then gunicorn with the production settings on a
free port of 127.0.0.1. Every learner is a thread with its own cookies: it
reads the home page and a comparison, then plays quiz rounds through the plain
HTML forms (question -> answer -> feedback -> next ... -> summary -> new round).

The report gives requests, errors (5xx, connection errors, timeouts, any
unexpected status; must be 0), requests/s, p50/p99 latency, and compares the
answers the clients got accepted (answer POSTs answered 302) with the Answer
rows in the database once the server has stopped. Exit status 1 when there was
an error or the two counts differ.

Only the standard library is used on the client side. Each request opens its
own connection (Connection: close), so a worker recycled by gunicorn's
max_requests never meets a stale keep-alive connection of ours.
"""

import contextlib
import glob
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BASE = Path(__file__).resolve().parent.parent
VENV_BIN = BASE / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python")
GUNICORN = str(VENV_BIN / "gunicorn")
PG_THROWAWAY = str(BASE / "scripts" / "pg-throwaway")

REQUEST_TIMEOUT = 20.0  # seconds, per request (socket timeout)
THINK = (0.0, 0.05)  # seconds between a learner's requests
SETUP_TIMEOUT = 300  # seconds for each manage.py step
READY_TIMEOUT = 30  # seconds for gunicorn to answer its first request
STOP_TIMEOUT = 30  # seconds for gunicorn to stop after SIGTERM (graceful_timeout is 20)
MAX_ERROR_SAMPLES = 20
SWITCH_COMPARISON = 0.2  # chance, after a round, of going back home and reading another comparison


def env_int(name, default):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        sys.exit(f"loadtest: {name} must be an integer, not {raw!r}")
    if value < 1:
        sys.exit(f"loadtest: {name} must be at least 1, not {value}")
    return value


class Stop(Exception):
    """The deadline has passed: the learner stops where it is."""


class Unexpected(Exception):
    """A response that does not fit the learner's step (already counted as an error)."""


# --- the client side ------------------------------------------------------------------


class PageParser(HTMLParser):
    """The bits of a page a learner acts on: links, forms' actions and their inputs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.actions = []
        self.inputs = []  # (name, type, value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self.actions.append(attrs.get("action") or "")
        elif tag == "input" and attrs.get("name"):
            self.inputs.append((attrs["name"], (attrs.get("type") or "text").lower(), attrs.get("value") or ""))

    def first(self, name):
        return next((value for n, _t, value in self.inputs if n == name), None)

    def radios(self, name):
        return [value for n, t, value in self.inputs if n == name and t == "radio"]


def parse(body):
    parser = PageParser()
    parser.feed(body)
    parser.close()
    return parser


class Stats:
    """One learner's figures; merged at the end, so no locking in the hot path."""

    def __init__(self):
        self.requests = 0
        self.errors = 0
        self.accepted = 0  # answer POSTs answered 302
        self.rounds = 0  # rounds played to the summary
        self.latencies = {}  # kind -> [seconds]
        self.error_samples = []
        self.statuses = {}  # (kind, status) -> count, for the unexpected ones

    def error(self, kind, method, url, detail):
        self.errors += 1
        key = (kind, detail.split(":", 1)[0])
        self.statuses[key] = self.statuses.get(key, 0) + 1
        if len(self.error_samples) < MAX_ERROR_SAMPLES:
            self.error_samples.append(f"{method} {url} [{kind}]: {detail}")


class Learner:
    """One simulated learner: its own cookies, one request at a time."""

    def __init__(self, host, port, deadline, rng, stats):
        self.host, self.port = host, port
        self.origin = f"http://{host}:{port}"
        self.deadline = deadline
        self.rng = rng
        self.stats = stats
        self.cookies = {}

    # -- HTTP

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def store_cookies(self, response):
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            try:
                jar.load(header)
            except CookieError:
                continue
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or (morsel["expires"] and "1970" in morsel["expires"]):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def think(self):
        pause = self.rng.uniform(*THINK)
        if time.monotonic() + pause >= self.deadline:
            raise Stop
        time.sleep(pause)

    def request(self, kind, method, path, form=None, referer=None, expect=(200,)):
        """One request; returns (status, location, body). Anything not in `expect` is an error."""
        if time.monotonic() >= self.deadline:
            raise Stop
        headers = {"Connection": "close", "Accept": "text/html", "User-Agent": "explainer-loadtest"}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        if referer:
            headers["Referer"] = self.origin + referer
        self.stats.requests += 1
        started = time.monotonic()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:  # refused, reset, timeout, bad response
            self.stats.latencies.setdefault(kind, []).append(time.monotonic() - started)
            self.stats.error(kind, method, path, f"{type(exc).__name__}: {exc}")
            raise Unexpected from exc
        finally:
            conn.close()
        self.stats.latencies.setdefault(kind, []).append(time.monotonic() - started)
        self.store_cookies(response)
        location = response.headers.get("Location")
        if response.status not in expect:
            snippet = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))[:300].strip()
            self.stats.error(kind, method, path, f"{response.status}: expected {expect}; {snippet}")
            raise Unexpected
        if location:
            location = urlsplit(location).path or location
        return response.status, location, text

    # -- the learner's path

    def read_home(self):
        _s, _l, body = self.request("home", "GET", "/")
        slugs = sorted({m.group(1) for href in parse(body).links if (m := re.fullmatch(r"/compare/([\w-]+)/", href))})
        if not slugs:
            self.stats.error("home", "GET", "/", "200: no comparison linked from the home page")
            raise Unexpected
        return slugs

    def read_comparison(self, slugs):
        slug = self.rng.choice(slugs)
        self.think()
        self.request("comparison", "GET", f"/compare/{slug}/", referer="/")
        return slug

    def play(self, slug):
        """Rounds until the deadline; each step decided by the page the server shows."""
        quiz = f"/compare/{slug}/quiz/"
        status, location, body = self.request("quiz", "GET", quiz, referer=f"/compare/{slug}/", expect=(200, 302))
        if status == 302:  # back to a comparison whose round is over: the quiz shows its summary
            if location != quiz + "summary/":
                self.stats.error("quiz", "GET", quiz, f"302: to {location}, expected the summary")
                raise Unexpected
            _s, _l, body = self.request("summary", "GET", location, referer=f"/compare/{slug}/")
        for _ in range(100_000):  # bounded; the deadline ends it long before
            page = parse(body)
            token = page.first("csrfmiddlewaretoken")
            if quiz + "answer/" in page.actions:  # a question
                scenario, choices = page.first("scenario"), page.radios("choice")
                if not (token and scenario and choices):
                    self.stats.error("quiz", "GET", quiz, "200: question page without token, scenario or choices")
                    raise Unexpected
                self.think()
                form = {"csrfmiddlewaretoken": token, "scenario": scenario, "choice": self.rng.choice(choices)}
                # Each learner answers its current question once: only a redirect to the feedback is right.
                _s, location, _b = self.request("answer", "POST", quiz + "answer/", form, referer=quiz, expect=(302,))
                self.stats.accepted += 1
                _s, _l, body = self.request("feedback", "GET", location or quiz, referer=quiz)
            elif quiz + "next/" in page.actions:  # feedback
                position = page.first("position")
                if not (token and position is not None):
                    self.stats.error("feedback", "GET", quiz, "200: feedback page without token or position")
                    raise Unexpected
                self.think()
                form = {"csrfmiddlewaretoken": token, "position": position}
                _s, location, _b = self.request("next", "POST", quiz + "next/", form, referer=quiz, expect=(302,))
                kind = "summary" if location and location.endswith("/summary/") else "quiz"
                self.stats.rounds += kind == "summary"
                _s, _l, body = self.request(kind, "GET", location or quiz, referer=quiz)
            elif quiz + "new/" in page.actions:  # the summary
                if self.rng.random() < SWITCH_COMPARISON:
                    return  # back to the home page and another comparison
                self.think()
                form = {"csrfmiddlewaretoken": token or ""}
                summary = quiz + "summary/"
                _s, location, _b = self.request("new", "POST", quiz + "new/", form, referer=summary, expect=(302,))
                _s, _l, body = self.request("quiz", "GET", location or quiz, referer=summary)
            else:
                self.stats.error("quiz", "GET", quiz, "200: neither question, feedback nor summary")
                raise Unexpected

    def run(self):
        for _ in range(100_000):  # bounded; the deadline ends it long before
            try:
                slugs = self.read_home()
                for _ in range(100_000):
                    slug = self.read_comparison(slugs)
                    self.play(slug)
                    self.think()
                    self.request("home", "GET", "/", referer=f"/compare/{slug}/quiz/summary/")
            except Unexpected:
                # Counted already; start again from the home page, as a person would.
                try:
                    self.think()
                except Stop:
                    return
            except Stop:
                return


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    index = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def run_clients(port, users, seconds):
    """`users` learners for `seconds`; returns the merged Stats and the wall time."""
    started = time.monotonic()
    deadline = started + seconds
    all_stats = [Stats() for _ in range(users)]
    threads = []
    for index, stats in enumerate(all_stats):
        learner = Learner("127.0.0.1", port, deadline, random.Random(index), stats)
        thread = threading.Thread(target=learner.run, name=f"learner-{index}", daemon=True)
        threads.append(thread)
        thread.start()
        time.sleep(min(0.02, seconds / max(users, 1) / 10))  # a short ramp, not a thundering herd
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + REQUEST_TIMEOUT * 4 + 5)
    stuck = sum(thread.is_alive() for thread in threads)
    elapsed = time.monotonic() - started
    total = Stats()
    for stats in all_stats:
        total.requests += stats.requests
        total.errors += stats.errors
        total.accepted += stats.accepted
        total.rounds += stats.rounds
        for kind, values in stats.latencies.items():
            total.latencies.setdefault(kind, []).extend(values)
        for key, count in stats.statuses.items():
            total.statuses[key] = total.statuses.get(key, 0) + count
        total.error_samples.extend(stats.error_samples[: MAX_ERROR_SAMPLES - len(total.error_samples)])
    if stuck:
        total.errors += stuck
        total.error_samples.append(f"{stuck} learner thread(s) still running after the deadline")
    return total, elapsed


# --- the server side ------------------------------------------------------------------


def load_average():
    try:
        return " ".join(f"{v:.1f}" for v in os.getloadavg())
    except OSError:
        return "n/a"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url, port, threads):
    env = dict(os.environ)
    for name in ("DEBUG", "DATABASE_URL", "CACHE_URL", "ADMIN_URL", "BEHIND_TLS_PROXY", "SECURE_HSTS_SECONDS"):
        env.pop(name, None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "loadtest-throwaway-" + os.urandom(24).hex(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "DATABASE_URL": database_url,
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": env.get("LOADTEST_WORKERS", "2"),
            "GUNICORN_THREADS": str(threads),
            "LOG_LEVEL": env.get("LOG_LEVEL", "WARNING"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def manage(env, *args):
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=BASE, env=env, capture_output=True, text=True, timeout=SETUP_TIMEOUT
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result.stdout


def count_answers(env):
    out = manage(env, "shell", "-c", "from explainer.models import Answer; print(Response.objects.count())")
    return int(out.strip().splitlines()[-1])


def wait_ready(server, port):
    """Until gunicorn answers GET / with 200; bounded by READY_TIMEOUT."""
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited at start-up with status {server.returncode}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", "/", headers={"Connection": "close"})
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                return
            raise RuntimeError(f"GET / answered {response.status} at start-up")
        except OSError:
            time.sleep(0.2)
        finally:
            conn.close()
    raise RuntimeError(f"gunicorn did not answer within {READY_TIMEOUT} s")


def stop_server(server):
    """SIGTERM to gunicorn's process group, SIGKILL if it lingers."""
    if server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        server.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
    # Workers left behind in the group (should be none): kill them too.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)


def ensure_postgresql():
    if glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        return
    if os.geteuid() != 0:
        raise RuntimeError("PostgreSQL is not installed: apt-get install --no-install-recommends postgresql")
    print("loadtest: installing Debian's postgresql", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, timeout=600)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql"],
        check=True,
        env=env,
        timeout=900,
    )


def server_log_excerpt(path, limit=6000):
    """The server log's tracebacks (or its tail), for the report."""
    try:
        text = Path(path).read_text(errors="replace")
    except OSError:
        return ""
    blocks = [m.start() for m in re.finditer(r"^.*(ERROR|Traceback|CRITICAL)", text, re.MULTILINE)]
    excerpt = text[blocks[0] :] if blocks else text[-2000:]
    return excerpt[:limit]


def run_database(db, users, seconds, threads):
    """One complete run against `db`; returns (ok, report lines)."""
    tmp = tempfile.mkdtemp(prefix=f"explainer-loadtest-{db}-")
    os.chmod(tmp, 0o755)  # noqa: S103 - the postgres user must reach its cluster directory inside
    pg_dir = os.path.join(tmp, "pg")
    log_path = os.path.join(tmp, "gunicorn.log")
    server = None
    pg_started = False
    keep = False
    try:
        if db == "postgres":
            ensure_postgresql()
            pg_started = True  # from here on, always stop (stop is harmless if start failed)
            out = subprocess.run(
                [PG_THROWAWAY, "start", pg_dir, str(free_port())],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            if out.returncode != 0:
                raise RuntimeError(f"pg-throwaway start failed:\n{out.stderr[-2000:]}")
            database_url = out.stdout.strip().splitlines()[-1]
        else:
            database_url = f"sqlite:///{os.path.join(tmp, 'load.sqlite3')}"
        port = free_port()
        env = server_env(database_url, port, threads)
        print(f"loadtest [{db}]: migrate, load_content, collectstatic ({database_url})", flush=True)
        manage(env, "migrate", "--noinput")
        manage(env, "load_content")
        manage(env, "collectstatic", "--noinput")
        before = count_answers(env)
        workers = env["WEB_CONCURRENCY"]
        print(f"loadtest [{db}]: gunicorn on 127.0.0.1:{port}, {workers} workers x {threads} threads", flush=True)
        with open(log_path, "w") as log:
            server = subprocess.Popen(
                [GUNICORN, "-c", "python:config.gunicorn", "config.wsgi"],
                cwd=BASE,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group, killed as one
            )
        wait_ready(server, port)
        print(f"loadtest [{db}]: {users} learners for {seconds} s ...", flush=True)
        cpu_before = time.process_time()
        stats, elapsed = run_clients(port, users, seconds)
        client_cpu = time.process_time() - cpu_before
        alive = server.poll() is None
        stop_server(server)
        recorded = count_answers(env) - before

        lines = [
            f"== {db}: {users} learners, {seconds} s, gunicorn {workers} workers x {threads} threads ==",
            f"  requests          {stats.requests}  ({stats.requests / elapsed:.1f}/s over {elapsed:.1f} s)",
            f"  errors            {stats.errors}",
        ]
        all_latencies = sorted(v for values in stats.latencies.values() for v in values)
        lines.append(
            f"  latency           p50 {percentile(all_latencies, 50) * 1000:.0f} ms"
            f"   p99 {percentile(all_latencies, 99) * 1000:.0f} ms"
            f"   max {(all_latencies[-1] if all_latencies else 0) * 1000:.0f} ms"
        )
        for kind in ("home", "comparison", "quiz", "answer", "feedback", "next", "summary", "new"):
            values = sorted(stats.latencies.get(kind, []))
            if values:
                lines.append(
                    f"    {kind:<11} {len(values):>7}   p50 {percentile(values, 50) * 1000:6.0f} ms"
                    f"   p99 {percentile(values, 99) * 1000:6.0f} ms"
                )
        lines.append(
            f"  rounds finished   {stats.rounds}   (client CPU {client_cpu:.1f} s, load average {load_average()})"
        )
        match = recorded == stats.accepted
        lines.append(
            f"  answers           accepted by clients {stats.accepted}, recorded in the database {recorded}"
            f"  -> {'OK' if match else 'MISMATCH'}"
        )
        if not alive:
            lines.append("  gunicorn had exited before the end of the run")
        if stats.errors:
            lines.append(
                "  errors by step and status: "
                + ", ".join(f"{k}/{s}: {n}" for (k, s), n in sorted(stats.statuses.items()))
            )
            lines.extend("    " + sample for sample in stats.error_samples)
        ok = stats.errors == 0 and match and alive
        if not ok:
            keep = True
            excerpt = server_log_excerpt(log_path)
            if excerpt:
                lines.append(f"  server log ({log_path}), from the first error:")
                lines.extend("    | " + line for line in excerpt.splitlines())
        lines.append(f"  result            {'PASS' if ok else 'FAIL'}")
        return ok, lines
    except Exception:
        keep = True
        raise
    finally:
        if server is not None:
            stop_server(server)
        if pg_started:
            if keep and os.path.exists(os.path.join(pg_dir, "server.log")):
                shutil.copy(os.path.join(pg_dir, "server.log"), os.path.join(tmp, "postgresql.log"))
            subprocess.run([PG_THROWAWAY, "stop", pg_dir], timeout=120, check=False)
        if keep:
            print(f"loadtest [{db}]: logs kept in {tmp}", flush=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def on_sigterm(*_):
    print("loadtest: terminated; stopping the server and the database", file=sys.stderr, flush=True)
    sys.exit(143)


def main():
    # SIGTERM (from make, CI or a timeout) unwinds through the finally blocks like Ctrl-C.
    signal.signal(signal.SIGTERM, on_sigterm)
    choice = os.environ.get("LOADTEST_DB", "").strip().lower() or "both"
    if choice not in {"both", "sqlite", "postgres"}:
        sys.exit(f"loadtest: LOADTEST_DB must be sqlite or postgres (or unset for both), not {choice!r}")
    databases = ["sqlite", "postgres"] if choice == "both" else [choice]
    users = env_int("LOADTEST_USERS", 50)
    seconds = env_int("LOADTEST_SECONDS", 60)
    threads = env_int("LOADTEST_THREADS", 4)
    failed = []
    for db in databases:
        try:
            ok, lines = run_database(db, users, seconds, threads)
        except Exception as exc:  # a broken setup is a failed run, reported like one
            ok, lines = (
                False,
                [f"== {db} ==", f"  setup failed: {type(exc).__name__}: {exc}", "  result            FAIL"],
            )
        print("\n".join(lines), flush=True)
        if not ok:
            failed.append(db)
    print()
    print("loadtest: " + ("FAIL (" + ", ".join(failed) + ")" if failed else "PASS (" + ", ".join(databases) + ")"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
