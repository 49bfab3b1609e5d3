"""Accounts and learners: signing in merges the browser's learner into the account's; a one-time link
joins another browser to a learner without an account (explainer/accounts/merging.py, handoff.py)."""

import re
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from explainer.accounts import handoff
from explainer.models import ContinueLink, Learner, Response, ReviewCard
from explainer.quiz import review
from tests import factories
from tests.test_accounts import PASSWORD, make_learner_account, sign_up, signed_in_as

pytestmark = pytest.mark.django_db


def answered(learner, scenario, correct):
    """`learner` answered `scenario` (a missed case gets its review card), as the quiz records it."""
    chosen = scenario.correct_concept if correct else scenario.comparison.ordered_concepts[1]
    Response.objects.create(
        round_id=uuid.uuid4(), scenario=scenario, chosen=chosen, is_correct=correct, learner=learner
    )
    review.record(learner, scenario.pk, correct)


def sign_in(client, email="bea@example.org"):
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return response


@pytest.fixture
def scenarios(comparison):
    return [factories.make_scenario(comparison) for _ in range(3)]


# Signing in merges


def test_signing_in_gives_an_account_without_records_the_browsers_learner(client, scenarios):
    browser = factories.make_learner(client)
    answered(browser, scenarios[0], correct=False)
    user = make_learner_account()
    sign_in(client)
    browser.refresh_from_db()
    assert browser.user == user
    assert factories.learner_of(client) == browser


def test_signing_in_merges_the_browsers_answers_and_cards_into_the_accounts(client, scenarios):
    user = make_learner_account()
    own = Learner.objects.create(user=user)
    answered(own, scenarios[0], correct=False)
    browser = factories.make_learner(client)
    answered(browser, scenarios[1], correct=False)
    answered(browser, scenarios[2], correct=True)
    sign_in(client)
    assert factories.learner_of(client) == own
    assert Response.objects.filter(learner=own).count() == 3
    assert set(ReviewCard.objects.filter(learner=own).values_list("scenario_id", flat=True)) == {
        scenarios[0].pk,
        scenarios[1].pk,
    }
    assert not Learner.objects.filter(pk=browser.pk).exists()


def test_a_case_both_missed_keeps_its_latest_review_after_signing_in(client, scenarios):
    user = make_learner_account()
    own = Learner.objects.create(user=user)
    long_ago = timezone.now() - timedelta(days=30)
    review.record(own, scenarios[0].pk, correct=False, at=long_ago)
    browser = factories.make_learner(client)
    review.record(browser, scenarios[0].pk, correct=False)
    latest = ReviewCard.objects.get(learner=browser).last_review
    sign_in(client)
    (card,) = ReviewCard.objects.filter(learner=own)
    assert card.last_review == latest


def test_signing_up_takes_the_browsers_records_into_the_new_account(client, mailbox, scenarios):
    browser = factories.make_learner(client)
    answered(browser, scenarios[0], correct=False)
    sign_up(client, mailbox, email="new@example.org")
    browser.refresh_from_db()
    assert browser.user.email == "new@example.org"
    assert factories.learner_of(client) == browser


def test_signing_up_before_answering_makes_the_accounts_learner_at_once(client, mailbox):
    sign_up(client, mailbox, email="new@example.org")
    learner = factories.learner_of(client)
    assert learner is not None and learner.user.email == "new@example.org"


def test_signing_in_with_a_code_merges_too(client, mailbox, scenarios):
    user = make_learner_account()
    own = Learner.objects.create(user=user)
    browser = factories.make_learner(client)
    answered(browser, scenarios[0], correct=False)
    client.post(reverse("account_request_login_code"), {"email": "bea@example.org"})
    client.post(reverse("account_confirm_login_code"), {"code": mailbox.code(mailbox.wait_for(1)[0])})
    assert signed_in_as(client) == user
    assert ReviewCard.objects.filter(learner=own).count() == 1


def test_signing_in_leaves_another_accounts_learner_alone(client, scenarios):
    other = make_learner_account(email="other@example.org")
    theirs = factories.make_learner(client, user=other)
    answered(theirs, scenarios[0], correct=False)
    user = make_learner_account()
    sign_in(client)
    assert Response.objects.filter(learner=theirs).count() == 1
    mine = factories.learner_of(client)
    assert mine.user == user and mine != theirs


def test_signing_out_makes_the_browser_forget_the_accounts_learner(client, scenarios):
    make_learner_account()
    factories.make_learner(client)
    sign_in(client)
    assert factories.learner_of(client) is not None
    client.post(reverse("account_logout"))
    assert factories.learner_of(client) is None


def test_an_admin_log_in_merges_nothing(client, scenarios):
    browser = factories.make_learner(client)
    staff = factories.make_user(staff=True, username="editor", password="the-right-password")
    client.post(reverse("admin:login"), {"username": "editor", "password": "the-right-password"})
    browser.refresh_from_db()
    assert browser.user is None and not Learner.objects.filter(user=staff).exists()


# Continuing on another device


def make_link(client):
    """POST /continue/ in `client`'s browser; the link's address, as the page shows it."""
    response = client.post(reverse("continue_start"))
    assert response.status_code == 200, response.text
    return re.search(r'id="continue-link" type="text" value="([^"]+)"', response.text).group(1)


def path_of(url):
    return url.removeprefix("http://testserver")


def test_a_link_page_shows_the_link_its_qr_code_and_its_end(client):
    factories.make_learner(client)
    response = client.post(reverse("continue_start"))
    page = response.text
    assert re.search(r'value="http://testserver/continue/[A-Za-z0-9_-]{43}/"', page)
    assert re.search(r'<svg [^>]*class="qr-code"', page)
    assert "within 15 minutes" in page
    assert response["Cache-Control"].startswith("max-age=0") and "no-store" in response["Cache-Control"]


def test_only_a_hash_of_the_link_is_stored(client):
    factories.make_learner(client)
    secret = path_of(make_link(client)).split("/")[2]
    (link,) = ContinueLink.objects.all()
    assert secret not in link.secret_hash and len(link.secret_hash) == 64


def test_opening_the_link_asks_before_it_is_used(client):
    factories.make_learner(client)
    url = path_of(make_link(client))
    other = Client()
    page = other.get(url).text
    assert "Continue here" in page and "<form" in page
    assert ContinueLink.objects.get().used_at is None


def test_the_link_joins_a_second_browser_to_the_same_learner(client):
    learner = factories.make_learner(client)
    url = path_of(make_link(client))
    other = Client()
    other.get(url)
    response = other.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("continue_joined")
    assert factories.learner_of(other) == learner


def test_the_second_browsers_own_answers_join_the_learner(client, scenarios):
    learner = factories.make_learner(client)
    url = path_of(make_link(client))
    other = Client()
    theirs = factories.make_learner(other)
    answered(theirs, scenarios[0], correct=False)
    other.post(url)
    assert factories.learner_of(other) == learner
    assert ReviewCard.objects.filter(learner=learner).count() == 1
    assert not Learner.objects.filter(pk=theirs.pk).exists()


def test_a_used_link_is_refused_with_410(client):
    factories.make_learner(client)
    url = path_of(make_link(client))
    Client().post(url)
    third = Client()
    for response in (third.get(url), third.post(url)):
        assert response.status_code == 410
        assert "This link has been used already" in response.text
    assert factories.learner_of(third) is None


def test_an_expired_link_is_refused_with_410(client):
    factories.make_learner(client)
    url = path_of(make_link(client))
    ContinueLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    other = Client()
    response = other.post(url)
    assert response.status_code == 410 and "This link has expired" in response.text
    assert factories.learner_of(other) is None


def test_a_link_lives_fifteen_minutes(client):
    learner = factories.make_learner(client)
    made = timezone.now()
    secret = handoff.make_link(learner, now=made)
    assert ContinueLink.objects.get().expires_at == made + timedelta(minutes=15)
    assert handoff.check(secret) is handoff.Refusal.OK


@pytest.mark.parametrize(
    "secret",
    ["A" * 43, "short", "A" * 44, "%00" * 15, "é" * 43],
    ids=["unknown", "too-short", "too-long", "nul", "not-ascii"],
)
def test_a_tampered_or_unknown_link_is_refused_with_404(client, secret):
    for response in (client.get(f"/continue/{secret}/"), client.post(f"/continue/{secret}/")):
        assert response.status_code == 404
        assert "This link does not work" in response.text


def test_a_link_with_one_character_changed_does_not_work(client):
    factories.make_learner(client)
    url = path_of(make_link(client))
    secret = url.split("/")[2]
    changed = ("B" if secret[0] != "B" else "C") + secret[1:]
    assert Client().post(f"/continue/{changed}/").status_code == 404
    assert ContinueLink.objects.get().used_at is None


def test_two_browsers_racing_for_one_link_cannot_both_win(client):
    learner = factories.make_learner(client)
    secret = handoff.make_link(learner)
    assert handoff.redeem(secret) == learner
    with pytest.raises(handoff.LinkRefused) as refusal:
        handoff.redeem(secret)
    assert refusal.value.reason is handoff.Refusal.USED


def test_a_browser_with_nothing_answered_is_told_there_is_nothing_to_carry(client):
    page = client.get(reverse("continue_start")).text
    assert "nothing to carry over yet" in page
    response = client.post(reverse("continue_start"))
    assert "Make a link" not in response.text and not ContinueLink.objects.exists()


def test_a_signed_in_learner_is_told_to_sign_in_on_the_other_device(client):
    make_learner_account()
    sign_in(client)
    client.post(reverse("continue_start"))
    assert not ContinueLink.objects.exists()
    assert "sign in on the other device too" in client.get(reverse("continue_start")).text


def test_a_signed_in_browser_cannot_use_a_link(client):
    factories.make_learner(client)
    url = path_of(make_link(client))
    other = Client()
    make_learner_account()
    sign_in(other)
    mine = factories.learner_of(other)
    response = other.post(url)
    assert response.status_code == 409 and "You are signed in here" in response.text
    assert factories.learner_of(other) == mine and ContinueLink.objects.get().used_at is None


def test_making_links_is_limited_per_visitor(client):
    factories.make_learner(client)
    for _ in range(10):
        make_link(client)
    response = client.post(reverse("continue_start"))
    assert response.status_code == 429 and "Too many links for now" in response.text


def test_making_a_link_clears_the_learners_dead_ones(client):
    learner = factories.make_learner(client)
    handoff.make_link(learner, now=timezone.now() - timedelta(hours=1))
    used = handoff.make_link(learner, now=timezone.now() - timedelta(days=2))
    ContinueLink.objects.filter(secret_hash=handoff._hash(used)).update(used_at=timezone.now() - timedelta(days=2))
    handoff.make_link(learner)
    assert ContinueLink.objects.count() == 1


def test_the_link_pages_answer_other_methods_with_405(client):
    assert client.put(reverse("continue_start")).status_code == 405
    assert client.delete(f"/continue/{'A' * 43}/").status_code == 405


def test_the_account_page_leads_to_the_learners_progress_and_data(client):
    make_learner_account()
    sign_in(client)
    page = client.get(reverse("account_home")).text
    assert f'href="{reverse("progress")}"' in page and f'href="{reverse("my_data")}"' in page
