"""The page cache: served warm, invalidated by every content change, revalidated with 304s."""

import gzip

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from explainer import page_content
from explainer.models import Category, Cell, Concept, Example, Point, Scenario
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    comparison = factories.make_quiz_comparison(per_concept=2)
    concept = comparison.ordered_concepts[0]
    example = factories.make_example(concept, name="Original example")
    similarity = factories.add_similarity(comparison, title="Original similarity")
    difference = factories.add_difference(comparison, comparison.attributes.first(), title="Original difference")
    return {
        "comparison": comparison,
        "concept": concept,
        "example": example,
        "similarity": similarity,
        "difference": difference,
    }


def pages_showing(site):
    comparison, concept = site["comparison"], site["concept"]
    return {
        "home": "/",
        "comparison": comparison.get_absolute_url(),
        "concept": concept.get_absolute_url(),
        "category": comparison.category.get_absolute_url(),
    }


def warm(client, urls):
    for url in urls:
        assert client.get(url).status_code == 200


def test_a_warm_page_needs_one_query_and_is_identical(client, site):
    url = site["comparison"].get_absolute_url()
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert len(queries) == 1  # the content generation
    assert second.content == first.content


def edit_and_expect(client, site, change, text, pages):
    urls = pages_showing(site)
    warm(client, urls.values())
    change()
    for name in pages:
        assert text in client.get(urls[name]).text, f"{name} page still shows the old content"


def test_editing_a_comparison_shows_everywhere(client, site):
    def change():
        site["comparison"].title = "Renamed comparison"
        site["comparison"].save()

    edit_and_expect(client, site, change, "Renamed comparison", ["home", "comparison", "category", "concept"])


# Each edit: which object (from the site fixture), which field, the new text, the pages that must show it.
EDITS = {
    "concept": (
        lambda site: Concept.objects.get(pk=site["concept"].pk),
        "definition",
        "A freshly edited definition.",
        ["comparison", "concept"],
    ),
    "cell": (
        lambda site: Cell.objects.filter(attribute__comparison=site["comparison"]).first(),
        "text",
        "A freshly edited cell.",
        ["comparison"],
    ),
    "attribute": (lambda site: site["comparison"].attributes.first(), "name", "Freshly renamed row", ["comparison"]),
    "example": (
        lambda site: Example.objects.get(pk=site["example"].pk),
        "name",
        "Freshly edited example",
        ["comparison", "concept"],
    ),
    "point": (
        lambda site: Point.objects.get(pk=site["similarity"].pk),
        "title",
        "Freshly edited similarity",
        ["comparison"],
    ),
}


@pytest.mark.parametrize("edited", EDITS)
def test_editing_content_shows_on_every_page_that_shows_it(client, site, edited):
    get, field, text, pages = EDITS[edited]

    def change():
        obj = get(site)
        setattr(obj, field, text)
        obj.save()

    edit_and_expect(client, site, change, text, pages)


def test_deleting_an_example_shows_on_the_next_request(client, site):
    urls = pages_showing(site)
    warm(client, urls.values())
    Example.objects.get(pk=site["example"].pk).delete()
    assert "Original example" not in client.get(urls["comparison"]).text
    assert "Original example" not in client.get(urls["concept"]).text


def test_adding_a_related_comparison_shows_on_the_next_request(client, site):
    urls = pages_showing(site)
    warm(client, urls.values())
    other = factories.make_comparison(title="A newly related comparison")
    site["comparison"].related.add(other)
    assert "A newly related comparison" in client.get(urls["comparison"]).text


def test_renaming_a_category_shows_on_the_next_request(client, site):
    urls = pages_showing(site)
    warm(client, urls.values())
    category = Category.objects.get(pk=site["comparison"].category_id)
    category.name = "Freshly renamed category"
    category.save()
    for name in ["home", "comparison", "category"]:
        assert "Freshly renamed category" in client.get(urls[name]).text


def test_unpublishing_hides_the_page_on_the_next_request(client, site):
    url = site["comparison"].get_absolute_url()
    assert client.get(url).status_code == 200
    site["comparison"].status = "draft"
    site["comparison"].save()
    assert client.get(url).status_code == 404
    assert site["comparison"].title not in client.get("/").text


# Dependency keys: an edit re-renders the pages that show it, and leaves every other page cached.


@pytest.fixture
def neighbours(db):
    """Three published comparisons; the first two share a concept ("Shared idea"), the third shares nothing."""
    shared = factories.make_concept(name="Shared idea")
    first = factories.make_comparison(concepts=[shared, factories.make_concept()], title="First comparison")
    second = factories.make_comparison(concepts=[shared, factories.make_concept()], title="Second comparison")
    third = factories.make_comparison(title="Third comparison")
    return {"shared": shared, "first": first, "second": second, "third": third}


def renders(client, url):
    """Whether GET `url` missed the page cache (and rendered the page) rather than served it from the cache."""
    from unittest import mock

    from explainer import caching

    looked_up = []
    real_get = caching.cache_get

    def spy(key):
        entry = real_get(key)
        looked_up.append(entry)
        return entry

    with mock.patch.object(caching, "cache_get", spy):
        assert client.get(url).status_code == 200
    assert len(looked_up) == 1
    return looked_up[0] is None


def test_a_concept_shared_by_two_comparisons_changes_both_pages_and_no_other(client, neighbours):
    urls = {name: neighbours[name].get_absolute_url() for name in ("first", "second", "third")}
    warm(client, urls.values())
    shared = Concept.objects.get(pk=neighbours["shared"].pk)
    shared.definition = "A freshly edited shared definition."
    shared.save()
    assert "A freshly edited shared definition." in client.get(urls["first"]).text
    assert "A freshly edited shared definition." in client.get(urls["second"]).text
    assert not renders(client, urls["third"])


def test_an_example_of_a_shared_concept_changes_both_pages_and_no_other(client, neighbours):
    urls = {name: neighbours[name].get_absolute_url() for name in ("first", "second", "third")}
    warm(client, urls.values())
    factories.make_example(neighbours["shared"], name="A brand-new shared example")
    assert "A brand-new shared example" in client.get(urls["first"]).text
    assert "A brand-new shared example" in client.get(urls["second"]).text
    assert not renders(client, urls["third"])


def test_editing_a_cell_leaves_the_other_comparisons_pages_cached(client, neighbours):
    urls = [neighbours[name].get_absolute_url() for name in ("first", "second", "third")]
    warm(client, urls)
    cell = Cell.objects.filter(attribute__comparison=neighbours["first"]).first()
    cell.text = "Only the first comparison changed."
    cell.save()
    assert "Only the first comparison changed." in client.get(urls[0]).text
    assert not renders(client, urls[1])
    assert not renders(client, urls[2])


def test_an_edit_re_renders_the_lists_of_the_whole_site(client, neighbours):
    warm(client, ["/", neighbours["third"].category.get_absolute_url()])
    neighbours["first"].lede = "A lede the home page shows."
    neighbours["first"].save()
    assert renders(client, "/")
    assert renders(client, neighbours["third"].category.get_absolute_url())


def test_a_concept_page_changes_when_a_comparison_it_is_part_of_is_renamed(client, neighbours):
    url = neighbours["shared"].get_absolute_url()
    warm(client, [url])
    neighbours["second"].title = "Second comparison, renamed"
    neighbours["second"].save()
    assert "Second comparison, renamed" in client.get(url).text


def test_renaming_a_comparison_changes_the_pages_that_list_it_as_related(client, neighbours):
    neighbours["first"].related.add(neighbours["third"])
    url = neighbours["first"].get_absolute_url()
    warm(client, [url])
    neighbours["third"].title = "Third comparison, renamed"
    neighbours["third"].save()
    assert "Third comparison, renamed" in client.get(url).text


def test_clearing_related_comparisons_changes_both_pages(client, neighbours):
    neighbours["first"].related.add(neighbours["third"])
    urls = [neighbours["first"].get_absolute_url(), neighbours["third"].get_absolute_url()]
    warm(client, urls)
    neighbours["first"].related.clear()
    for url in urls:
        assert "More comparisons are on the way." in client.get(url).text


def test_deleting_a_related_comparison_changes_the_page_that_listed_it(client, neighbours):
    neighbours["first"].related.add(neighbours["third"])
    url = neighbours["first"].get_absolute_url()
    assert "Third comparison" in client.get(url).text
    Scenario.objects.filter(comparison=neighbours["third"]).delete()
    neighbours["third"].delete()
    assert "Third comparison" not in client.get(url).text


def test_moving_a_scenario_to_another_comparison_changes_both_versions(neighbours):
    from explainer.models import ComparisonVersion

    scenario = factories.make_scenario(neighbours["first"])
    versions = dict(ComparisonVersion.objects.values_list("comparison_id", "number"))
    scenario.comparison = neighbours["second"]
    scenario.save()
    after = dict(ComparisonVersion.objects.values_list("comparison_id", "number"))
    assert after[neighbours["first"].pk] > versions[neighbours["first"].pk]
    assert after[neighbours["second"].pk] > versions[neighbours["second"].pk]
    assert after[neighbours["third"].pk] == versions[neighbours["third"].pk]


def test_a_rolled_back_edit_raises_no_version(neighbours):
    from django.db import transaction

    from explainer.models import ComparisonVersion

    before = dict(ComparisonVersion.objects.values_list("comparison_id", "number"))
    with pytest.raises(RuntimeError), transaction.atomic():
        neighbours["first"].title = "Never saved"
        neighbours["first"].save()
        raise RuntimeError("the editor's request failed")
    assert dict(ComparisonVersion.objects.values_list("comparison_id", "number")) == before


def test_a_batch_raises_each_version_once_at_its_end(neighbours):
    from explainer import caching
    from explainer.models import ComparisonVersion

    before = dict(ComparisonVersion.objects.values_list("comparison_id", "number"))
    with caching.batched():
        for attribute in neighbours["first"].attributes.all():
            attribute.name += " (edited)"
            attribute.save()
        assert dict(ComparisonVersion.objects.values_list("comparison_id", "number")) == before
    after = dict(ComparisonVersion.objects.values_list("comparison_id", "number"))
    assert after[neighbours["first"].pk] == before[neighbours["first"].pk] + 1
    assert after[neighbours["second"].pk] == before[neighbours["second"].pk]


def test_a_scenario_change_raises_the_generation(client, site):
    from explainer.caching import current_generation

    before = current_generation()
    scenario = Scenario.objects.filter(comparison=site["comparison"]).first()
    scenario.text = "Edited scenario."
    scenario.save()
    assert current_generation() > before


def test_an_answer_does_not_invalidate_the_cache(client, site):
    import uuid

    from explainer.caching import current_generation
    from explainer.models import Response

    before = current_generation()
    scenario = Scenario.objects.filter(comparison=site["comparison"]).first()
    Response.objects.create(round_id=uuid.uuid4(), scenario=scenario, chosen=scenario.correct_concept, is_correct=True)
    assert current_generation() == before


def test_unchanged_pages_answer_304_to_a_conditional_get(client, site):
    url = site["comparison"].get_absolute_url()
    first = client.get(url)
    assert "public" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_a_changed_page_answers_200_to_the_old_etag(client, site):
    url = site["comparison"].get_absolute_url()
    etag = client.get(url)["ETag"]
    site["comparison"].lede = "A new lede."
    site["comparison"].save()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "A new lede." in response.text


def test_staff_bypass_the_cache_and_see_their_draft(editor_client, site):
    draft = factories.make_comparison(published=False, title="Staff-only draft")
    assert editor_client.get(draft.get_absolute_url()).status_code == 200
    response = editor_client.get(site["comparison"].get_absolute_url())
    assert "public" not in response.get("Cache-Control", "")


def test_quiz_pages_carry_no_public_cache_header(client, site):
    slug = site["comparison"].slug
    for url in [f"/compare/{slug}/quiz/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "public" not in response["Cache-Control"]
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_html_is_compressed_for_clients_that_accept_it(client, site):
    response = client.get(site["comparison"].get_absolute_url(), headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"


def test_a_gzip_client_gets_the_precompressed_page_and_its_304(client, site):
    url = site["comparison"].get_absolute_url()
    plain = client.get(url).content
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert first["Content-Encoding"] == "gzip"
    assert gzip.decompress(first.content) == plain
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_a_new_deployment_renders_afresh_instead_of_serving_old_pages(client, site, monkeypatch):
    from explainer import caching

    url = site["comparison"].get_absolute_url()
    client.get(url)
    monkeypatch.setattr(caching, "CODE_VERSION", "next-release")
    page_content.memo.clear()  # a deployment starts new processes, with nothing read yet
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) > 1  # rendered, not served from the old release's entry


# The cache fails open, and knows its hosts

UNREACHABLE_REDIS = {
    "default": {"BACKEND": "explainer.cache_backend.GuardedRedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
}


@pytest.mark.parametrize("url", ["redis://127.0.0.1:9/0", "locmem://", "dummy://"])
def test_every_cache_url_the_readme_offers_has_its_client_installed(url):
    from django.core.cache.backends.base import BaseCache
    from django.utils.module_loading import import_string

    from config.settings import cache_from_url

    config = cache_from_url(url)
    backend = import_string(config["BACKEND"])(config.get("LOCATION", ""), {})
    assert isinstance(backend, BaseCache)
    # Building the client imports the library ("No module named 'redis'" was a 500 on every page).
    assert getattr(backend, "_cache", "no client") is not None


def test_a_cache_url_the_project_does_not_support_is_refused_at_start_up():
    from django.core.exceptions import ImproperlyConfigured

    from config.settings import cache_from_url

    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must start with locmem://, dummy:// or redis://"):
        cache_from_url("memcached://127.0.0.1:11211")


def test_pages_render_uncached_when_the_cache_is_down(client, site, settings, caplog):
    settings.CACHES = UNREACHABLE_REDIS
    for url in pages_showing(site).values():
        assert client.get(url).status_code == 200
    assert "page cache unavailable" in caplog.text


def test_health_names_the_cache_as_degraded_but_stays_up(client, db, settings):
    settings.CACHES = UNREACHABLE_REDIS
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"database ok\ncache degraded: unreachable\n"


def test_a_page_asked_for_under_another_host_never_reaches_other_visitors(client, site, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    url = site["comparison"].get_absolute_url()
    factories.add_similarity(site["comparison"])  # a content change: the next requests render anew
    client.get(url, HTTP_HOST="localhost:6666")
    page = client.get(url).text
    assert "localhost:6666" not in page
    assert 'href="http://testserver' in page


def test_staff_pages_are_private(staff_client, site):
    response = staff_client.get(site["comparison"].get_absolute_url())
    assert response["Cache-Control"] == "private, no-cache"


# The comparison page's content, read once per version (explainer/page_content.py)

DUMMY_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def test_without_a_page_cache_an_edit_still_shows_on_the_next_request(client, site, settings):
    settings.CACHES = DUMMY_CACHE
    url = site["comparison"].get_absolute_url()
    assert client.get(url).status_code == 200
    cell = Cell.objects.filter(attribute__comparison=site["comparison"]).first()
    cell.text = "Edited while nothing is cached."
    cell.save()
    assert "Edited while nothing is cached." in client.get(url).text


def test_without_a_page_cache_a_comparison_page_is_read_from_the_database_once_per_version(client, site, settings):
    settings.CACHES = DUMMY_CACHE
    url = site["comparison"].get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == 1  # the version


def test_a_draft_a_staff_member_previewed_stays_hidden_from_readers(client, editor_client, db):
    draft = factories.make_comparison(published=False, title="Previewed draft")
    assert "Previewed draft" in editor_client.get(draft.get_absolute_url()).text
    editor_client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_page_rendered_again_from_memory_is_the_same_page(client, site, settings):
    settings.CACHES = DUMMY_CACHE
    url = site["comparison"].get_absolute_url()
    first = client.get(url).text
    assert client.get(url).text == first
    assert "Original difference" in first and site["comparison"].attributes.first().name in first


def test_each_feedback_marks_its_own_deciding_rows_when_the_tables_come_from_memory(client, settings):
    import re

    settings.CACHES = DUMMY_CACHE
    comparison = factories.make_quiz_comparison(per_concept=2, attributes=4)
    rows = list(comparison.attributes.all())
    seen = set()
    for scenario in Scenario.objects.filter(comparison=comparison):
        scenario.cues.set([rows[len(seen) % len(rows)]])
        seen.add(scenario.pk)
    quiz = f"/compare/{comparison.slug}/quiz/"
    client.get(quiz)
    for _ in range(2):
        page = client.get(quiz).text
        scenario = Scenario.objects.get(pk=int(re.search(r'name="scenario" value="(\d+)"', page).group(1)))
        client.post(quiz + "answer/", {"scenario": scenario.pk, "choice": scenario.correct_concept_id})
        feedback = client.get(quiz).text
        cue = scenario.cues.get()
        assert f'<tr id="row-{cue.slug}" class="cue-row">' in feedback
        assert feedback.count('class="cue-row"') == 1  # the deciding row, marked in the whole table
        client.post(quiz + "next/", {"position": re.search(r'name="position" value="(\d+)"', feedback).group(1)})


@pytest.mark.parametrize("edited", EDITS)
def test_without_a_page_cache_every_edit_shows_on_the_comparison_page(client, site, settings, edited):
    # The page is rendered, but its parts are kept per version ({% versioned %}): an edit must make new ones.
    settings.CACHES = DUMMY_CACHE
    get, field, text, _pages = EDITS[edited]
    url = site["comparison"].get_absolute_url()
    assert text not in client.get(url).text
    obj = get(site)
    setattr(obj, field, text)
    obj.save()
    assert text in client.get(url).text


def test_a_feedback_is_kept_per_answer_and_an_edited_explanation_shows_at_once(client, settings):
    import re

    from django.test import Client

    settings.CACHES = DUMMY_CACHE
    comparison = factories.make_quiz_comparison(per_concept=2)
    quiz = f"/compare/{comparison.slug}/quiz/"
    client.get(quiz)
    scenario = Scenario.objects.get(pk=int(re.search(r'name="scenario" value="(\d+)"', client.get(quiz).text)[1]))
    wrong = comparison.concepts.exclude(pk=scenario.correct_concept_id).first()
    client.post(quiz + "answer/", {"scenario": scenario.pk, "choice": wrong.pk})
    assert "Not quite:" in client.get(quiz).text
    # Another learner, same case, the right answer: their own verdict, not the first one's.
    other = Client()
    other.get(quiz)
    # Their first answer, to this case: their round opens with it.
    other.post(quiz + "answer/", {"scenario": scenario.pk, "choice": scenario.correct_concept_id})
    right_page = other.get(quiz).text
    assert "Right:" in right_page and "Not quite:" not in right_page
    scenario.explanation = "A freshly edited explanation."
    scenario.save()
    assert "A freshly edited explanation." in client.get(quiz).text


def test_without_a_page_cache_each_host_and_address_gets_its_own_head(client, site, settings):
    # The head is kept per comparison version ({% versioned %} in base.html), and per address and host.
    settings.CACHES = DUMMY_CACHE
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    url = site["comparison"].get_absolute_url()
    client.get(url, HTTP_HOST="localhost:6666")
    assert '<link rel="canonical" href="http://testserver' in client.get(url).text
    quiz = f"{url}quiz/"
    client.get(quiz)
    assert f'<link rel="canonical" href="http://testserver{quiz}">' in client.get(quiz).text
    assert f'<link rel="canonical" href="http://testserver{url}">' in client.get(url).text
