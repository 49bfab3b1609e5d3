"""LTI 1.3 against a real platform implementation (tests/lti_platform.py, on lti1p3platform): login, launch,
the round, the score sent back, deep linking, and the launches that must be refused."""

import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from explainer.models import LtiAttempt, LtiLaunchState, Response
from tests.lti_helpers import answer, attempt_of, launch, login, policy
from tests.lti_platform import tamper_signature


@pytest.fixture
def linked(lti_platform, lti_quiz):
    """The platform's course has link-1 to the quiz, 4 questions (as deep linking makes it)."""
    lti_platform.links["link-1"] = {"comparison": lti_quiz.slug, "questions": "4"}
    return lti_platform


def nothing_stored():
    return LtiAttempt.objects.count() == 0 and Response.objects.count() == 0


# Login and launch


def test_login_first_shows_the_cookie_check_page_with_a_new_tab_link(client, lti_platform):
    response = client.get(reverse("lti_login"), lti_platform.login_params("learner-7", "link:link-1"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Open the quiz in a new tab" in page
    assert 'target="_blank"' in page and "lti1p3_new_window=1" in page


def test_login_pages_may_be_framed_by_the_registered_platform_only(client, lti_platform):
    response = client.get(reverse("lti_login"), lti_platform.login_params("learner-7", "link:link-1"))
    assert policy(response)["frame-ancestors"] == lti_platform.url
    assert "X-Frame-Options" not in response


def test_the_rest_of_the_site_still_refuses_frames(client, lti_platform, lti_quiz):
    response = client.get(lti_quiz.get_absolute_url())
    assert policy(response)["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_login_for_an_unregistered_platform_is_refused(client, lti_platform):
    params = lti_platform.login_params("learner-7", "link:link-1") | {
        "iss": "https://unknown.example",
        "lti1p3_new_window": "1",
    }
    response = client.get(reverse("lti_login"), params)
    assert response.status_code == 403
    assert "not registered" in response.content.decode()


def test_a_launch_opens_a_round_of_the_linked_quiz(client, linked, lti_quiz):
    response = launch(client, linked)
    assert response.status_code == 302
    attempt = attempt_of(response)
    assert attempt.comparison == lti_quiz
    assert len(attempt.items) == 4
    assert client.get(response["Location"]).status_code == 200


def test_the_learner_is_known_only_by_the_platforms_opaque_id(client, linked):
    attempt = attempt_of(launch(client, linked))
    assert (attempt.subject, attempt.name, attempt.email) == ("learner-7", "", "")
    assert attempt.platform.issuer == linked.issuer


def test_no_copy_of_the_launch_keeps_the_name_the_platform_sent(client, linked):
    launch(client, linked)
    kept = json.dumps(list(LtiLaunchState.objects.values_list("value", flat=True)))
    assert "Ada Learner" not in kept and "ada@example.org" not in kept
    assert LtiAttempt.objects.filter(name="", email="").count() == 1


def test_name_and_email_are_kept_when_the_setting_allows(client, linked, settings):
    settings.LTI_KEEP_NAMES = True
    attempt = attempt_of(launch(client, linked))
    assert (attempt.name, attempt.email) == ("Ada Learner", "ada@example.org")


def test_a_launch_needs_nothing_of_the_logins_process_but_the_database(client, linked):
    """A login and its launch may reach different workers: the state and nonce are in the database, not a cache."""
    auth = login(client, linked, "link:link-1")
    cache.clear()  # what another worker's local-memory cache would hold: nothing
    form = linked.authorize(auth)
    response = client.post(reverse("lti_launch"), {"id_token": form["id_token"], "state": form["state"]})
    assert response.status_code == 302


def test_a_second_launch_returns_to_the_same_round(client, linked):
    first = attempt_of(launch(client, linked))
    answer(client, first)
    second = attempt_of(launch(client, linked))
    assert second.pk == first.pk
    assert second.position == 1


def test_another_learner_gets_a_round_of_their_own(client, linked):
    first = attempt_of(launch(client, linked))
    other = attempt_of(launch(Client(), linked, user="learner-8"))
    assert other.pk != first.pk and other.access_key != first.access_key


def test_a_link_to_no_quiz_is_refused_with_nothing_stored(client, lti_platform):
    lti_platform.links["link-1"] = {"comparison": "no-such-comparison"}
    response = launch(client, lti_platform)
    assert response.status_code == 404
    assert "names no quiz" in response.content.decode()
    assert nothing_stored()


# The round and the score


def play_to_the_end(client, attempt, right):
    for is_right in right:
        answer(client, attempt, right=is_right)


def test_finishing_the_round_sends_the_score_to_the_platform(client, linked):
    attempt = attempt_of(launch(client, linked))
    play_to_the_end(client, attempt, [True, True, False, True])
    [score] = linked.scores
    assert score["scoreGiven"] == 3 and score["scoreMaximum"] == 4
    assert score["activityProgress"] == "Completed" and score["gradingProgress"] == "FullyGraded"
    assert score["userId"] == "learner-7"
    assert score["lineitem"] == "link-1"


def test_no_score_is_sent_before_the_last_answer(client, linked):
    attempt = attempt_of(launch(client, linked))
    play_to_the_end(client, attempt, [True, True, True])
    assert linked.scores == []


def test_the_learner_sees_that_the_score_was_sent(client, linked):
    attempt = attempt_of(launch(client, linked))
    play_to_the_end(client, attempt, [True] * 4)
    page = client.get(reverse("lti_play", args=[attempt.access_key])).content.decode()
    assert "Your score has been sent to your course." in page
    assert "You got 4 of 4 right" in page


def test_a_score_the_platform_did_not_take_is_sent_on_the_next_page(client, linked):
    attempt = attempt_of(launch(client, linked))
    linked.refuse_tokens = True
    play_to_the_end(client, attempt, [True] * 4)
    page = client.get(reverse("lti_play", args=[attempt.access_key])).content.decode()
    assert linked.scores == []
    assert "could not be sent to your course yet" in page
    linked.refuse_tokens = False
    page = client.get(reverse("lti_play", args=[attempt.access_key])).content.decode()
    assert [s["scoreGiven"] for s in linked.scores] == [4]
    assert "Your score has been sent to your course." in page


def test_the_round_takes_answers_without_any_cookie(linked):
    """Inside the platform's iframe the browser may send no cookie: the key in the address is enough."""
    attempt = attempt_of(launch(Client(), linked))
    cookieless = Client(enforce_csrf_checks=True)
    answer(cookieless, attempt)
    assert Response.objects.filter(round_id=attempt.round_id).count() == 1


def test_an_unknown_round_key_is_not_found(client, db):
    assert client.get(reverse("lti_play", args=["not-a-key"])).status_code == 404


# Tampered launches: refused with a clear page, nothing stored


def post_launch(client, form, **changes):
    fields = {"id_token": form["id_token"], "state": form["state"], **changes}
    return client.post(reverse("lti_launch"), fields)


def test_a_launch_with_a_bad_signature_is_refused(client, linked):
    form = linked.authorize(login(client, linked, "link:link-1"))
    response = post_launch(client, form, id_token=tamper_signature(form["id_token"]))
    assert response.status_code == 403
    assert "signature does not match" in response.content.decode()
    assert nothing_stored()


def test_a_launch_for_another_audience_is_refused(client, linked):
    auth = login(client, linked, "link:link-1")
    linked.tamper = {"claims": {"aud": "another-tool", "azp": "another-tool"}}
    response = post_launch(client, linked.authorize(auth))
    assert response.status_code == 403
    assert "not registered on this site" in response.content.decode()
    assert nothing_stored()


def test_a_replayed_launch_is_refused(client, linked):
    form = linked.authorize(login(client, linked, "link:link-1"))
    assert post_launch(client, form).status_code == 302
    response = post_launch(client, form)
    assert response.status_code == 403
    assert "already used" in response.content.decode()
    assert LtiAttempt.objects.count() == 1


def test_an_expired_launch_is_refused(client, linked):
    auth = login(client, linked, "link:link-1")
    linked.tamper = {"expires_in": -120}
    response = post_launch(client, linked.authorize(auth))
    assert response.status_code == 403
    assert "expired" in response.content.decode()
    assert nothing_stored()


def test_a_launch_for_an_unknown_deployment_is_refused(client, linked):
    auth = login(client, linked, "link:link-1")
    linked.tamper = {"claims": {"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "deployment-9"}}
    response = post_launch(client, linked.authorize(auth))
    assert response.status_code == 403
    assert "deployment" in response.content.decode()
    assert nothing_stored()


def test_a_launch_without_its_login_state_is_refused(linked):
    form = linked.authorize(login(Client(), linked, "link:link-1"))
    response = post_launch(Client(), form)  # another browser: no state cookie
    assert response.status_code == 403
    assert "Open in a new tab" in response.content.decode()
    assert nothing_stored()


def test_a_launch_with_an_overlong_user_id_is_refused(client, linked):
    auth = login(client, linked, "link:link-1", user="x" * 300)
    response = post_launch(client, linked.authorize(auth))
    assert response.status_code == 400
    assert nothing_stored()


def test_a_launch_as_a_get_is_refused(client, db):
    assert client.get(reverse("lti_launch")).status_code == 405


def test_over_https_the_login_state_cookies_are_samesite_none_and_secure(client, lti_platform):
    """Inside the platform's iframe only SameSite=None; Secure cookies reach the launch (docs/teachers.md)."""
    params = lti_platform.login_params("learner-7", "link:link-1") | {"lti1p3_new_window": "1"}
    response = client.get(reverse("lti_login"), params, secure=True)
    assert response.status_code == 302
    lti_cookies = [cookie for name, cookie in response.cookies.items() if name.startswith("lti1p3-")]
    assert {name.split("-")[1] for name in response.cookies if name.startswith("lti1p3-")} == {"state", "session"}
    assert all(cookie["samesite"] == "None" and cookie["secure"] and cookie["httponly"] for cookie in lti_cookies)
