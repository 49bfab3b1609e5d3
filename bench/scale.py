"""A site of 1,000 comparisons: `make bench` (bench/run.py --comparisons 1000) runs it after the load test.

On its own throwaway database (SQLite, or a throwaway PostgreSQL), in this order:

1. migrate and load the shipped content (7 comparisons), then time the shared
   lists, uncached: home, a category page, the sitemap (its index and its
   largest section page), the Atom feed, a search that finds something and
   one that finds nothing;
2. add generated comparisons up to 1,000 with bulk inserts (`populate`: 9
   rows, 30 scenarios, 3 similarities, 2 differences each, an example per
   concept; concepts shared in pairs, as "alliance" is shared by two shipped
   comparisons; then ANALYZE on PostgreSQL, as autovacuum would), then time
   `load_content` (the shipped content, as every deployment runs it) and
   `check_content` (all 1,000) on that site;
3. time the same lists again at 1,000 comparisons;
4. the hit rate: with an in-process page cache (locmem), request every
   comparison's page once to fill it, make one edit to one comparison (its
   title, a cell, a scenario, one of its concepts: each in turn), and request
   every other comparison's page again: the share served from the cache.

Timings are medians of `--repeat` requests through Django's test client with
the production settings (bench/settings.py) and the cache off (dummy://), so
each one renders. Prints one JSON object (the last line of output).

    python -m bench.scale populate COUNT        adds generated comparisons (bulk inserts) up to COUNT
    python -m bench.scale pages                 times the lists on DATABASE_URL (JSON)
    python -m bench.scale hitrate               fills the cache, edits, measures (JSON)
"""

import itertools
import json
import shutil
import statistics
import subprocess
import sys
import time

ROWS, SCENARIOS, SHARED_BY = 9, 30, 2
REPEAT = 15


# --- a site of 1,000 comparisons ---------------------------------------------------------------------------------


def populate(count):
    """Add generated published comparisons to the database (bulk inserts) until it holds `count`.

    Each has 9 rows, 2 concepts (comparison n compares generated ideas n and
    n+1, so each concept is shared by two comparisons), 18 cells, 3
    similarities, 2 key differences, an example per concept, 30 scenarios with
    a cue each, and a related comparison (the previous one). Bulk inserts send
    no signals: every version is raised once at the end (bump_generation). On
    PostgreSQL it ends with ANALYZE, as a live site's autovacuum would.
    """
    from django.db import connection, transaction
    from django.utils import timezone

    from explainer import caching
    from explainer import models as m

    n_new = count - m.Comparison.objects.count()
    now = timezone.now()
    with transaction.atomic():
        categories = m.Category.objects.bulk_create(
            [m.Category(name=f"Generated category {k}", slug=f"gen-category-{k}", position=50 + k) for k in range(12)]
        )
        concepts = m.Concept.objects.bulk_create(
            [
                m.Concept(
                    name=f"Generated idea {k}",
                    slug=f"gen-concept-{k}",
                    definition=f"The generated idea number {k}, defined in one plain sentence.",
                    description=f"A **generated** idea, number {k}, with a *short* description in Markdown.",
                )
                for k in range(n_new + 1)
            ]
        )
        comparisons = m.Comparison.objects.bulk_create(
            [
                m.Comparison(
                    title=f"Generated idea {n} vs. Generated idea {n + 1}",
                    slug=f"gen-comparison-{n}",
                    lede=f"Generated comparison {n}: how two neighbouring generated ideas differ.",
                    intro=f"An *introduction* to generated comparison {n}, in **Markdown**.",
                    blur_note="Some cases sit **between** the two ideas.",
                    category=categories[n % len(categories)],
                    status=m.Comparison.Status.PUBLISHED,
                    published_at=now,
                )
                for n in range(n_new)
            ]
        )
        pairs = [(comparison, concepts[n], concepts[n + 1]) for n, comparison in enumerate(comparisons)]
        m.ComparisonConcept.objects.bulk_create(
            [
                m.ComparisonConcept(comparison=c, concept=concept, position=i)
                for c, *two in pairs
                for i, concept in enumerate(two)
            ]
        )
        attributes = m.Attribute.objects.bulk_create(
            [
                m.Attribute(comparison=c, name=f"Row {r}", slug=f"row-{r}", question=f"What about row {r}?", position=r)
                for c, *_ in pairs
                for r in range(ROWS)
            ]
        )
        rows = {}
        for attribute in attributes:
            rows.setdefault(attribute.comparison_id, []).append(attribute)
        m.Cell.objects.bulk_create(
            [
                m.Cell(attribute=attribute, concept=concept, text=f"{concept.name} on {attribute.name}: a sentence.")
                for c, *two in pairs
                for attribute in rows[c.pk]
                for concept in two
            ]
        )
        m.Point.objects.bulk_create(
            [
                m.Point(comparison=c, kind=m.Point.Kind.SIMILARITY, title=f"Shared point {k}", text="Both.", position=k)
                for c, *_ in pairs
                for k in range(3)
            ]
            + [
                m.Point(
                    comparison=c,
                    kind=m.Point.Kind.DIFFERENCE,
                    attribute=rows[c.pk][k],
                    title=f"Difference on row {k}",
                    text="They differ here.",
                    position=k,
                )
                for c, *_ in pairs
                for k in range(2)
            ]
        )
        m.Example.objects.bulk_create(
            [
                m.Example(
                    concept=concept,
                    name=f"Example of {concept.name}",
                    slug=f"gen-example-{concept.pk}",
                    kind=m.Example.Kind.POLITICAL,
                    start_year=1900 + k % 100,
                    summary="Two or three plain sentences about the example.",
                    source_url=f"https://example.org/generated/{concept.pk}",
                )
                for k, concept in enumerate(concepts)
            ]
        )
        scenarios = m.Scenario.objects.bulk_create(
            [
                m.Scenario(
                    comparison=c,
                    slug=f"case-{s}",
                    text=f"Case {s}: a group of parties acts together under terms number {s} of comparison {c.pk}.",
                    correct_concept=two[s % 2],
                    explanation=f"Row {s % ROWS} decides it (row {s % ROWS}).",
                    against_type=s % 3 == 0,
                )
                for c, *two in pairs
                for s in range(SCENARIOS)
            ]
        )
        m.Scenario.cues.through.objects.bulk_create(
            [
                m.Scenario.cues.through(
                    scenario_id=scenario.pk,
                    attribute_id=rows[scenario.comparison_id][int(scenario.slug.split("-")[1]) % ROWS].pk,
                )
                for scenario in scenarios
            ]
        )
        m.Comparison.related.through.objects.bulk_create(
            [
                m.Comparison.related.through(from_comparison_id=a.pk, to_comparison_id=b.pk)
                for a, b in itertools.pairwise(comparisons)
            ]
            + [
                m.Comparison.related.through(from_comparison_id=b.pk, to_comparison_id=a.pk)
                for a, b in itertools.pairwise(comparisons)
            ]
        )
        caching.bump_generation()  # bulk inserts send no signals
    if connection.vendor == "postgresql":
        # As PostgreSQL's manual says to after a bulk load, and as autovacuum does on a live site within a minute
        # of such a change: without statistics the planner takes "published" for a rare status (1 row in 200),
        # and the lists would be timed on plans no live site of 1,000 runs (search 110 ms instead of 20).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return m.Comparison.objects.published().count()


# --- timing the lists -----------------------------------------------------------------------------------------------


def setup_django():
    import django

    django.setup()
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1")  # the throwaway site's only allowed host


def median_ms(client, url, repeat):
    """The median time of GET `url` in ms, or None when it does not answer 200 (a page this version lacks)."""
    for _ in range(2):
        response = client.get(url)  # warm-up
        if response.status_code != 200:
            return None
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
    from django.core.cache import cache

    from explainer import caching
    from explainer.models import Comparison

    # Room for every page, as a Redis or memcached of a real site has (locmem keeps 300 by default).
    cache._max_entries = 100_000
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
    edited = Comparison.objects.get(slug="gen-comparison-500")
    for label, edit in edits():
        # Every page is cached here: filled above, and each pass below stores what it missed.
        edit()
        counts.update(hit=0, miss=0)
        for pk, url in urls.items():
            if pk != edited.pk:
                client.get(url)
        others = counts["hit"] + counts["miss"]
        client.get(urls[edited.pk])  # and the edited one again, for the next edit
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
    log(f"  adding generated comparisons up to {count} (bulk inserts) ...")
    server.run_checked([*scale, "populate", str(count)], env, "bench/scale.py populate", timeout=600)
    log(f"  load_content (the shipped content again, on a site of {count}) ...")
    load_s, done = timed([*manage, "load_content", "-v", "0"])
    if done.returncode != 0:
        raise server.HarnessError(f"load_content failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    log(f"  check_content (all {count}) ...")
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
    if argv[:1] == ["populate"]:
        import django

        django.setup()
        result = {"comparisons": populate(int(argv[1]))}
    elif argv[:1] == ["pages"]:
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
