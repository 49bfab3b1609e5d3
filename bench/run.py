"""The benchmark: `make bench` (python -m bench.run). How to read it: bench/README.md.

One run, one load tool, the same load for every endpoint:

1. a throwaway production-like site (bench/server.py): temporary SQLite
   database, migrate, load_content, collectstatic;
2. query counts of the pages at 8 and 40 attributes (bench/querycount.py,
   test settings, own process);
3. two gunicorns (2 sync workers each) on 127.0.0.1, identical but for the
   cache: "cold" with CACHE_URL=dummy:// (nothing is ever cached, every
   request renders), "warm" with the default CACHE_URL=locmem://;
4. requests per second and p50/p99 latency of: the bare Django view (the
   baseline), a static file from whitenoise, the comparison page cold and
   warm, a quiz question page, an answer POST (each in a fresh round);
5. bytes of a first load of the comparison page in Chromium (bench/firstload.py).

It prints a table and PASS/MISS per target, writes bench/results/latest.json,
and exits 0 unless the harness itself failed.
"""

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench import scale, server
from bench.load import Loader, ensure_wrk
from bench.querycount import Inputs

RESULTS = Path(__file__).resolve().parent / "results"
# The targets (issue 14), as ratios to the bare view measured in the same run.
RATIO_TARGETS = [
    ("comparison_warm", "comparison page, cached (warm)", 0.8),
    ("comparison_cold", "comparison page, uncached (cold)", 0.2),
    ("quiz_question", "quiz question page (GET, existing round)", 0.3),
    ("answer_post", "answer POST + redirect", 0.25),
    ("quiz_feedback", "quiz feedback page", 0.3),
]
# Query counts: constant in content size, and never more than before issue 14 (8, 5, 7, 5).
QUERY_LIMITS = {"comparison page": 8, "quiz question": 5, "quiz feedback": 7, "quiz summary": 5}
DB_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
FIRST_LOAD_LIMIT = 50_000  # bytes, "50 KB"
BUSY_PCT = 15  # more CPU than this used by other work during a measurement: the figures are suspect
HEADERS = {"Accept-Encoding": "gzip, br"}  # as a browser asks; whitenoise then serves the compressed file


def log(message=""):
    print(message, flush=True)


# --- plain HTTP, for preparing the quiz session ----------------------------------------------------------------


def fetch(base_url, method, path, headers=None, body=None):
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def set_cookies(headers):
    jar = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


class QuizSetup:
    """A learner on the quiz (a Learner row and its signed cookie), and clones of it, each with a fresh round.

    The "session keys" handed out are learner cookie values: each names a learner of its own whose round
    stands at the same unanswered question (explainer/learners/identity.py).
    """

    def __init__(self, base_url, slug):
        from django.conf import settings

        from explainer.learners import identity

        self.base_url = base_url
        self.slug = slug
        self.path = f"/compare/{slug}/quiz/"
        self.answer_path = f"/compare/{slug}/quiz/answer/"
        (self.session_key,) = self.new_learners(1)
        self.session_cookie, self.csrf_cookie = identity.LEARNER_COOKIE, settings.CSRF_COOKIE_NAME
        status, headers, html = fetch(
            base_url, "GET", self.path, {"Cookie": f"{self.session_cookie}={self.session_key}"}
        )
        if status != 200:
            raise server.HarnessError(f"GET {self.path} answered {status}")
        cookies = set_cookies(headers)
        if self.csrf_cookie not in cookies:
            raise server.HarnessError(f"GET {self.path} set no CSRF cookie (got {sorted(cookies)})")
        self.csrf = cookies[self.csrf_cookie]
        inputs = Inputs(html)
        form = {name: inputs.first(name) for name in ("csrfmiddlewaretoken", "scenario", "choice")}
        if None in form.values():
            raise server.HarnessError(f"the quiz page has no complete answer form: {form}")
        self.body = urlencode(form)
        self.cookie_template = f"{self.session_cookie}=%s; {self.csrf_cookie}={self.csrf}"
        self.get_headers = {**HEADERS, "Cookie": self.cookie_template % self.session_key}
        self.post_headers = {**HEADERS, "Content-Type": "application/x-www-form-urlencoded"}

    @staticmethod
    def new_learners(count, rounds_like=None):
        """`count` new learners (with a copy of `rounds_like`'s round under a fresh round id): their cookie values."""
        from django.db import connections, transaction
        from django.http import HttpResponse

        from explainer.learners import identity
        from explainer.models import Learner, LearnerRound
        from explainer.models.learners import new_public_id

        public_ids = [new_public_id() for _ in range(count)]
        with transaction.atomic():
            Learner.objects.bulk_create([Learner(public_id=pid) for pid in public_ids], batch_size=500)
            if rounds_like is not None:
                learners = Learner.objects.filter(public_id__in=public_ids).values_list("pk", flat=True)
                LearnerRound.objects.bulk_create(
                    [
                        LearnerRound(
                            learner_id=pk,
                            comparison_id=rounds_like.comparison_id,
                            round_id=uuid.uuid4(),
                            items=rounds_like.items,
                            position=rounds_like.position,
                            responses=rounds_like.responses,
                        )
                        for pk in learners
                    ],
                    batch_size=500,
                )
        connections.close_all()
        values = []
        for public_id in public_ids:
            response = HttpResponse()
            identity.set_cookie(response, public_id)  # signed as the site signs it
            values.append(response.cookies[identity.LEARNER_COOKIE].value)
        return values

    def clone_sessions(self, count):
        """`count` new learners whose round stands where this one's does, under a fresh round id: each answers once."""
        from django.db import connections

        from explainer.models import LearnerRound

        row = LearnerRound.objects.filter(comparison__slug=self.slug).order_by("pk").first()
        connections.close_all()
        if row is None:
            raise server.HarnessError("the learner's round could not be read back from the database")
        return self.new_learners(count, rounds_like=row)

    def post_answer(self, session_key):
        headers = {**self.post_headers, "Cookie": self.cookie_template % session_key}
        status, _, _ = fetch(self.base_url, "POST", self.answer_path, headers, self.body)
        return status


# --- the run ---------------------------------------------------------------------------------------------------------


def git_commit():
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=server.ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        return done.stdout.strip() or None
    except (OSError, subprocess.TimeoutExpired):
        return None


def pick_slug(requested):
    from explainer.models import Comparison

    if Comparison.objects.published().filter(slug=requested).exists():
        return requested
    first = Comparison.objects.published().order_by("title").values_list("slug", flat=True).first()
    if first is None:
        raise server.HarnessError("load_content left no published comparison")
    log(f"  no published comparison '{requested}': using '{first}'")
    return first


def static_url(html):
    """The site's stylesheet (a hashed file served by whitenoise) as linked from the page."""
    match = re.search(r'<link[^>]+rel="stylesheet"[^>]+href="(/static/[^"]+)"', html) or re.search(
        r'href="(/static/[^"]+\.css)"', html
    )
    if not match:
        raise server.HarnessError("the comparison page links no stylesheet under /static/")
    return match.group(1)


def run(args):
    started = time.monotonic()
    results = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    results["database"] = args.db
    tmpdir = tempfile.mkdtemp(prefix="explainer-bench-")
    try:
        with contextlib.ExitStack() as stack:
            database_url, database_server = None, None
            if args.db == "postgresql":
                log("Starting a throwaway PostgreSQL server (scripts/pg-throwaway) ...")
                database_server = stack.enter_context(server.ThrowawayPostgres(tmpdir))
                database_url = database_server.url
            env = server.production_env(tmpdir, server.new_secret_key(), database_url)
            log(f"Preparing a throwaway production site (temporary {DB_LABELS[args.db]} database) ...")
            wrk = None if args.tool == "python" else ensure_wrk(log)
            if args.tool == "wrk" and not wrk:
                raise server.HarnessError("--tool wrk: wrk is not available")
            loader = Loader(wrk, args.duration, args.connections, args.threads)
            server.ensure_chromium(os.environ.get("CHROMIUM", "/usr/bin/chromium"), log)
            server.prepare_site(env, log)

            log("Counting queries at 8 and 40 attributes (test settings, cache off) ...")
            out = server.run_checked([server.PYTHON, "-m", "bench.querycount"], env, "bench/querycount.py", timeout=180)
            results["queries"] = json.loads(out.strip().splitlines()[-1])

            os.environ.update(env)  # this process reads the throwaway database too (to clone quiz sessions)
            import django

            django.setup()
            slug = pick_slug(args.slug)
            connections_close()

            log("Starting gunicorn twice (2 sync workers each): cold = CACHE_URL=dummy://, warm = locmem:// ...")
            cold = stack.enter_context(server.Gunicorn(env, "cold", tmpdir, cache_url="dummy://"))
            warm = stack.enter_context(server.Gunicorn(env, "warm", tmpdir, cache_url="locmem://"))
            results["gunicorn"] = {
                "workers": server.WORKERS,
                "worker_class": "sync",
                "max_requests": 0,
                "cold": "CACHE_URL=dummy:// (nothing cached: every request renders)",
                "warm": "CACHE_URL=locmem:// (the default), after a warm-up",
            }
            page_path = f"/compare/{slug}/"
            status, _, page_html = fetch(warm.base_url, "GET", page_path)
            if status != 200:
                raise server.HarnessError(f"GET {page_path} answered {status}:\n{warm.log_tail()}")
            quiz = QuizSetup(warm.base_url, slug)
            one, answered = quiz.clone_sessions(2)
            first, replay = quiz.post_answer(one), quiz.post_answer(one)
            if first != 302:
                raise server.HarnessError(f"an answer POST in a fresh round answered {first}, expected 302")
            results["answer_replay_status"] = replay
            # A session whose current question is answered: reading the quiz shows its feedback.
            if quiz.post_answer(answered) != 302:
                raise server.HarnessError("could not answer a question to prepare the feedback page")
            feedback_headers = {**HEADERS, "Cookie": quiz.cookie_template % answered}
            status, _, feedback_html = fetch(warm.base_url, "GET", quiz.path, {"Cookie": feedback_headers["Cookie"]})
            if status != 200 or 'name="position"' not in feedback_html:
                raise server.HarnessError(f"the feedback page answered {status} without its 'Next' form")

            wait_for_quiet(args.wait_quiet)
            log(f"Measuring with {loader.describe()} (after a 1 s warm-up each) ...")
            endpoints = {}

            def measure(key, label, base_url, path, warmup=True, **kwargs):
                url = base_url + path
                kwargs.setdefault("headers", HEADERS)
                if warmup:
                    loader.measure(url, duration=1, connections=4, **kwargs)
                # The run's own database server (PostgreSQL) is not "other work": its share is shown apart.
                db_pid = database_server.postmaster_pid() if database_server else None
                meter, db_meter = OtherCpu(db_pid), ProcessCpu(db_pid) if db_pid else None
                result = loader.measure(url, **kwargs)
                endpoints[key] = {
                    "label": label,
                    "path": path,
                    **result.as_dict(),
                    "other_cpu_pct": meter.pct(),
                    "db_cpu_pct": db_meter.pct() if db_meter else None,
                }
                log(f"  {label:<34} {result.rps:9.1f} req/s")
                return result

            bare = measure("bare", "bare Django view (baseline)", warm.base_url, "/bench/bare/")
            measure("static", "static file (whitenoise)", warm.base_url, static_url(page_html))
            measure("comparison_cold", "comparison page, cold", cold.base_url, page_path)
            measure("comparison_warm", "comparison page, warm", warm.base_url, page_path)
            question = measure(
                "quiz_question", "quiz question page", warm.base_url, quiz.path, headers=quiz.get_headers
            )

            measure("quiz_feedback", "quiz feedback page", warm.base_url, quiz.path, headers=feedback_headers)

            pool = max(1000, min(40_000, int(question.rps * args.duration * 2) + 500))
            sessions_file = Path(tmpdir) / "sessions.txt"
            sessions_file.write_text("\n".join(quiz.clone_sessions(pool)) + "\n")
            connections_close()
            measure(
                "answer_post",
                "answer POST (fresh round each)",
                warm.base_url,
                quiz.answer_path,
                warmup=False,
                method="POST",
                headers=quiz.post_headers,
                body=quiz.body,
                sessions_file=sessions_file,
                cookie_template=quiz.cookie_template,
            )
            endpoints["answer_post"]["fresh_sessions"] = pool
            # The baseline again at the end: the ratios divide by the mean of both, so that a
            # machine whose speed drifts during the run skews them less (and the drift is shown).
            bare_end = measure("bare_end", "bare Django view (again, at end)", warm.base_url, "/bench/bare/")
            baseline = (bare.rps + bare_end.rps) / 2
            results["baseline"] = {
                "rps": round(baseline, 1),
                "drift_pct": round(100 * abs(bare_end.rps - bare.rps) / baseline, 1) if baseline else None,
            }
            for entry in endpoints.values():
                entry["x_bare"] = round(entry["rps"] / baseline, 3) if baseline else None
            results["load"] = {
                "tool": loader.name,
                "duration_s": args.duration,
                "connections": args.connections,
                "threads": args.threads,
                "headers": HEADERS,
            }
            results["endpoints"] = endpoints

            log("First load of the comparison page in Chromium ...")
            out = server.run_checked(
                [server.PYTHON, "-m", "bench.firstload", warm.base_url + page_path],
                env,
                "bench/firstload.py",
                timeout=120,
            )
            results["first_load"] = json.loads(out.strip().splitlines()[-1])
            results["first_load"]["path"] = page_path
        if args.comparisons:
            log(f"A site of {args.comparisons} comparisons, on a database of its own (bench/scale.py) ...")
            with contextlib.ExitStack() as stack:
                database_url = None
                if args.db == "postgresql":
                    database_url = stack.enter_context(server.ThrowawayPostgres(Path(tmpdir) / "scale")).url
                else:
                    database_url = f"sqlite:///{Path(tmpdir) / 'scale.sqlite3'}"
                scale_env = server.production_env(tmpdir, server.new_secret_key(), database_url)
                results["scale"] = scale.run(scale_env, tmpdir, args.comparisons, log)
    finally:
        if args.keep_tmp:
            log(f"(kept {tmpdir})")
        else:
            shutil.rmtree(tmpdir, ignore_errors=True)
    results["targets"] = targets(results)
    results["runtime_s"] = round(time.monotonic() - started, 1)
    return results


class OtherCpu:
    """CPU used by other work on the machine since creation: all CPUs' busy time minus this run's processes
    (this process and its children: gunicorn, wrk; and the run's own database server, `db_pid` and its
    backends), as a share (0-100) of all CPUs' time. From /proc."""

    def __init__(self, db_pid=None):
        self.db_pid = db_pid
        self.start = self.sample()

    def own(self):
        return own_ticks(os.getpid()) + (own_ticks(self.db_pid) if self.db_pid else 0)

    def sample(self):
        try:
            with open("/proc/stat") as stat:
                fields = [int(x) for x in stat.readline().split()[1:9]]
            return sum(fields), sum(fields) - fields[3] - fields[4], self.own()
        except (OSError, ValueError, IndexError):
            return None

    def pct(self):
        end = self.sample()
        if self.start is None or end is None or end[0] <= self.start[0]:
            return None
        total, busy, own = (b - a for a, b in zip(self.start, end, strict=True))
        return round(max(0.0, 100 * (busy - own) / total), 1)


class ProcessCpu(OtherCpu):
    """The CPU one process tree (`pid` and its children) used since creation, as a share of all CPUs' time."""

    def __init__(self, pid):
        self.pid = pid
        super().__init__()

    def own(self):
        return own_ticks(self.pid)

    def pct(self):
        end = self.sample()
        if self.start is None or end is None or end[0] <= self.start[0]:
            return None
        return round(100 * (end[2] - self.start[2]) / (end[0] - self.start[0]), 1)


def own_ticks(root):
    """CPU ticks (user + system) of `root` and all its descendants, living or ended, from /proc/<pid>/stat."""
    children, ticks = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                data = stat.read()
        except OSError:
            continue  # gone meanwhile
        fields = data[data.rindex(")") + 2 :].split()
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        # utime + stime, and cutime + cstime: what its children used before they ended (a database
        # server's backends come and go with connections) is counted with their parent.
        ticks[pid] = sum(int(value) for value in fields[11:15])
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += ticks.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def machine_busy(seconds):
    meter = OtherCpu()
    time.sleep(seconds)
    return meter.pct()


def wait_for_quiet(limit_s):
    """Wait up to `limit_s` seconds for other work on the machine to stop using the CPUs (bounded)."""
    deadline = time.monotonic() + limit_s
    busy = machine_busy(1.0)
    if busy is None or busy <= BUSY_PCT:
        return
    log(f"  other work is using {busy:.0f}% of the CPUs: waiting up to {limit_s} s for a quiet machine ...")
    while time.monotonic() < deadline:
        busy = machine_busy(2.0)
        if busy is not None and busy <= BUSY_PCT:
            log("  quiet now")
            return
    log(f"  still {busy:.0f}% busy: measuring anyway")


def connections_close():
    from django.db import connections

    connections.close_all()


def targets(results):
    checks = []
    endpoints = results["endpoints"]

    def check(name, value, ok):
        checks.append({"target": name, "value": value, "pass": bool(ok)})

    for key, label, target in RATIO_TARGETS:
        ratio = endpoints[key]["x_bare"]
        check(f"{label} >= {target} x bare view req/s", f"{ratio:.2f} x", ratio >= target)
    small, large = results["queries"]["8"], results["queries"]["40"]
    for page, limit in QUERY_LIMITS.items():
        a, b = small.get(page), large.get(page)
        ok = a is not None and a == b and a <= limit
        check(f"{page}: same query count at 8 and 40 attributes, <= {limit}", f"{a} / {b}", ok)
    if "scale" in results:
        scale_checks(results["scale"], check)
    first = results["first_load"]
    check(
        f"first load of the comparison page <= {FIRST_LOAD_LIMIT / 1000:.0f} KB transferred",
        f"{first['transfer_bytes'] / 1000:.1f} KB",
        first["transfer_bytes"] <= FIRST_LOAD_LIMIT,
    )
    check("first load: 0 third-party requests", str(first["third_party_requests"]), first["third_party_requests"] == 0)
    return checks


SCALE_RATIO = 3  # each shared list at 1,000 comparisons within 3x of its time at 7
SCALE_HIT_RATE = 0.99
COMMAND_LIMIT_S = 60


def scale_checks(scale, check):
    n, small = scale["count"], scale["small_count"]
    worst = min(scale["hitrate"]["edits"], key=lambda edit: edit["rate"])
    check(
        f"{n} comparisons: other comparisons' pages still cached after one edit >= {SCALE_HIT_RATE:.0%}",
        f"{worst['rate']:.2%} (worst: {worst['edit']})",
        worst["rate"] >= SCALE_HIT_RATE,
    )
    for label, large_ms in scale["ms_large"].items():
        small_ms = scale["ms_small"][label]
        if small_ms is None or large_ms is None:
            check(f"{label} at {n} within {SCALE_RATIO}x of at {small}", "not served (not 200)", False)
            continue
        ratio = large_ms / small_ms
        check(
            f"{label} at {n} within {SCALE_RATIO}x of at {small}",
            f"{small_ms:.1f} -> {large_ms:.1f} ms ({ratio:.1f}x)",
            ratio <= SCALE_RATIO,
        )
    for command in ("load_content", "check_content"):
        seconds = scale[f"{command}_s"]
        check(f"{command} on {n} comparisons < {COMMAND_LIMIT_S} s", f"{seconds:.1f} s", seconds < COMMAND_LIMIT_S)


def report(results):
    load = results["load"]
    line = "-" * 100
    log()
    log(line)
    commit, cpus = results["commit"] or "?", results["machine"]["cpus"]
    log(
        f"Explainer benchmark  {results['when']}  commit {commit}  ({cpus} CPUs)  "
        f"database: {DB_LABELS[results['database']]}"
    )
    log(
        f"gunicorn: {server.WORKERS} sync workers on 127.0.0.1, production settings, worker recycling off; "
        f"load: {load['tool']}, {load['connections']} connections, {load['threads']} threads, "
        f"{load['duration_s']} s each"
    )
    log("cold = gunicorn with CACHE_URL=dummy:// (no cache, every request renders); warm = CACHE_URL=locmem://")
    log(line)
    log(
        f"{'endpoint':<34}{'req/s':>9}{'x bare':>8}{'p50 ms':>9}{'p99 ms':>9}{'requests':>10}"
        f"{'non-2xx/3xx':>13}{'errors':>8}"
    )
    for entry in results["endpoints"].values():
        log(
            f"{entry['label']:<34}{entry['rps']:>9.1f}{entry['x_bare']:>8.2f}{entry['p50_ms']:>9.1f}"
            f"{entry['p99_ms']:>9.1f}{entry['requests']:>10}{entry['non_2xx_3xx']:>13}{entry['socket_errors']:>8}"
        )
    baseline = results["baseline"]
    log(
        f"x bare: req/s divided by the mean of the two bare runs ({baseline['rps']:.1f} req/s); "
        f"they differ by {baseline['drift_pct']}%"
        + (" (more than 15%: the machine's speed changed during the run)" if baseline["drift_pct"] > 15 else "")
    )
    other = [e["other_cpu_pct"] for e in results["endpoints"].values() if e["other_cpu_pct"] is not None]
    database = {e["label"]: e["db_cpu_pct"] for e in results["endpoints"].values() if e.get("db_cpu_pct") is not None}
    if database:
        log(
            "the database server (on the same CPUs) used, of all CPUs' time: "
            + ", ".join(f"{label} {pct:.0f}%" for label, pct in database.items())
        )
    if other and max(other) > BUSY_PCT:
        log(
            f"WARNING: other work on the machine used up to {max(other):.0f}% of the CPUs during a measurement: "
            "these figures are not reliable; run again on a quiet machine."
        )
    elif other:
        log(f"machine quiet: other work used at most {max(other):.0f}% of the CPUs during any measurement")
    post = results["endpoints"]["answer_post"]
    log(
        f"answer POST: each request answers the current question of its own fresh round ({post['fresh_sessions']} "
        f"prepared sessions) and is graded, recorded, 302; replays of used sessions: {post['replayed_sessions']} "
        f"(a replay answers {results['answer_replay_status']}, still graded)."
    )
    log(line)
    queries = results["queries"]
    log(f"{'queries per request (cache off)':<40}{'8 attributes':>14}{'40 attributes':>15}")
    for page in queries["8"]:
        log(f"{page:<40}{queries['8'][page]!s:>14}{queries['40'].get(page)!s:>15}")
    log(line)
    first = results["first_load"]
    log(
        f"first load of {first['path']} (Chromium, empty cache): {first['requests']} requests, "
        f"{first['transfer_bytes'] / 1000:.1f} KB transferred ({first['body_bytes'] / 1000:.1f} KB bodies "
        f"+ {first['header_bytes'] / 1000:.1f} KB headers), {first['third_party_requests']} third-party"
    )
    for row in first["responses"]:
        path = urlsplit(row["url"]).path
        encoding = row["content_encoding"] or "identity"
        log(f"  {row['type']:<11}{row['status']!s:>4}  {row['body_bytes'] / 1000:7.1f} KB  {encoding:<9} {path}")
    if "scale" in results:
        scale = results["scale"]
        log(
            f"a site of {scale['count']} comparisons (medians, in process, page cache off): "
            f"load_content {scale['load_content_s']} s, check_content {scale['check_content_s']} s"
            + (f" ({scale['check_content_findings'][0]})" if scale["check_content_findings"] else "")
        )
        log(f"{'list':<34}{scale['small_count']:>10} ms{scale['count']:>10} ms")
        for label, ms in scale["ms_large"].items():
            log(f"{label:<34}{scale['ms_small'][label]!s:>13}{ms!s:>13}")
        for edit in scale["hitrate"]["edits"]:
            log(
                f"  after an edit to {edit['edit']}: {edit['hits']} of the other {edit['others']} comparison pages "
                f"served from the cache ({edit['rate']:.2%})"
            )
        log(line)
    log(line)
    for check in results["targets"]:
        log(f"{'PASS' if check['pass'] else 'MISS'}  {check['target']:<66} {check['value']}")
    if other and max(other) > BUSY_PCT:
        log("(the machine was busy with other work: the req/s targets above are not reliable)")
    log(line)
    log(
        f"written to {RESULTS.relative_to(server.ROOT)}/latest-{results['database']}.json; "
        f"{results['runtime_s']} s in all"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--duration",
        type=int,
        default=int(os.environ.get("BENCH_DURATION", "8")),
        help="seconds per endpoint (default 8)",
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--slug", default="alliance-vs-coalition", help="the comparison to load")
    parser.add_argument(
        "--tool", choices=["auto", "wrk", "python"], default="auto", help="load tool (auto: wrk, else Python)"
    )
    parser.add_argument(
        "--wait-quiet", type=int, default=60, help="seconds to wait for other CPU load to stop before measuring"
    )
    parser.add_argument(
        "--db", choices=sorted(DB_LABELS), default="sqlite", help="database of the throwaway site (default sqlite)"
    )
    parser.add_argument(
        "--comparisons",
        type=int,
        default=int(os.environ.get("COMPARISONS", "1000")),
        help="also measure a site of this many comparisons (default 1000; 0 skips it)",
    )
    parser.add_argument("--keep-tmp", action="store_true", help="keep the temporary folder (database, gunicorn logs)")
    args = parser.parse_args(argv)
    server.exit_cleanly_on_signals()
    if not 1 <= args.duration <= 60:
        parser.error("--duration must be 1..60 seconds")
    try:
        results = run(args)
    except (server.HarnessError, RuntimeError, subprocess.SubprocessError, OSError) as error:
        log(f"\nbench: the harness failed: {error}")
        return 1
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / f"latest-{args.db}.json").write_text(json.dumps(results, indent=2) + "\n")
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
