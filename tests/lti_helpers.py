"""Helpers for the LTI tests: a launch from the test platform (tests/lti_platform.py) through the tool's pages."""

import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

from django.urls import reverse

from explainer.models import LtiAttempt, Scenario


def login(client, platform, hint, user="learner-7"):
    """The login initiation, the cookie check page's "continue" link, and the tool's redirect to the platform.

    Returns the query the tool sent to the platform's authorization endpoint.
    """
    page = client.get(reverse("lti_login"), platform.login_params(user, hint))
    assert page.status_code == 200, page.status_code
    continue_url = unescape(re.search(r'href="([^"]+)" data-lti-continue', page.content.decode()).group(1))
    redirect = client.get(continue_url)
    assert redirect.status_code == 302, (redirect.status_code, redirect.content[:500])
    assert redirect["Location"].startswith(platform.url + "/auth?")
    return dict(parse_qsl(urlsplit(redirect["Location"]).query))


def launch(client, platform, hint="link:link-1", user="learner-7"):
    """A whole launch: login, the platform's signed id_token, posted to the tool. Returns the tool's response."""
    form = platform.authorize(login(client, platform, hint, user))
    return client.post(urlsplit(form["launch_url"]).path, {"id_token": form["id_token"], "state": form["state"]})


def attempt_of(response):
    key = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    return LtiAttempt.objects.get(access_key=key)


def answer(client, attempt, right=True):
    """Answer the attempt's current question (rightly or not) and go on to the next one."""
    attempt.refresh_from_db()
    scenario = Scenario.objects.get(pk=attempt.current)
    concepts = attempt.comparison.ordered_concepts
    chosen = scenario.correct_concept if right else next(c for c in concepts if c.pk != scenario.correct_concept_id)
    response = client.post(
        reverse("lti_answer", args=[attempt.access_key]), {"scenario": scenario.pk, "choice": chosen.pk}
    )
    assert response.status_code == 302, response.status_code
    response = client.post(reverse("lti_next", args=[attempt.access_key]), {"position": attempt.position})
    assert response.status_code == 302, response.status_code


def policy(response):
    """The response's Content-Security-Policy as {directive: its sources}."""
    parts = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}
