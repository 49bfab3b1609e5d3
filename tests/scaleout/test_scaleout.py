"""Two app servers, one PostgreSQL, one Redis: what holds when the site runs on several machines.

Run by `make test-scaleout` (and .ci/run), not by `make test`: it starts real
servers. A throwaway PostgreSQL (scripts/pg-throwaway), Debian's redis-server
on a free port of 127.0.0.1, and two gunicorn instances with the production
settings (bench/server.py). Learners' requests alternate between the two
instances, one request here, the next there, as a round-robin balancer sends
them; every learner keeps one session cookie.
"""

import http.cookiejar
import re
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from bench import server

ROOT = Path(__file__).resolve().parents[2]
LEARNERS = 6
QUESTIONS = 12  # each: question, answer (302), feedback, next (302)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Learner:
    """One browser: one cookie jar; each request goes to the next instance in turn."""

    def __init__(self, bases):
        self.bases, self.turn = bases, 0
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
        )

    def request(self, path, form=None):
        base = self.bases[self.turn % len(self.bases)]
        self.turn += 1
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        headers = {"Referer": base + path} if form is not None else {}
        try:
            request = urllib.request.Request(base + path, data=data, headers=headers)  # noqa: S310 - loopback only
            with self.opener.open(request, timeout=20) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def inputs(page):
    """(name, type, value) of every <input> on the page."""
    found = []
    for tag in re.findall(r"<input[^>]*>", page):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', tag))
        found.append((attrs.get("name"), attrs.get("type"), attrs.get("value")))
    return found


def field(page, name):
    return next((value for field_name, _type, value in inputs(page) if field_name == name), None)


def play(learner, slug, questions, accepted, problems):
    quiz = f"/compare/{slug}/quiz/"
    for _ in range(questions):
        status, page = learner.request(quiz)
        if status == 302:  # the round is over: its summary offers a new one
            status, page = learner.request(quiz + "summary/")
        if status != 200:
            problems.append(f"GET quiz: {status}")
            return
        if quiz + "answer/" in page:
            choices = [value for name, kind, value in inputs(page) if name == "choice" and kind == "radio"]
            form = {"csrfmiddlewaretoken": field(page, "csrfmiddlewaretoken"), "scenario": field(page, "scenario")}
            status, _ = learner.request(quiz + "answer/", {**form, "choice": choices[0]})
            if status != 302:
                problems.append(f"POST answer: {status}")
                return
            accepted.append(1)
            status, page = learner.request(quiz)
        if quiz + "next/" in page:
            form = {"csrfmiddlewaretoken": field(page, "csrfmiddlewaretoken"), "position": field(page, "position")}
            status, _ = learner.request(quiz + "next/", form)
            if status != 302:
                problems.append(f"POST next: {status}")
                return
        elif quiz + "new/" in page:
            learner.request(quiz + "new/", {"csrfmiddlewaretoken": field(page, "csrfmiddlewaretoken")})


def get(base, path):
    try:
        with urllib.request.urlopen(base + path, timeout=10) as response:  # noqa: S310 - loopback only
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class Redis:
    def __init__(self, folder):
        self.port, self.folder, self.process = server.free_port(), folder, None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if (
                subprocess.run(
                    ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
                ).stdout.strip()
                == "PONG"
            ):
                return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is needed: apt-get install redis-server (make test-scaleout installs it as root)")
    tmp = tmp_path_factory.mktemp("scaleout")
    pg_dir = tmp / "pg"
    env = server.production_env(tmp, server.new_secret_key())
    throwaway = str(ROOT / "scripts" / "pg-throwaway")
    url = server.run_checked([throwaway, "start", str(pg_dir), str(server.free_port())], env, "pg-throwaway", 120)
    env["DATABASE_URL"] = url.strip().splitlines()[-1]
    redis = Redis(tmp)
    redis.start()
    instances = []
    try:
        server.prepare_site(env, log=lambda *_: None)
        for label in ("a", "b"):
            instances.append(server.Gunicorn(env, label, tmp, cache_url=redis.url, threads=4).start())
        yield {"env": env, "redis": redis, "bases": [i.base_url for i in instances]}
    finally:
        for instance in instances:
            instance.stop()
        redis.stop()
        subprocess.run([throwaway, "stop", str(pg_dir)], check=False)


def manage(env, code):
    """Run `code` in manage.py shell against the shared database; its last line of output."""
    output = server.run_checked([server.PYTHON, "manage.py", "shell", "-c", code], env, "manage.py shell", 120)
    return output.strip().splitlines()[-1] if output.strip() else ""


def test_learners_alternating_between_instances_lose_nothing_even_when_redis_goes_down(site):
    before = int(manage(site["env"], "from explainer.models import Response; print(Response.objects.count())"))
    accepted, problems, threads = [], [], []
    for index in range(LEARNERS):
        slug = ["alliance-vs-coalition", "sanctions-vs-embargo", "coup-vs-revolution"][index % 3]
        thread = threading.Thread(target=play, args=(Learner(site["bases"]), slug, QUESTIONS, accepted, problems))
        threads.append(thread)
        thread.start()
    time.sleep(1.0)
    site["redis"].stop()  # mid-run
    outage = [get(base, path) for base in site["bases"] for path in ("/", "/compare/alliance-vs-coalition/")]
    health = [get(base, "/healthz") for base in site["bases"]]
    site["redis"].start()
    for thread in threads:
        thread.join(timeout=120)
    recorded = int(manage(site["env"], "from explainer.models import Response; print(Response.objects.count())"))
    assert problems == []
    assert [status for status, _ in outage] == [200, 200, 200, 200]
    assert all(status == 200 and "cache degraded" in body for status, body in health), health
    assert [get(base, "/healthz") for base in site["bases"]] == [(200, "database ok\ncache ok\n")] * 2
    assert len(accepted) == recorded - before > 0


def test_an_editors_change_shows_on_both_instances_at_their_next_request(site):
    page = "/compare/alliance-vs-coalition/"
    for base in site["bases"]:
        assert get(base, page)[0] == 200  # both caches warm
    manage(
        site["env"],
        "from explainer.models import Comparison; c = Comparison.objects.get(slug='alliance-vs-coalition'); "
        "c.lede = 'A lede changed by an editor just now.'; c.save()",
    )
    for base in site["bases"]:
        assert "A lede changed by an editor just now." in get(base, page)[1]
