"""Optional learner accounts (django-allauth): sign-up and sign-in by password or by a code sent by mail.

Mail goes through a real SMTP server on loopback (the `mailbox` fixture), never a mock or Django's
in-memory outbox. Merging learners and the link to another device: tests/test_accounts_learners.py.
"""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.mailbox import CODE

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-learner-password"


def signed_in_as(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


def sign_up(client, mailbox, email="ann@example.org", password=PASSWORD):
    """Sign up by email and password and type in the code mailed; the response to the code."""
    sent = len(mailbox.messages)
    response = client.post(reverse("account_signup"), {"email": email, "password1": password})
    assert response.status_code == 302, response.text
    code = mailbox.code(mailbox.wait_for(sent + 1)[-1])
    return client.post(reverse("account_email_verification_sent"), {"code": code})


def make_learner_account(email="bea@example.org", password=PASSWORD, **kwargs):
    """A learner's account whose address is confirmed, as sign-up leaves it."""
    from allauth.account.models import EmailAddress

    user = factories.make_user(username=email.split("@")[0], email=email, password=password, **kwargs)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


# Signing up


def test_sign_up_mails_a_code_through_smtp_and_typing_it_signs_in(client, mailbox):
    response = sign_up(client, mailbox)
    assert response.status_code == 302 and response["Location"] == reverse("account_home")
    assert signed_in_as(client).email == "ann@example.org"
    (message,) = mailbox.messages
    assert message["X-Envelope-To"] == "ann@example.org"
    assert message["Subject"].startswith("[Explainer] ")
    assert "Explainer" in message["From"]


def test_the_account_page_names_the_address_signed_in(client, mailbox):
    sign_up(client, mailbox)
    page = client.get(reverse("account_home")).text
    assert "Signed in as <strong>ann@example.org</strong>" in page
    assert "Sign out" in page


def test_a_wrong_sign_up_code_signs_nobody_in(client, mailbox):
    client.post(reverse("account_signup"), {"email": "ann@example.org", "password1": PASSWORD})
    mailbox.wait_for(1)
    response = client.post(reverse("account_email_verification_sent"), {"code": "XXXX-XXXX"})
    assert response.status_code == 200
    assert 'class="invalid-feedback"' in response.text and "Incorrect code" in response.text
    assert signed_in_as(client) is None


def test_sign_up_refuses_a_short_password_with_the_reason(client, mailbox):
    response = client.post(reverse("account_signup"), {"email": "ann@example.org", "password1": "short"})
    assert response.status_code == 200
    assert "too short" in response.text
    assert mailbox.messages == []


# Signing in


def test_a_learner_signs_in_with_email_and_password(client):
    make_learner_account()
    response = client.post(reverse("account_login"), {"login": "bea@example.org", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("account_home")
    assert signed_in_as(client).email == "bea@example.org"


def test_a_wrong_password_is_refused_on_the_form(client):
    make_learner_account()
    response = client.post(reverse("account_login"), {"login": "bea@example.org", "password": "not-it"})
    assert response.status_code == 200
    assert "not correct" in response.text
    assert signed_in_as(client) is None


def test_a_code_by_mail_signs_in_without_a_password(client, mailbox):
    make_learner_account()
    response = client.post(reverse("account_request_login_code"), {"email": "bea@example.org"})
    assert response.status_code == 302
    (message,) = mailbox.wait_for(1)
    assert message["X-Envelope-To"] == "bea@example.org"
    response = client.post(reverse("account_confirm_login_code"), {"code": mailbox.code(message)})
    assert response.status_code == 302
    assert signed_in_as(client).email == "bea@example.org"


def test_a_wrong_login_code_signs_nobody_in(client, mailbox):
    make_learner_account()
    client.post(reverse("account_request_login_code"), {"email": "bea@example.org"})
    mailbox.wait_for(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": "XXXX-XXXX"})
    assert response.status_code == 200 and "Incorrect code" in response.text
    assert signed_in_as(client) is None


def test_a_learner_with_a_passkey_is_not_asked_for_it_after_the_password(client):
    # Passkeys sign in on their own; they are not a second step (explainer/accounts/adapter.py).
    user = make_learner_account()
    Authenticator.objects.create(user=user, type=Authenticator.Type.WEBAUTHN, data={})
    response = client.post(reverse("account_login"), {"login": "bea@example.org", "password": PASSWORD})
    assert response["Location"] == reverse("account_home")
    assert signed_in_as(client) == user


def test_signing_out_takes_a_post_and_ends_the_session(client):
    make_learner_account()
    client.post(reverse("account_login"), {"login": "bea@example.org", "password": PASSWORD})
    client.post(reverse("account_logout"))
    assert signed_in_as(client) is None


# django-axes counts learners' failed passwords as it counts the admin's


def test_repeated_wrong_passwords_lock_that_address_out_from_that_client(client):
    make_learner_account()
    url = reverse("account_login")
    for _ in range(4):
        assert client.post(url, {"login": "bea@example.org", "password": "wrong"}).status_code == 200
    assert client.post(url, {"login": "bea@example.org", "password": "wrong"}).status_code == 429
    response = client.post(url, {"login": "bea@example.org", "password": PASSWORD})
    assert response.status_code == 429 and "Too many failed log-in attempts" in response.text
    assert signed_in_as(client) is None


def test_a_lockout_counts_the_address_whatever_its_case(client):
    make_learner_account()
    url = reverse("account_login")
    for login in ["bea@example.org", "BEA@example.org", "Bea@Example.org", "bea@EXAMPLE.org"]:
        client.post(url, {"login": login, "password": "wrong"})
    assert client.post(url, {"login": "BEA@EXAMPLE.ORG", "password": "wrong"}).status_code == 429


def test_a_locked_out_address_does_not_lock_another(client):
    make_learner_account()
    make_learner_account(email="cy@example.org")
    url = reverse("account_login")
    for _ in range(5):
        client.post(url, {"login": "bea@example.org", "password": "wrong"})
    response = client.post(url, {"login": "cy@example.org", "password": PASSWORD})
    assert response.status_code == 302 and signed_in_as(client).email == "cy@example.org"


def test_the_admin_login_still_works_beside_the_learners(db):
    factories.make_user(staff=True, username="editor", password="the-right-password")
    client = Client()
    response = client.post(reverse("admin:login"), {"username": "editor", "password": "the-right-password"})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


# Staff sign in on the admin's page only


def test_staff_cannot_sign_in_through_the_learners_sign_in(client):
    make_learner_account(email="ed@example.org", staff=True)
    response = client.post(reverse("account_login"), {"login": "ed@example.org", "password": PASSWORD})
    assert response.status_code == 403
    assert "Staff accounts sign in on the editors" in response.text
    assert signed_in_as(client) is None


def test_staff_get_no_login_code(client, mailbox):
    make_learner_account(email="ed@example.org", staff=True)
    client.post(reverse("account_request_login_code"), {"email": "ed@example.org"})
    response = client.post(reverse("account_confirm_login_code"), {"code": mailbox.code(mailbox.wait_for(1)[0])})
    assert response.status_code == 403
    assert signed_in_as(client) is None


def test_staff_get_no_password_reset_code(client, mailbox):
    make_learner_account(email="ed@example.org", superuser=True)
    client.post(reverse("account_reset_password"), {"email": "ed@example.org"})
    (message,) = mailbox.wait_for(1)
    text = mailbox.text(message)
    assert "tried to access an account" in text  # allauth's mail for an address without an account
    assert not CODE.search(text)


def test_a_learner_gets_a_password_reset_code(client, mailbox):
    make_learner_account()
    client.post(reverse("account_reset_password"), {"email": "bea@example.org"})
    (message,) = mailbox.wait_for(1)
    assert mailbox.code(message)


# The pages, in the site's frame


@pytest.mark.parametrize(
    "name", ["account_home", "account_login", "account_signup", "account_request_login_code", "account_reset_password"]
)
def test_the_account_pages_are_framed_like_the_site_and_not_indexed(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    page = response.text
    assert 'class="site-header' in page and 'class="site-footer' in page
    assert '<meta name="robots" content="noindex">' in page


def test_the_sign_in_form_labels_every_field_and_uses_bootstraps_classes(client):
    page = client.get(reverse("account_login")).text
    assert re.search(r'<label\s+for="id_login" class="form-label', page)
    assert re.search(r'<label\s+for="id_password" class="form-label', page)
    assert 'class="btn btn-primary"' in page


def test_a_refused_sign_in_says_why_next_to_the_form(client):
    make_learner_account()
    page = client.post(reverse("account_login"), {"login": "bea@example.org", "password": "wrong"}).text
    assert "alert" in page and "not correct" in page


def test_the_account_page_tells_a_visitor_an_account_is_never_needed(client):
    page = client.get(reverse("account_home")).text
    assert "You never need an account" in page
    assert reverse("account_login") in page and reverse("account_signup") in page
    assert reverse("continue_start") in page


def test_every_page_links_to_the_account_page(client, comparison):
    assert f'href="{reverse("account_home")}"' in client.get("/").text


def test_the_passkey_pages_need_a_signed_in_learner(client):
    response = client.get(reverse("mfa_list_webauthn"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_signed_in_learner_sees_the_passkeys_page_with_the_account_menu(client):
    user = make_learner_account()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    page = client.get(reverse("mfa_list_webauthn")).text
    assert 'aria-label="Your account"' in page and 'aria-current="page"' in page


# When mail cannot go out


@pytest.fixture
def mail_server_down(settings):
    """Django's SMTP backend pointed at a loopback port where nothing listens."""
    from tests.mailbox import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False


def test_a_code_that_cannot_be_mailed_gets_a_page_that_says_so(client, mail_server_down):
    make_learner_account()
    response = client.post(reverse("account_request_login_code"), {"email": "bea@example.org"})
    assert response.status_code == 503
    assert "We could not send you the mail" in response.text and 'class="site-header' in response.text


def test_a_sign_up_whose_code_cannot_be_mailed_can_be_tried_again(client, settings, mailbox):
    from tests.mailbox import free_port

    working = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # the mail server is down for the first try
    response = client.post(reverse("account_signup"), {"email": "ann@example.org", "password1": PASSWORD})
    assert response.status_code == 503
    settings.EMAIL_PORT = working
    client.post(reverse("account_request_login_code"), {"email": "ann@example.org"})
    client.post(reverse("account_confirm_login_code"), {"code": mailbox.code(mailbox.wait_for(1)[0])})
    assert signed_in_as(client).email == "ann@example.org"
