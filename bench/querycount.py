"""Query count of each page at two content sizes, with Django's test utilities: `python -m bench.querycount`.

Runs in its own process with the test settings (tests.settings) and a test
database from DiscoverRunner.setup_databases. For each size it builds a
published comparison with that many attributes (rows) and 8 scenarios per
concept with tests/factories.py, then counts the queries of one request to
each page through Django's test client. The cache is off (CACHE_URL=dummy://),
so every page is rendered and every query counted. The quiz pages are
counted as a learner meets them: the question on a round that already exists
(the first visit, which creates the round, is counted apart), the feedback
after an answer, the summary after the last one. A first, uncounted pass
takes the process's one-time queries out of the figures.

Prints one JSON object: {"8": {"comparison page": n, ...}, "40": {...}}.
"""

import json
import os
import sys
from html.parser import HTMLParser

SIZES = (8, 40)


class Inputs(HTMLParser):
    """The name and value of every <input> on a page, in order."""

    def __init__(self, html):
        super().__init__()
        self.inputs = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            attrs = dict(attrs)
            if attrs.get("name"):
                self.inputs.append((attrs["name"], attrs.get("value") or ""))

    def first(self, name):
        return next((value for key, value in self.inputs if key == name), None)


def count_pages(comparison):
    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from explainer.learners import identity
    from explainer.models import Learner

    client = Client()
    # A learner already known (issue 25): their rounds are kept from the first quiz page on. A stranger's
    # first answer, which makes the learner, costs more once: it is not the steady state measured here.
    known = HttpResponse()
    identity.set_cookie(known, Learner.objects.create().public_id)
    client.cookies[identity.LEARNER_COOKIE] = known.cookies[identity.LEARNER_COOKIE].value
    slug = comparison.slug
    counts = {}

    def request(label, method, url, data=None, expect=(200,)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url) if method == "get" else client.post(url, data)
        if response.status_code not in expect:
            raise RuntimeError(f"{label}: {method.upper()} {url} answered {response.status_code}, expected {expect}")
        if label:
            counts[label] = len(queries)
        return response

    quiz_url = reverse("quiz", args=[slug])
    request("comparison page", "get", reverse("comparison_detail", args=[slug]))
    request("quiz, first visit (new round)", "get", quiz_url)
    page = request("quiz question", "get", quiz_url)
    for step in range(40):  # bounded: a round has 10 questions, each a question and a feedback step
        inputs = Inputs(page.content.decode())
        scenario, choice = inputs.first("scenario"), inputs.first("choice")
        if scenario is None or choice is None:
            raise RuntimeError("the quiz page has no answer form (inputs scenario, choice)")
        label = "answer POST" if step == 0 else None
        request(label, "post", reverse("quiz_respond", args=[slug]), {"scenario": scenario, "choice": choice}, (302,))
        page = request("quiz feedback" if step == 0 else None, "get", quiz_url)
        position = Inputs(page.content.decode()).first("position")
        if position is None:
            raise RuntimeError("the feedback page has no 'Next' form (input position)")
        done = request(None, "post", reverse("quiz_next", args=[slug]), {"position": position}, (302,))
        if done.url.rstrip("/").endswith("summary"):
            break
        page = request(None, "get", quiz_url)
    else:
        raise RuntimeError("the round did not end within 40 answers")
    request("quiz summary", "get", reverse("quiz_summary", args=[slug]))
    return counts


def make_comparison(factories, attributes):
    """A published comparison with `attributes` rows, 8 scenarios per concept, points and examples."""
    comparison = factories.make_quiz_comparison(attributes=attributes, per_concept=8)
    for _ in range(3):
        factories.add_similarity(comparison)
    for attribute in list(comparison.attributes.all())[:3]:
        factories.add_difference(comparison, attribute)
    for concept in comparison.ordered_concepts:
        factories.make_example(concept)
    return comparison


def main():
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ["CACHE_URL"] = "dummy://"  # every request renders: its queries are the page's own
    os.environ.pop("DEBUG", None)
    import django

    django.setup()
    from django.test.runner import DiscoverRunner

    from tests import factories

    runner = DiscoverRunner(verbosity=0, interactive=False)
    runner.setup_test_environment()
    old_config = runner.setup_databases()
    try:
        # One uncounted pass first: a process's first queries include one-time
        # work (Django probes SQLite's JSON support once), which no page pays
        # on a warm server.
        count_pages(make_comparison(factories, 3))
        result = {str(size): count_pages(make_comparison(factories, size)) for size in SIZES}
    finally:
        runner.teardown_databases(old_config)
        runner.teardown_test_environment()
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
