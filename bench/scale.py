"""A site of 1,000 comparisons: `make bench` (bench/run.py --comparisons 1000) runs it after the load test.

On its own throwaway database (SQLite, or a throwaway PostgreSQL), in this order:

1. migrate and load the shipped content (7 comparisons), then time the shared
   lists, uncached: home, a category page, the sitemap (its index and its
   largest section page), the Atom feed, a search that finds something and
   one that finds nothing;
2. write content files for the other comparisons (`generate`: 9 rows, 30
   scenarios, 3 similarities, 2 differences and 2 examples each; concepts
   shared in pairs, as "alliance" is shared by two shipped comparisons), and
   time `load_content --dir` over all 1,000 folders, then `check_content`;
3. time the same lists again at 1,000 comparisons;
4. the hit rate: with an in-process page cache (locmem), request every
   comparison's page once to fill it, make one edit to one comparison (its
   title, a cell, a scenario, one of its concepts: each in turn), and request
   every other comparison's page again: the share served from the cache.

Timings are medians of `--repeat` requests through Django's test client with
the production settings (bench/settings.py) and the cache off (dummy://), so
each one renders. Prints one JSON object (the last line of output).

    python -m bench.scale generate DIR COUNT    writes the shipped 7 and COUNT-7 generated folders to DIR
    python -m bench.scale pages                 times the lists on DATABASE_URL (JSON)
    python -m bench.scale hitrate               fills the cache, edits, measures (JSON)
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROWS, SCENARIOS, SHARED_BY = 9, 30, 2
REPEAT = 15


# --- content files --------------------------------------------------------------------------------------------------


def generate(folder, count):
    """Content files for `count` comparisons: the shipped ones, and generated ones up to `count`."""
    from explainer.content_files import CONTENT_DIR, content_folders

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    shipped = content_folders(CONTENT_DIR)
    for path in shipped:
        shutil.copytree(path, folder / path.name, dirs_exist_ok=True)
    for n in range(count - len(shipped)):
        write_generated(folder, n)


def concept(k):
    return {
        "slug": f"gen-concept-{k}",
        "name": f"Generated idea {k}",
        "definition": f"The generated idea number {k}, defined in one plain sentence.",
        "description": f"A **generated** idea, number {k}, with a *short* description in Markdown.",
    }


def write_generated(folder, n):
    # Comparison n compares concepts n and n+1: each concept belongs to two comparisons.
    left, right = concept(n), concept(n + 1)
    slugs = [left["slug"], right["slug"]]
    category = n % 12
    attributes = [
        {
            "slug": f"row-{r}",
            "name": f"Row {r}",
            "question": f"What about row {r}?",
            "cells": {
                slug: f"{name} on row {r}: one or two plain sentences." for slug, name in zip(slugs, "AB", strict=True)
            },
        }
        for r in range(ROWS)
    ]
    document = {
        "category": {"slug": f"gen-category-{category}", "name": f"Generated category {category}"},
        "concepts": [left, right],
        "comparison": {
            "slug": f"gen-comparison-{n}",
            "title": f"Generated idea {n} vs. Generated idea {n + 1}",
            "lede": f"Generated comparison {n}: how two neighbouring generated ideas differ.",
            "intro": f"An *introduction* to generated comparison {n}, in **Markdown**.",
            "blur_note": "Some cases sit **between** the two ideas.",
            "concepts": slugs,
            "related": [f"gen-comparison-{n - 1}"] if n else [],
        },
        "attributes": attributes,
        "similarities": [{"title": f"Shared point {s}", "text": f"Both share point {s}."} for s in range(3)],
        "differences": [
            {"attribute": f"row-{r}", "title": f"Difference on row {r}", "text": "They differ here."} for r in range(2)
        ],
        "examples": [
            {
                "slug": f"gen-example-{n}-{side}",
                "concept": slug,
                "name": f"Example {side} of comparison {n}",
                "kind": "political",
                "start_year": 1900 + n % 100,
                "summary": "Two or three plain sentences about the example.",
                "source_url": f"https://example.org/generated/{n}/{side}",
            }
            for side, slug in enumerate(slugs)
        ],
    }
    scenarios = [
        {
            "slug": f"case-{s}",
            "correct_concept": slugs[s % 2],
            "difficulty": "medium",
            "text": f"Case {s} of comparison {n}: a group of parties acts together under terms number {s}.",
            "explanation": f"Row {s % ROWS} decides it (row {s % ROWS}).",
            "cues": [f"row-{s % ROWS}"],
            "against_type": s % 3 == 0,
            "real": False,
        }
        for s in range(SCENARIOS)
    ]
    path = folder / f"gen-comparison-{n}"
    path.mkdir(exist_ok=True)
    (path / "comparison.json").write_text(json.dumps(document))
    (path / "scenarios.json").write_text(json.dumps(scenarios))


# --- timing the lists -----------------------------------------------------------------------------------------------


def setup_django():
    import django

    django.setup()
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1")  # the throwaway site's only allowed host


def median_ms(client, url, repeat):
    for _ in range(2):
        response = client.get(url)  # warm-up
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def list_urls():
    """The shared lists, as (label, url); the category is the shipped 'government' one, the sitemap section the
    largest (concepts)."""
    from explainer.models import Category

    category = Category.objects.filter(slug="government").first() or Category.objects.order_by("pk").first()
    return [
        ("home page", "/"),
        ("category page", category.get_absolute_url()),
        ("sitemap index", "/sitemap.xml"),
        ("sitemap section page", "/sitemap-concepts.xml"),
        ("Atom feed", "/feeds/comparisons.atom"),
        ("search, found", "/search/?q=alliance"),
        ("search, nothing found", "/search/?q=alliences"),
    ]


def pages(repeat=REPEAT):
    client = setup_django()
    from explainer.models import Comparison

    return {
        "comparisons": Comparison.objects.published().count(),
        "ms": {label: median_ms(client, url, repeat) for label, url in list_urls()},
    }


# --- the hit rate ---------------------------------------------------------------------------------------------------


def edits():
    """One edit to one comparison each (name, function): what an editor does every day."""
    from explainer.models import Cell, Comparison, Scenario

    def target():
        return Comparison.objects.get(slug="gen-comparison-500")

    def title():
        comparison = target()
        comparison.title += " (edited)"
        comparison.save()

    def cell():
        cell = Cell.objects.filter(attribute__comparison=target()).first()
        cell.text = "An edited cell."
        cell.save()

    def scenario():
        scenario = Scenario.objects.filter(comparison=target()).first()
        scenario.text += " Edited."
        scenario.save()

    def concept():
        shared = target().ordered_concepts[0]
        shared.definition = "An edited definition of a concept two comparisons share."
        shared.save()

    return [("its title", title), ("a cell", cell), ("a scenario", scenario), ("a concept it shares", concept)]


def hitrate():
    client = setup_django()
    from explainer import caching
    from explainer.models import Comparison

    urls = {c.pk: c.get_absolute_url() for c in Comparison.objects.published().only("pk", "slug")}
    counts = {"hit": 0, "miss": 0}
    real_get = caching.cache_get

    def counting_get(key):
        entry = real_get(key)
        counts["hit" if entry is not None else "miss"] += 1
        return entry

    caching.cache_get = counting_get
    for url in urls.values():
        client.get(url)  # fill
    results = []
    for label, edit in edits():
        for url in urls.values():  # everything cached again before each edit
            client.get(url)
        edited = Comparison.objects.get(slug="gen-comparison-500")
        edit()
        counts.update(hit=0, miss=0)
        for pk, url in urls.items():
            if pk != edited.pk:
                client.get(url)
        others = counts["hit"] + counts["miss"]
        results.append(
            {"edit": label, "others": others, "hits": counts["hit"], "rate": round(counts["hit"] / others, 4)}
        )
    return {"comparisons": len(urls), "edits": results}


# --- the driver (bench/run.py) --------------------------------------------------------------------------------------


def run(env, tmpdir, count, log):
    """The whole scale phase on the database `env` names (fresh); returns the figures."""
    from bench import server

    manage = [server.PYTHON, "manage.py"]
    scale = [server.PYTHON, "-m", "bench.scale"]
    cold = {**env, "CACHE_URL": "dummy://"}

    def timed(args, timeout=900):
        started = time.monotonic()
        done = subprocess.run(
            args, cwd=server.ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
        return round(time.monotonic() - started, 1), done

    def json_of(args, what, run_env):
        out = server.run_checked(args, run_env, what, timeout=900)
        return json.loads(out.strip().splitlines()[-1])

    log("  migrate, load_content (the 7 shipped comparisons), collectstatic ...")
    server.prepare_site(env, lambda message: None)
    log("  timing the shared lists at 7 comparisons ...")
    small = json_of([*scale, "pages"], "bench/scale.py pages", cold)
    folder = Path(tmpdir) / "content-1000"
    log(f"  writing {count} comparisons' content files ...")
    server.run_checked([*scale, "generate", str(folder), str(count)], env, "bench/scale.py generate", timeout=600)
    log(f"  load_content --dir (all {count}) ...")
    load_s, done = timed([*manage, "load_content", "--dir", str(folder), "-v", "0"])
    if done.returncode != 0:
        raise server.HarnessError(f"load_content failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    log("  check_content ...")
    check_s, done = timed([*manage, "check_content"])
    findings = done.stderr.strip().splitlines()[-1:] if done.returncode else []
    log(f"  timing the shared lists at {count} comparisons ...")
    large = json_of([*scale, "pages"], "bench/scale.py pages", cold)
    log("  hit rate of the other comparisons' cached pages after one edit ...")
    hits = json_of([*scale, "hitrate"], "bench/scale.py hitrate", {**env, "CACHE_URL": "locmem://"})
    return {
        "count": large["comparisons"],
        "small_count": small["comparisons"],
        "ms_small": small["ms"],
        "ms_large": large["ms"],
        "load_content_s": load_s,
        "check_content_s": check_s,
        "check_content_findings": findings,
        "hitrate": hits,
    }


def main(argv):
    if argv[:1] == ["generate"]:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
        import django

        django.setup()
        generate(argv[1], int(argv[2]))
        return 0
    if argv[:1] == ["pages"]:
        result = pages()
    elif argv[:1] == ["hitrate"]:
        result = hitrate()
    else:
        print(__doc__)
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


def standalone(argv=None):
    """The scale phase alone: python -c 'from bench.scale import standalone; standalone()' [sqlite|postgresql] [N]."""
    import tempfile

    from bench import server

    argv = sys.argv[1:] if argv is None else argv
    db, count = (argv or ["sqlite"])[0], int(argv[1]) if len(argv) > 1 else 1000
    tmpdir = tempfile.mkdtemp(prefix="explainer-scale-")
    try:
        if db == "postgresql":
            with server.ThrowawayPostgres(tmpdir) as pg:
                result = run(server.production_env(tmpdir, server.new_secret_key(), pg.url), tmpdir, count, print)
        else:
            result = run(server.production_env(tmpdir, server.new_secret_key()), tmpdir, count, print)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    print(json.dumps(result, indent=1))
