"""The reader's site: home, search, feeds, sitemap, robots, canonical and social tags, structured data."""

import json
import re
from pathlib import Path

import pytest
from django.db import connection
from django.utils.timezone import now

from explainer.models import Comparison
from explainer.search import MAX_QUERY_LENGTH
from tests import factories
from tests.html import dangerous_markup, main_of
from tests.queries import postgresql_only

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def library(db):
    international = factories.make_category(name="International relations", slug="international-relations", position=1)
    civics = factories.make_category(name="Civics", slug="civics", position=2)
    alliance = factories.make_concept(name="Alliance", slug="alliance", definition="A lasting pact between states.")
    coalition = factories.make_concept(name="Coalition", slug="coalition", definition="A group formed for one goal.")
    first = factories.make_comparison(
        concepts=[alliance, coalition],
        category=international,
        title="Alliance vs. Coalition",
        slug="alliance-vs-coalition",
    )
    lobbying = factories.make_concept(name="Lobbying", slug="lobbying", definition="Pressing officials on a bill.")
    advocacy = factories.make_concept(name="Advocacy", slug="advocacy", definition="Building support for a cause.")
    second = factories.make_comparison(
        concepts=[lobbying, advocacy], category=civics, title="Lobbying vs. Advocacy", slug="lobbying-vs-advocacy"
    )
    factories.make_example(alliance, name="NATO", slug="nato", summary="The North Atlantic alliance, founded 1949.")
    hidden = factories.make_concept(name="Secretive", slug="secretive", definition="Hidden draft concept.")
    factories.make_comparison(concepts=[hidden, factories.make_concept()], published=False, title="Hidden draft")
    return {"first": first, "second": second}


def test_home_groups_comparisons_by_category_and_has_a_search_box(client, library):
    page = client.get("/").text
    assert page.index("International relations") < page.index("Civics")
    assert page.index("Lobbying vs. Advocacy", page.index('id="comparisons-heading"')) > page.index("Civics")
    assert 'role="search"' in page and 'name="q"' in page


def test_the_home_page_search_box_comes_before_the_list(client, library):
    page = main_of(client.get("/").text)
    assert page.index('role="search"') < page.index("Start here") < page.index('id="comparisons-heading"')


def search(client, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return response.text


def test_search_finds_a_comparison_a_concept_and_an_example(client, library):
    page = search(client, "alliance")
    assert 'id="results-comparisons"' in page and 'id="results-concepts"' in page and 'id="results-examples"' in page
    assert 'href="/compare/alliance-vs-coalition/"' in page
    assert 'href="/concepts/alliance/"' in page
    assert 'href="/concepts/alliance/#example-nato"' in page


def test_search_marks_the_matched_words(client, library):
    page = search(client, "lasting pact")
    assert re.search(r"<mark>lasting</mark>", page, re.IGNORECASE)
    assert re.search(r"<mark>pact</mark>", page, re.IGNORECASE)


def test_search_never_shows_drafts(client, library):
    page = search(client, "secretive hidden")
    assert "Hidden draft" not in page and "Secretive" not in page
    assert "Nothing matches" in page


def test_an_empty_search_invites_a_query(client, library):
    page = search(client, "   ")
    assert "Search the comparisons" in page


def test_a_very_long_search_is_cut_and_said_so(client, library):
    page = search(client, "alliance " * 2000)
    assert f"first {MAX_QUERY_LENGTH} characters" in page
    assert "Alliance vs. Coalition" in page


@pytest.mark.parametrize("q", ["<script>alert(1)</script>", "%", "_", "'\"", "\\", "a' OR 1=1 --", "\x00", "ünïcödé ✓"])
def test_odd_queries_are_safe(client, library, q):
    page = search(client, q)
    main = main_of(page)
    main = re.sub(r'<form class="search-form"[^>]*>', "", main)
    assert dangerous_markup(main) == []


def test_search_finds_a_comparison_by_a_word_of_its_title_on_either_database(library):
    from explainer.search import search as run_search

    assert [hit.title for hit in run_search("coalition")["comparisons"]] == ["Alliance vs. Coalition"]
    assert run_search("zeppelin")["comparisons"] == []


def test_search_finds_a_plural_by_its_stem_on_either_database(library):
    from explainer.search import search as run_search

    results = run_search("alliances")  # a plural: only stemming finds "alliance"
    assert [hit.title for hit in results["comparisons"]] == ["Alliance vs. Coalition"]


@pytest.mark.parametrize(
    "q",
    [
        "difference between alliance and coalition",
        "What's the difference between an alliance and a coalition?",
        "alliance vs coalition",
        "alliance vs. coalition",
        "alliance versus coalition",
        "alliance and coalition",
        "coalition or alliance",
    ],
)
def test_a_question_about_two_concepts_finds_their_comparison_on_either_database(library, q):
    from explainer.search import search as run_search

    assert [hit.title for hit in run_search(q)["comparisons"]] == ["Alliance vs. Coalition"]


def test_a_word_finds_the_words_that_share_its_root_on_either_database(library):
    from explainer.search import search as run_search

    union = factories.make_concept(name="Confederation", slug="confederation", definition="A confederation is a union.")
    factories.make_comparison(concepts=[union, factories.make_concept()], title="Federation vs. Confederation")
    results = run_search("confederacy")
    assert [hit.title for hit in results["comparisons"]] == ["Federation vs. Confederation"]
    assert [hit.title for hit in results["concepts"]] == ["Confederation"]
    assert "a <mark>confederation</mark> is" in str(results["concepts"][0].snippet).lower()


def test_a_comparison_with_some_of_the_words_is_found_when_none_has_all(client, library):
    unlike = "A pact the Senate approves, unlike an executive order."
    treaty = factories.make_concept(name="Treaty", slug="treaty", definition=unlike)
    agreement = factories.make_concept(name="Executive agreement", slug="executive-agreement")
    factories.make_comparison(concepts=[treaty, agreement], title="Treaty vs. Executive Agreement", slug="treaties")
    page = main_of(search(client, "treaty vs executive order"))
    assert '<a href="/compare/treaties/">Treaty vs. Executive Agreement</a><p' in page
    assert "None has every word; these have some of them." in page


def test_a_search_that_finds_every_word_nowhere_shows_what_has_some(client, library):
    page = main_of(search(client, "lasting zeppelin"))
    assert "Nothing has every word of “lasting zeppelin”: these have some of them" in page
    assert 'href="/concepts/alliance/"' in page
    assert "Nothing matches" not in page


def test_a_question_with_misspelt_concepts_suggests_them_spelt_as_the_site_does(client, library):
    page = search(client, "difference between allaince and coalitoin")
    assert 'Did you mean <a href="/search/?q=alliance%20coalition">alliance coalition</a>?' in page


def test_framing_words_alone_are_searched_as_typed(library):
    from explainer.search import terms_of

    assert terms_of("difference between coup and revolution") == ["coup", "revolution"]
    assert terms_of("treaty vs. executive order") == ["treaty", "executive", "order"]
    assert terms_of("the difference") == ["the", "difference"]


def test_the_trigram_migration_runs_both_ways_and_touches_only_postgresql(db):
    from contextlib import nullcontext
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.test.utils import CaptureQueriesContext

    operation = import_module("explainer.migrations.0014_search_trigram").Migration.operations[0]
    later = import_module("explainer.migrations.0016_search_indexes")  # its trigram indexes need the extension
    postgres = connection.vendor == "postgresql"
    # SQLite's schema editor cannot open inside the test's transaction; the operation only reads its connection.
    editing = connection.schema_editor() if postgres else nullcontext(SimpleNamespace(connection=connection))
    with CaptureQueriesContext(connection) as queries, editing as editor:
        later.remove_indexes(apps, editor)  # as migrating back to 0014 does first
        operation.database_backwards("explainer", editor, None, None)
        operation.database_forwards("explainer", editor, None, None)
        later.add_indexes(apps, editor)
    if postgres:
        sql = " ".join(q["sql"] for q in queries)
        assert "DROP EXTENSION" in sql and "CREATE EXTENSION" in sql
    else:
        assert len(queries) == 0


def test_the_search_index_migration_runs_both_ways_and_touches_only_postgresql(db):
    from contextlib import nullcontext
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.test.utils import CaptureQueriesContext

    migration = import_module("explainer.migrations.0016_search_indexes")
    postgres = connection.vendor == "postgresql"
    editing = connection.schema_editor() if postgres else nullcontext(SimpleNamespace(connection=connection))
    with CaptureQueriesContext(connection) as queries, editing as editor:
        migration.remove_indexes(apps, editor)
        migration.add_indexes(apps, editor)
    if postgres:
        sql = [q["sql"] for q in queries]
        assert sum("DROP INDEX" in q for q in sql) == sum("CREATE INDEX" in q for q in sql) == len(migration.INDEXES)
    else:
        assert len(queries) == 0


def plan_without_full_scans(queryset):
    """The plan of `queryset` when the planner may read no table whole (no sequential scan, no scan of a whole
    index): it shows which indexes serve its conditions. On tables as small as a test's, reading them whole
    would be the cheaper plan."""
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        try:
            return queryset.explain()
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_indexscan")


def test_the_search_reads_its_gin_indexes_on_postgresql(library):
    """The indexes of migration 0016 hold exactly what the search asks for, so the planner can use them."""
    from explainer import search

    if connection.vendor != "postgresql":
        # SQLite searches without them: migration 0016 made none there.
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%%_trgm'")
            assert cursor.fetchall() == []
        return
    for name, model in [("comparisons", "comparison"), ("concepts", "concept"), ("examples", "example")]:
        assert f"explainer_{model}_search" in plan_without_full_scans(search.matches(name, "alliance"))
        # A long word, searched by its stem or its root ("confede:*"), any of several words: the same index.
        loose = search.matches(name, "confederacy treaty", any_word=True)
        assert f"explainer_{model}_search" in plan_without_full_scans(loose)
    assert "explainer_comparison_title_trgm" in plan_without_full_scans(search.spelt_like("comparisons", "x"))
    concepts = plan_without_full_scans(search.spelt_like("concepts", "alliences"))
    assert "explainer_concept_name_trgm" in concepts and "explainer_concept_synonyms_trgm" in concepts
    assert "explainer_example_name_trgm" in plan_without_full_scans(search.spelt_like("examples", "nato"))


def test_a_concept_in_two_published_comparisons_is_found_once_naming_both(library):
    from explainer.search import search as run_search
    from explainer.search import similar

    alliance = library["first"].ordered_concepts[0]
    later = factories.make_comparison(concepts=[alliance, factories.make_concept()], title="Alliance vs. Treaty")
    factories.make_comparison(concepts=[alliance, factories.make_concept()], published=False, title="Alliance draft")
    results = run_search("alliance")
    assert [hit.title for hit in results["concepts"]] == ["Alliance"]
    assert [c.title for c in results["concepts"][0].comparisons] == ["Alliance vs. Coalition", later.title]
    assert [hit.title for hit in results["examples"]] == ["NATO"]
    assert [c.title for c in results["examples"][0].comparisons] == ["Alliance vs. Coalition", later.title]
    if connection.vendor == "postgresql":
        assert [hit.title for hit in similar("alliences")["concepts"]] == ["Alliance"]


def test_close_spellings_find_a_concept_by_a_synonym_on_postgresql_only(library):
    from explainer.models import Concept
    from explainer.search import similar

    Concept.objects.filter(slug="lobbying").update(synonyms="petitioning, canvassing")
    found = [hit.title for hit in similar("petitoning")["concepts"]]
    # Close spellings need pg_trgm: SQLite finds nothing close (and says so by an empty group).
    assert found == (["Lobbying"] if connection.vendor == "postgresql" else [])


def sitemap_pages(client):
    """Every page the sitemap index at /sitemap.xml names, joined (sections, and their further pages)."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    locations = re.findall(r"<loc>http://testserver(/[^<]+)</loc>", index.text)
    assert locations
    pages = [client.get(location.replace("&amp;", "&")) for location in locations]
    assert all(page.status_code == 200 for page in pages)
    return "".join(page.text for page in pages)


def test_the_sitemap_lists_published_pages_only(client, library):
    xml = sitemap_pages(client)
    assert "/compare/alliance-vs-coalition/" in xml and "/compare/lobbying-vs-advocacy/" in xml
    assert "/concepts/alliance/" in xml and "/categories/civics/" in xml
    assert "hidden-draft" not in xml and "/concepts/secretive/" not in xml


def test_the_sitemap_lists_every_published_comparison_and_concept_once(client, db):
    from explainer.feeds import SITEMAP_PAGE_SIZE
    from explainer.models import Concept

    category, hidden_category = factories.make_category(), factories.make_category()
    shared = factories.make_concept()
    published = [factories.make_comparison(category=category, attributes=1) for _ in range(SITEMAP_PAGE_SIZE // 2)]
    published += [factories.make_comparison(concepts=[shared, factories.make_concept()], attributes=1) for _ in "ab"]
    draft = factories.make_comparison(concepts=[shared, factories.make_concept()], published=False, attributes=1)
    draft_only = draft.ordered_concepts[1]
    factories.make_comparison(category=hidden_category, published=False, attributes=1)
    xml = sitemap_pages(client)  # more than one page of concepts
    for comparison in published:
        assert xml.count(f"/compare/{comparison.slug}/</loc>") == 1
    concepts = Concept.objects.filter(comparisons__in=published).distinct()
    assert xml.count("/concepts/") == concepts.count()
    for concept in concepts:
        assert xml.count(f"/concepts/{concept.slug}/</loc>") == 1
    assert f"/concepts/{draft_only.slug}/" not in xml and f"/compare/{draft.slug}/" not in xml
    assert xml.count(f"/categories/{category.slug}/</loc>") == 1 and f"/categories/{hidden_category.slug}/" not in xml


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland", "America/Los_Angeles"])
def test_a_sitemap_gives_each_date_as_the_date_filter_would(settings, zone):
    import datetime

    from django.template import engines
    from django.utils import timezone

    settings.TIME_ZONE = zone
    django_date = engines["django"].from_string('{{ value|date:"Y-m-d" }}')
    ours = engines["django"].from_string("{% load explainer_tags %}{{ value|sitemap_date }}")
    for value in [
        datetime.datetime(2024, 3, 9, 23, 30, tzinfo=datetime.UTC),
        datetime.datetime(2024, 3, 10, 0, 30, tzinfo=datetime.UTC),
        datetime.datetime(2024, 3, 10, 12, 0),  # naive
        datetime.date(2024, 3, 10),
    ]:
        with timezone.override(zone):  # the request's active time zone
            assert ours.render({"value": value}) == django_date.render({"value": value})


def test_a_sitemap_section_page_names_each_address_with_its_date_and_weight(client, comparison):
    xml = client.get("/sitemap-comparisons.xml").text
    day = comparison.updated_at.date().isoformat()
    url = f"<url><loc>http://testserver/compare/{comparison.slug}/</loc><lastmod>{day}</lastmod>"
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert url + "<changefreq>monthly</changefreq><priority>0.8</priority></url>" in xml


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_off_forms_and_searches(client, db):
    text = client.get("/robots.txt").text
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /compare/*/report/" in text and "Disallow: /search/" in text
    assert "quiz" not in text  # quizzes are learning resources worth finding


def test_pages_have_a_canonical_link_and_social_cards(client, library):
    page = client.get("/compare/alliance-vs-coalition/?utm_source=x").text
    assert '<link rel="canonical" href="http://testserver/compare/alliance-vs-coalition/">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:title" content="Alliance vs. Coalition">' in page
    assert '<meta name="twitter:card" content="summary">' in page


def json_ld(page):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def test_comparisons_carry_article_structured_data(client, library):
    data = json_ld(client.get("/compare/alliance-vs-coalition/").text)
    assert data["@type"] == "Article" and data["headline"] == "Alliance vs. Coalition"
    assert [thing["name"] for thing in data["about"]] == ["Alliance", "Coalition"]


def test_quizzes_carry_quiz_structured_data(client, library):
    factories.make_scenario(library["first"])
    data = json_ld(client.get("/compare/alliance-vs-coalition/quiz/").text)
    assert data["@type"] == "Quiz" and data["learningResourceType"] == "Quiz"


def test_structured_data_cannot_be_broken_out_of(client, library):
    library["first"].lede = "</script><script>alert(1)</script>"
    library["first"].save()
    page = client.get("/compare/alliance-vs-coalition/").text
    assert json_ld(page)["description"] == "</script><script>alert(1)</script>"
    assert "<script>alert(1)" not in page


def test_the_atom_feed_lists_new_and_updated_comparisons(client, library):
    response = client.get("/feeds/comparisons.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "<title>Alliance vs. Coalition</title>" in response.text
    assert "<updated>" in response.text and "Hidden draft" not in response.text


def test_pages_link_the_feed(client, library):
    assert 'type="application/atom+xml"' in client.get("/").text


def test_the_stylesheet_has_print_and_dark_rules():
    scss = (ROOT / "static" / "scss" / "_components.scss").read_text()
    assert "@media print" in scss and ".site-header" in scss[scss.index("@media print") :]
    css = (ROOT / "static" / "build" / "site.css").read_text()
    assert "prefers-color-scheme:dark" in css.replace(" ", "")
    assert "@media print" in css


def test_a_three_concept_comparison_shows_three_columns_each_in_its_tone(client, db):
    comparison = factories.make_comparison(concepts=3, attributes=4)
    page = client.get(comparison.get_absolute_url()).text
    table = page[page.index('<table class="table comparison-table">') : page.index("</table>")]
    assert table.count('<th scope="col"') == 4  # the attribute column and three concepts
    for tone in (1, 2, 3):
        assert table.count(f'<th scope="col" class="tone-{tone}">') == 1
        assert table.count(f'<td class="tone-{tone}">') == 4
    # No sideways scrolling box any more: on a phone each row becomes a card (see the browser tests).
    assert "table-scroll" not in page


def test_a_host_we_do_not_serve_gets_a_400_page_with_framing_refused(client, db):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("url", ["/sitemap.xml", "/feeds/comparisons.atom", "/robots.txt"])
def test_machine_readable_lists_use_site_url_whatever_the_host(client, library, settings, url):
    settings.SITE_URL = "https://explainer.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    text = client.get(url, HTTP_HOST="localhost:6666").content.decode()
    assert "https://explainer.example.org/" in text
    assert "localhost" not in text


def test_no_feed_entry_was_updated_before_it_was_published(client, shipped_content):
    feed = client.get("/feeds/comparisons.atom").content.decode()
    entries = re.findall(r"<entry>.*?</entry>", feed, re.S)
    assert entries
    for entry in entries:
        published = re.search(r"<published>(.*?)</published>", entry).group(1)
        updated = re.search(r"<updated>(.*?)</updated>", entry).group(1)
        assert published <= updated, entry[:200]


def test_publishing_moves_updated_at_too(db):
    comparison = factories.make_comparison(published=False)
    comparison.status = Comparison.Status.PUBLISHED
    comparison.save(update_fields=["status", "published_at"])
    comparison.refresh_from_db()
    assert comparison.updated_at >= comparison.published_at


def test_concept_and_example_hits_name_the_comparisons_they_belong_to(client, library):
    page = search(client, "nato")
    hit = page[page.index('id="results-examples"') :]
    assert 'In: <a href="/compare/alliance-vs-coalition/">Alliance vs. Coalition</a>' in hit
    assert "Hidden draft" not in page


def test_a_misspelt_search_suggests_the_sites_own_spelling(client, library):
    page = search(client, "alliences")
    assert 'Did you mean <a href="/search/?q=alliance">alliance</a>?' in page
    assert "Hidden draft" not in page
    if connection.vendor == "postgresql":
        # pg_trgm: the close spellings are shown straight away.
        assert "Nothing is spelt exactly “alliences”: these come close." in page
        hits = page[page.index('id="results-comparisons"') :]
        assert 'href="/compare/alliance-vs-coalition/"' in hits
    else:
        # SQLite: nothing found, so every comparison is listed to start from.
        assert "Nothing matches" in page
        assert '<li><a href="/compare/lobbying-vs-advocacy/">Lobbying vs. Advocacy</a></li>' in page


@postgresql_only
def test_close_spellings_are_found(library):
    from explainer.search import similar

    results = similar("alliences")
    assert [hit.title for hit in results["comparisons"]] == ["Alliance vs. Coalition"]
    assert [hit.title for hit in results["concepts"]] == ["Alliance"]


@postgresql_only
def test_close_spellings_leave_out_unrelated_words_and_drafts(library):
    from explainer.search import similar

    assert all(hits == [] for hits in similar("zeppelin").values())
    assert all(hit.title != "Secretive" for hit in similar("secretiv")["concepts"])
    assert all(hit.title != "Hidden draft" for hit in similar("hiden draft")["comparisons"])
    # Left out because they are drafts: published, the same spellings find them.
    Comparison.objects.filter(title="Hidden draft").update(status=Comparison.Status.PUBLISHED, published_at=now())
    assert "Secretive" in [hit.title for hit in similar("secretiv")["concepts"]]
    assert "Hidden draft" in [hit.title for hit in similar("hiden draft")["comparisons"]]


@postgresql_only
def test_the_trigram_extension_is_enabled(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)


def test_no_suggestion_for_words_the_site_does_not_know_anything_like(client, library):
    page = search(client, "zeppelin")
    assert "Nothing matches" in page and "Did you mean" not in page


# Lists that grow with the site are split into pages


def test_the_sitemap_index_names_a_second_page_when_a_section_outgrows_one(client, db):
    from explainer.feeds import SITEMAP_PAGE_SIZE

    category = factories.make_category()
    for _ in range(SITEMAP_PAGE_SIZE // 2 + 1):  # two new concepts each: more concepts than one page holds
        factories.make_comparison(category=category, attributes=1)
    index = client.get("/sitemap.xml").text
    assert "/sitemap-concepts.xml?p=2</loc>" in index and "/sitemap-concepts.xml?p=3" not in index
    second = client.get("/sitemap-concepts.xml?p=2").text
    assert second.count("<url>") == 2 * (SITEMAP_PAGE_SIZE // 2 + 1) - SITEMAP_PAGE_SIZE


def test_the_home_page_lists_comparisons_a_page_at_a_time(client, db):
    from explainer.views import PAGE_SIZE

    category = factories.make_category()
    # One more than the flagship card and a full page of cards.
    titles = sorted(factories.make_comparison(category=category, attributes=1).title for _ in range(PAGE_SIZE + 2))
    first = client.get("/").text
    assert titles[0] in first and 'href="?page=2"' in first and 'aria-current="page">1<' in first
    second = client.get("/?page=2").text
    assert titles[-1] in second and 'rel="prev"' in second


def test_a_category_page_lists_its_comparisons_a_page_at_a_time(client, db):
    from explainer.views import PAGE_SIZE

    category = factories.make_category()
    titles = sorted(factories.make_comparison(category=category, attributes=1).title for _ in range(PAGE_SIZE + 1))
    first = client.get(category.get_absolute_url()).text
    assert titles[0] in first and titles[-1] not in first
    assert titles[-1] in client.get(category.get_absolute_url() + "?page=2").text


def test_a_small_site_shows_no_page_links(client, comparison):
    assert "Pages of this list" not in client.get("/").text


@pytest.mark.parametrize("page", ["2", "0", "abc", "99999999999999999999"])
def test_a_page_of_a_list_that_does_not_exist_is_a_404(client, comparison, page):
    assert client.get(f"/?page={page}").status_code == 404
    assert client.get(f"{comparison.category.get_absolute_url()}?page={page}").status_code == 404


def test_a_search_that_finds_nothing_lists_the_first_page_of_comparisons_and_links_to_all(client, db):
    from explainer.views import PAGE_SIZE

    for _ in range(PAGE_SIZE + 1):
        factories.make_comparison(attributes=1)
    page = client.get("/search/?q=zzzqqq").text
    assert page.count('<li><a href="/compare/') == PAGE_SIZE
    assert "See all comparisons" in page
