"""LTI 1.3 set-up: deep linking from the test platform (tests/lti_platform.py), the tool's keys and their
rotation, and the platform registration in the admin with the URLs to copy."""

import datetime
import io
import json
import re
from html import unescape

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool, LtiToolKey

from explainer.lti import keys
from explainer.models import LtiAttempt, LtiPlatform, LtiRetiredKey
from tests import factories
from tests.lti_helpers import attempt_of, launch, policy


def field(page, name):
    return unescape(re.search(rf'name="{name}" value="([^"]*)"', page).group(1))


def choose(client, lti_platform, comparison, questions):
    """A deep linking launch, and the teacher's choice posted; returns the tool's page."""
    page = launch(client, lti_platform, hint="deep-link", user="teacher-1").content.decode()
    return client.post(
        reverse("lti_deep_link"),
        {"token": field(page, "token"), "comparison": comparison.slug, "questions": questions},
    )


# Deep linking


def test_a_deep_linking_launch_lists_the_published_quizzes(client, lti_platform, lti_quiz):
    factories.make_quiz_comparison(published=False, title="A draft")
    response = launch(client, lti_platform, hint="deep-link", user="teacher-1")
    page = response.content.decode()
    assert response.status_code == 200
    assert lti_quiz.title in page and "A draft" not in page
    assert 'name="questions"' in page


def test_the_choice_goes_back_to_the_platform_as_a_signed_resource_link(client, lti_platform, lti_quiz):
    response = choose(client, lti_platform, lti_quiz, 5)
    page = response.content.decode()
    assert f'action="{lti_platform.url}/deep-link-return"' in page
    [item] = lti_platform.receive_deep_link({"JWT": field(page, "JWT")})  # the platform checks the tool's signature
    assert item["type"] == "ltiResourceLink"
    assert item["url"] == "http://testserver/lti/launch/"
    assert item["custom"] == {"comparison": lti_quiz.slug, "questions": "5"}
    assert item["lineItem"]["scoreMaximum"] == 5


def test_the_choice_page_may_post_to_the_platform_only(client, lti_platform, lti_quiz):
    response = choose(client, lti_platform, lti_quiz, 5)
    assert policy(response)["form-action"] == f"'self' {lti_platform.url}"


def test_a_learner_launched_from_the_linked_item_gets_that_many_questions(client, lti_platform, lti_quiz):
    page = choose(client, lti_platform, lti_quiz, 5).content.decode()
    [item] = lti_platform.receive_deep_link({"JWT": field(page, "JWT")})
    lti_platform.links["link-9"] = item["custom"]
    attempt = attempt_of(launch(client, lti_platform, hint="link:link-9"))
    assert attempt.comparison == lti_quiz and len(attempt.items) == 5


def test_a_choice_with_an_altered_token_is_refused(client, lti_platform, lti_quiz):
    response = client.post(reverse("lti_deep_link"), {"token": "made-up", "comparison": lti_quiz.slug, "questions": 5})
    assert response.status_code == 400
    assert "expired or was altered" in response.content.decode()


def test_a_choice_of_too_many_questions_shows_the_form_again(client, lti_platform, lti_quiz):
    response = choose(client, lti_platform, lti_quiz, 500)
    assert response.status_code == 400
    assert 'name="questions"' in response.content.decode()
    assert lti_platform.content_items == []


def test_a_deep_linking_launch_stores_nothing(client, lti_platform, lti_quiz):
    launch(client, lti_platform, hint="deep-link", user="teacher-1")
    assert LtiAttempt.objects.count() == 0


# Keys


def kids(client):
    return [key["kid"] for key in client.get(reverse("lti_jwks")).json()["keys"]]


def test_the_jwks_publishes_the_current_public_key(client, db):
    key = keys.current_key()
    [published] = client.get(reverse("lti_jwks")).json()["keys"]
    assert published == json.loads(key.public_jwk)
    assert "d" not in published  # never the private part


def test_rotation_moves_every_platform_to_a_new_key(lti_platform, db):
    old = LtiTool.objects.get().tool_key
    call_command("rotate_lti_keys", stdout=io.StringIO())
    assert LtiTool.objects.get().tool_key != old
    assert keys.current_key() == LtiTool.objects.get().tool_key


def test_a_rotated_key_stays_published_for_the_grace_period(client, lti_platform):
    old_kid = json.loads(keys.current_key().public_jwk)["kid"]
    keys.rotate()
    new_kid = json.loads(keys.current_key().public_jwk)["kid"]
    assert kids(client) == [new_kid, old_kid]


def test_a_rotated_key_leaves_the_jwks_after_the_grace_period(client, lti_platform, settings):
    old = keys.current_key()
    keys.rotate()
    LtiRetiredKey.objects.filter(key=old).update(retired_at=timezone.now() - datetime.timedelta(days=8))
    assert json.loads(old.public_jwk)["kid"] not in kids(client)
    keys.rotate()  # the next rotation deletes it
    assert not LtiToolKey.objects.filter(pk=old.pk).exists()


def test_after_rotation_the_platform_verifies_the_new_signature(client, lti_platform, lti_quiz):
    keys.rotate()
    lti_platform.tool_jwks = client.get(reverse("lti_jwks")).json()  # the platform fetches the key set again
    page = choose(client, lti_platform, lti_quiz, 3).content.decode()
    assert lti_platform.receive_deep_link({"JWT": field(page, "JWT")})[0]["custom"]["questions"] == "3"


# The admin


def test_the_admin_shows_the_urls_to_copy_into_the_platform(admin_client):
    page = admin_client.get(reverse("admin:lti1p3_tool_config_ltitool_add")).content.decode()
    for name in ("lti_login", "lti_launch", "lti_jwks"):
        assert f"http://testserver{reverse(name)}" in page


def test_a_platform_registered_in_the_admin_signs_with_the_current_key(admin_client):
    data = {
        "title": "School Moodle",
        "is_active": "on",
        "issuer": "https://moodle.school.example",
        "client_id": "AbC123",
        "deployment_ids": "1\n2\n",
        "auth_login_url": "https://moodle.school.example/mod/lti/auth.php",
        "auth_token_url": "https://moodle.school.example/mod/lti/token.php",
        "key_set_url": "https://moodle.school.example/mod/lti/certs.php",
        "explainer-TOTAL_FORMS": "1",
        "explainer-INITIAL_FORMS": "0",
        "explainer-0-frame_origins": "https://moodle-cdn.school.example",
    }
    response = admin_client.post(reverse("admin:lti1p3_tool_config_ltitool_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    tool = LtiTool.objects.get()
    assert json.loads(tool.deployment_ids) == ["1", "2"]
    assert tool.tool_key == keys.current_key()
    assert tool.explainer.frame_origins == "https://moodle-cdn.school.example"


def test_a_platforms_frame_origins_may_frame_the_lti_pages(client, lti_platform):
    LtiPlatform.objects.create(
        tool=LtiTool.objects.get(), frame_origins="https://school.instructure.example\nnot a url"
    )
    response = client.get(reverse("lti_login"))
    assert policy(response)["frame-ancestors"] == f"{lti_platform.url} https://school.instructure.example"


def test_a_learners_attempt_shows_in_the_admin_read_only(admin_client, lti_platform, lti_quiz):
    lti_platform.links["link-1"] = {"comparison": lti_quiz.slug, "questions": "3"}
    attempt = attempt_of(launch(Client(), lti_platform))
    page = admin_client.get(reverse("admin:explainer_ltiattempt_change", args=[attempt.pk])).content.decode()
    assert "learner-7" in page
    assert 'name="subject"' not in page  # shown, never edited
