"""Hostile input, generated, to the learners' sign-in, sign-up and code forms and to the link to another
device (as tests/test_hostile.py does for the site's other forms): never a 5xx, never a sign-in."""

from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from explainer.models import ContinueLink, Learner
from tests import factories
from tests.test_accounts import PASSWORD, make_learner_account
from tests.test_hostile import any_text, field, form, hostile, sent  # noqa: F401 - `sent` is a fixture

pytestmark = pytest.mark.django_db


def nobody_signed_in(client):
    return "_auth_user_id" not in client.session


@given(data=st.data())
@hostile
def test_learner_sign_in(db, sent, data):  # noqa: F811
    if not get_user_model().objects.filter(email="bea@example.org").exists():
        make_learner_account()
    client = Client(enforce_csrf_checks=data.draw(st.booleans()))
    client.get("/accounts/login/")
    body = data.draw(form(login=st.one_of(field, st.just("bea@example.org")), password=field, next=field))
    response = client.post("/accounts/login/", body)
    sent.append(body)
    assert response.status_code in {200, 400, 403, 429}, response.status_code
    assert nobody_signed_in(client)


@given(data=st.data())
@hostile
def test_sign_up_and_code_forms(db, mailbox, sent, data):  # noqa: F811
    client = Client(enforce_csrf_checks=data.draw(st.booleans()))
    url = data.draw(st.sampled_from(["/accounts/signup/", "/accounts/login/code/", "/accounts/password/reset/"]))
    client.get(url)
    body = data.draw(form(email=field, password1=field))
    response = client.post(url, body)
    sent.append(body)
    assert response.status_code in {200, 302, 400, 403, 429}, response.status_code
    assert nobody_signed_in(client)


@given(data=st.data())
@hostile
def test_code_confirmation_without_a_code_request(db, sent, data):  # noqa: F811
    client = Client()
    url = data.draw(st.sampled_from(["/accounts/confirm-email/", "/accounts/login/code/confirm/"]))
    body = data.draw(form(code=field, action=field))
    response = client.post(url, body)
    sent.append(body)
    assert response.status_code in {200, 302, 400, 403, 404, 410, 429}, response.status_code
    assert nobody_signed_in(client)


@given(data=st.data())
@hostile
def test_links_to_another_device(db, sent, data):  # noqa: F811
    if not ContinueLink.objects.exists():
        learner = factories.make_learner()
        from explainer.accounts import handoff

        handoff.make_link(learner)
    forged = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefgh-_", min_size=43, max_size=43)
    secret = data.draw(st.one_of(any_text, forged).filter(lambda text: text != "joined"))
    client = Client()
    method = data.draw(st.sampled_from(["get", "post"]))
    response = getattr(client, method)("/continue/" + quote(secret, safe="") + "/")
    sent.append(secret)
    assert response.status_code in {404, 405, 410}, response.status_code
    assert ContinueLink.objects.filter(used_at=None).count() == 1
    assert Learner.objects.count() == 1


def test_the_hostile_sign_in_targets_a_real_account(db):
    make_learner_account()
    client = Client()
    client.post("/accounts/login/", {"login": "bea@example.org", "password": PASSWORD})
    assert not nobody_signed_in(client)  # so the hostile test above could tell a sign-in
