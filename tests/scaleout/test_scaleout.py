"""Two app servers, one PostgreSQL, one Redis: what holds when the site runs on several machines.

Run by `make test-scaleout` (and .ci/run), not by `make test`: it starts real
servers. A throwaway PostgreSQL (scripts/pg-throwaway), Debian's redis-server
on a free port of 127.0.0.1, and two gunicorn instances with the production
settings (bench/server.py). Learners' requests alternate between the two
instances, one request here, the next there, as a round-robin balancer sends
them; every learner keeps one session cookie.
"""

import http.cookiejar
import itertools
import json
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
from tests.redis_server import RedisServer

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
    redis = RedisServer(tmp).start()  # config/redis.conf: capped, least recently used keys evicted
    instances = []
    access_log = tmp / "access-a.log"
    try:
        server.prepare_site(env, log=lambda *_: None)
        for label in ("a", "b"):
            instance_env = {**env, "GUNICORN_ACCESS_LOG": str(access_log)} if label == "a" else env
            instances.append(server.Gunicorn(instance_env, label, tmp, cache_url=redis.url, threads=4).start())
        yield {"env": env, "redis": redis, "bases": [i.base_url for i in instances], "access_log": access_log}
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
    # Each instance's circuit breaker tries Redis again 2 s after the outage it saw, then says ok.
    until_healthy(site["bases"], "/healthz did not say ok after Redis came back")
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


# Issue 22: a cache that can neither flood nor stall, limits that spare a school, drafts hidden by permission


def timed_get(base, path):
    started = time.monotonic()
    status, body = get(base, path)
    return status, body, time.monotonic() - started


def test_100_junk_query_strings_make_at_most_a_handful_of_cache_entries(site):
    redis, pages = site["redis"], ["/", "/compare/alliance-vs-coalition/", "/categories/politics/"]
    pages = [page for page in pages if get(site["bases"][0], page)[0] == 200]
    for base in site["bases"]:
        for page in pages:
            get(base, page)  # warm: one entry per page and host
    before = len(redis.keys("*page:*"))
    for n in range(100):
        base = site["bases"][n % 2]
        junk = [f"utm_source=newsletter{n}", f"page=0{n}", f"fbclid={n}x{n}", f"page=1&page={n}", f"q={n}"][n % 5]
        assert get(base, f"{pages[n % len(pages)]}?{junk}")[0] in {200, 404}
    assert len(redis.keys("*page:*")) - before <= 3


def test_a_hung_redis_costs_every_page_under_a_second_and_health_says_degraded_then_ok(site):
    redis, bases = site["redis"], site["bases"]
    paths = ["/", "/compare/alliance-vs-coalition/", "/compare/sanctions-vs-embargo/quiz/", "/join/"]
    slow, health = [], []
    redis.pause()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for base in bases:
                for path in paths:
                    status, _body, seconds = timed_get(base, path)
                    if status != 200 or seconds >= 1:
                        slow.append((base, path, status, round(seconds, 2)))
                status, body, seconds = timed_get(base, "/healthz")
                health.append((status, body, seconds))
    finally:
        redis.resume()
    assert slow == []
    assert all(status == 200 and "cache degraded" in body and seconds < 1 for status, body, seconds in health), health
    until_healthy(bases, "/healthz did not say ok after SIGCONT")


def until_healthy(bases, message, seconds=10):
    """Wait until every instance's /healthz says ok (at most `seconds`), or fail with `message`."""
    deadline = time.monotonic() + seconds
    while [get(base, "/healthz") for base in bases] != [(200, "database ok\ncache ok\n")] * len(bases):
        assert time.monotonic() < deadline, message
        time.sleep(0.25)


def test_redis_runs_with_a_memory_cap_and_an_eviction_policy(site):
    assert site["redis"].cli("config", "get", "maxmemory-policy").splitlines()[1] == "allkeys-lru"
    assert int(site["redis"].cli("config", "get", "maxmemory").splitlines()[1]) > 0


SETUP = """
import json
from django.contrib.auth.models import Group, User
from explainer import drafts
from explainer.models.classes import SchoolClass
from explainer.models import Comparison, Scenario
from explainer.quiz.rounds import draw_round
import random

def user(name, staff=True, superuser=False, group=None):
    made = User.objects.create_user(name, password="scaleout-password-" + name, is_staff=staff, is_superuser=superuser)
    if group:
        made.groups.add(Group.objects.get(name=group))
    return made

admin = user("root", superuser=True)
teacher = user("teacher", group="Teachers")
user("editor", group="Editors")
user("staff")
live = Comparison.objects.get(slug="sanctions-vs-embargo")
draft = drafts.start(live, admin)
school_class = SchoolClass.objects.create(comparison=live, teacher=teacher, name="7B", question_count=4)
school_class.scenarios.set(draw_round(Scenario.objects.published().filter(comparison=live), 4, random.Random(1)))
concept = draft.ordered_concepts[0]
print(json.dumps({"draft": draft.slug, "concept": concept.slug, "code": school_class.code}))
"""


@pytest.fixture(scope="module")
def people(site):
    return json.loads(manage(site["env"], SETUP))


def log_in(bases, username):
    browser = Learner(bases)
    status, page = browser.request("/admin/login/")
    form = {"csrfmiddlewaretoken": field(page, "csrfmiddlewaretoken"), "username": username}
    status, _ = browser.request("/admin/login/", {**form, "password": "scaleout-password-" + username, "next": "/"})
    assert status == 302, (username, status)
    return browser


def test_a_schools_address_that_guessed_60_wrong_codes_still_joins_a_valid_class(site, people):
    rogue = Learner(site["bases"])
    wrong = ["ZZZZ" + "".join(digits) for digits in itertools.product("2345", repeat=4)][:60]
    statuses = [rogue.request(f"/join/{code}/")[0] for code in wrong]
    assert statuses == [404] * 60
    assert rogue.request("/join/ZZZZ9999/")[0] == 429
    for n in range(5):  # classmates, same address, the code on the board
        pupil = Learner(site["bases"])
        status, page = pupil.request(f"/join/{people['code']}/")
        assert status == 200, status
        form = {"csrfmiddlewaretoken": field(page, "csrfmiddlewaretoken"), "nickname": f"Pupil {n}"}
        assert pupil.request(f"/join/{people['code']}/", form)[0] == 302
        assert pupil.request(f"/join/{people['code']}/play/")[0] == 200
    log = site["access_log"].read_text()
    assert "/join/<code>/" in log and people["code"] not in log


ROLES = ["anonymous", "teacher", "staff", "editor", "root"]


def test_drafts_answer_404_to_every_role_without_the_view_permission(site, people):
    draft = people["draft"]
    urls = [
        f"/compare/{draft}/",
        f"/concepts/{people['concept']}/",
        f"/compare/{draft}/quiz/",
        f"/compare/{draft}/worksheet/?sheet=3",
        f"/compare/{draft}/worksheet/key/?sheet=3",
    ]
    found = {}
    for role in ROLES:
        browser = Learner(site["bases"]) if role == "anonymous" else log_in(site["bases"], role)
        found[role] = [browser.request(url)[0] for url in urls]
    assert found == {role: [200 if role in {"editor", "root"} else 404] * len(urls) for role in ROLES}
