"""Where a request's time goes: `make bench-profile` (python -m bench.profile). See bench/README.md.

Builds the same throwaway production site as `make bench` (bench/server.py:
temporary SQLite database, migrate, load_content, collectstatic), then, in
this process with the production settings (bench/settings.py) and the cache
switched off (CACHE_URL=dummy://, so every request renders), sends each page
`--repeat` times through Django's test client under a profiler, and prints
where the time went: pyinstrument's call tree when it is installed
(requirements-dev.txt), else cProfile's top functions by cumulative time.

The quiz pages are profiled as `make bench` loads them: the question of a
learner's kept round, the answer POST (each by a learner of its own, at the
same unanswered question), and the feedback.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time

from bench import server
from bench.querycount import Inputs


def pages(slug, repeat):
    """(label, callable) for each profiled request; each callable makes one request and checks its status.

    The quiz pages are requested as `make bench` requests them (bench/run.py's QuizSetup): by learners
    known from their cookie, whose round is kept in the database; each answer POST answers the current
    question of a learner of its own (`repeat` of them are made beforehand, outside the profile).
    """
    from django.test import Client
    from django.urls import reverse

    from bench.run import QuizSetup
    from explainer.learners import identity
    from explainer.models import LearnerRound

    def new_client(cookie=None):
        client = Client(HTTP_HOST="127.0.0.1")  # the throwaway site's only allowed host
        if cookie is not None:
            client.cookies[identity.LEARNER_COOKIE] = cookie
        return client

    def expect(response, status):
        if response.status_code != status:
            raise server.HarnessError(f"{response.request['PATH_INFO']} answered {response.status_code}")
        return response

    quiz_url, answer_url = reverse("quiz", args=[slug]), reverse("quiz_respond", args=[slug])
    reader = new_client()
    (cookie,) = QuizSetup.new_learners(1)
    asking = new_client(cookie)
    inputs = Inputs(expect(asking.get(quiz_url), 200).content.decode())  # draws and keeps the learner's round
    form = {"scenario": inputs.first("scenario"), "choice": inputs.first("choice")}
    row = LearnerRound.objects.filter(comparison__slug=slug).order_by("pk").first()
    cookies = QuizSetup.new_learners(repeat + 6, rounds_like=row)  # warm-up, the profiled run, the feedback's
    answered, answering = new_client(cookies.pop()), new_client()  # one client each: a new one loads the middleware
    expect(answered.post(answer_url, form), 302)

    def answer():
        answering.cookies[identity.LEARNER_COOKIE] = cookies.pop()
        expect(answering.post(answer_url, form), 302)

    return [
        ("comparison page (uncached)", lambda: expect(reader.get(reverse("comparison_detail", args=[slug])), 200)),
        ("quiz question", lambda: expect(asking.get(quiz_url), 200)),
        ("answer POST (fresh round each)", answer),
        ("quiz feedback", lambda: expect(answered.get(quiz_url), 200)),
        ("home (uncached)", lambda: expect(reader.get("/"), 200)),
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="requests per page (default 200)")
    parser.add_argument("--slug", default="alliance-vs-coalition")
    parser.add_argument("--only", help="profile only the pages whose label contains this text")
    parser.add_argument("--all-frames", action="store_true", help="show library frames too (pyinstrument)")
    parser.add_argument("--flat", action="store_true", help="functions by their own time, not the call tree")
    args = parser.parse_args(argv)
    tmpdir = tempfile.mkdtemp(prefix="explainer-profile-")
    try:
        env = server.production_env(tmpdir, server.new_secret_key())
        env["CACHE_URL"] = "dummy://"
        server.prepare_site(env)
        os.environ.update(env)
        import django

        django.setup()
        try:
            from pyinstrument import Profiler
        except ImportError:
            Profiler = None
        for label, call in pages(args.slug, args.repeat):
            if args.only and args.only not in label:
                continue
            for _ in range(5):
                call()  # warm-up: template loading, first queries
            started = time.perf_counter()
            if Profiler:
                profiler = Profiler(interval=0.0002)
                profiler.start()
            else:
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            for _ in range(args.repeat):
                call()
            elapsed = time.perf_counter() - started
            print(f"\n===== {label}: {1000 * elapsed / args.repeat:.2f} ms a request (in process, profiled) =====")
            if Profiler:
                profiler.stop()
                print(profiler.output_text(unicode=False, color=False, show_all=args.all_frames, flat=args.flat))
            else:
                import pstats

                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
