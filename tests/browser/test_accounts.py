"""Learner accounts and the link to another device in a real Chromium (issue 25, points 2 and 3).

The site is served as http://localhost:<port> (WebAuthn needs a host name for its relying party);
passkeys come from Chromium's virtual authenticator (DevTools' WebAuthn domain); mail goes through a
real SMTP server on loopback (the `mailbox` fixture), and the codes are read from it and typed in.
Every page is watched by Hygiene: a console error (a CSP refusal included) fails the test.
"""

import re
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from explainer.models import ContinueLink, Learner, Response
from tests import factories
from tests.browser.conftest import Hygiene, assert_accessible_in_both_schemes, screenshot
from tests.browser.test_quiz_learning import choose, go_next

pytestmark = pytest.mark.browser

PASSWORD = "a-long-learner-password"
QUIZ = "/compare/alliance-vs-coalition/quiz/"


@pytest.fixture
def site(live_server, settings):
    """The live server's address by host name, and WebAuthn allowing its plain-http origin (tests only)."""
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    url = live_server.url
    assert urlsplit(url).hostname == "localhost", url
    return url


def add_authenticator(page):
    """A platform authenticator with user verification (Chromium's virtual one), for this page's context."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
    }
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})["authenticatorId"]
    return cdp, authenticator


def type_code(page, mailbox, count):
    """Read the code in mail number `count` and type it into the page's code field."""
    message = mailbox.wait_for(count)[count - 1]
    page.get_by_label("Code").fill(mailbox.code(message))
    return message


def signed_in_heading(page):
    expect(page.get_by_role("heading", level=1, name="Your account")).to_be_visible()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("main")).to_be_visible()


def answer_some(page, site, misses=2, total=3):
    page.goto(site + QUIZ)
    for number in range(total):
        choose(page, correct=number >= misses)
        if number < total - 1:
            go_next(page)


def test_passkey_sign_up_then_sign_in_with_the_passkey(page, site, mailbox, transactional_db):
    cdp, authenticator = add_authenticator(page)
    page.goto(site + "/accounts/signup/")
    page.get_by_role("link", name="Sign up using a passkey").click()
    page.get_by_label("Email").fill("pia@example.org")
    page.get_by_role("button", name="Sign Up").click()
    type_code(page, mailbox, 1)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()  # allauth's webauthn.js wires the button once the page has loaded
    page.get_by_role("button", name="Create").click()
    signed_in_heading(page)
    user = get_user_model().objects.get(email="pia@example.org")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).count() == 1
    assert not user.has_usable_password()
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]) == 1
    sign_out(page)

    page.goto(site + "/accounts/login/")
    page.wait_for_load_state()
    page.get_by_role("button", name="Sign in with a passkey").click()
    signed_in_heading(page)
    expect(page.locator(".alert-success")).to_have_text("Successfully signed in as pia@example.org.")
    assert len(mailbox.messages) == 1  # the passkey alone signed in: no code was needed


def test_a_code_sent_by_mail_is_typed_in_to_sign_in(page, site, mailbox, transactional_db):
    user = factories.make_user(username="lou", email="lou@example.org", password=PASSWORD)
    user.emailaddress_set.create(email="lou@example.org", primary=True, verified=True)
    page.goto(site + "/accounts/login/")
    page.get_by_role("link", name="Send me a sign-in code").click()
    page.get_by_label("Email").fill("lou@example.org")
    page.get_by_role("button", name="Request Code").click()
    message = type_code(page, mailbox, 1)
    assert message["X-Envelope-To"] == "lou@example.org"
    screenshot(page, "accounts-login-code")
    page.get_by_role("button", name="Confirm").click()
    signed_in_heading(page)


def test_anonymous_progress_is_merged_on_sign_in(page, site, content, transactional_db):
    answer_some(page, site)
    browser_learner = Learner.objects.get()
    assert Response.objects.filter(learner=browser_learner).count() == 3
    user = factories.make_user(username="max", email="max@example.org", password=PASSWORD)
    user.emailaddress_set.create(email="max@example.org", primary=True, verified=True)
    own = Learner.objects.create(user=user)
    page.goto(site + "/accounts/login/")
    page.get_by_label("Email").fill("max@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    signed_in_heading(page)
    assert Response.objects.filter(learner=own).count() == 3
    assert own.cards.count() == 2
    assert not Learner.objects.filter(pk=browser_learner.pk).exists()
    # The browser now plays as the account's learner: its next answer is the account's too.
    page.goto(site + QUIZ)
    go_next(page)
    choose(page, correct=True)
    assert Response.objects.filter(learner=own).count() == 4


def test_a_second_browser_joins_the_learner_through_the_one_time_link(page, browser, site, content, transactional_db):
    answer_some(page, site)
    learner = Learner.objects.get()
    page.goto(site + "/accounts/")
    page.get_by_role("link", name="Continue on another device").click()
    page.get_by_role("button", name="Make a link").click()
    expect(page.locator("svg.qr-code")).to_be_visible()
    link = page.get_by_label("The link").input_value()
    assert re.fullmatch(re.escape(site) + r"/continue/[A-Za-z0-9_-]{43}/", link)
    screenshot(page, "accounts-continue-link")

    phone = browser.new_context(viewport={"width": 390, "height": 844})
    other = phone.new_page()
    other.emulate_media(reduced_motion="reduce")
    other_hygiene = Hygiene(site)
    other_hygiene.watch(other)
    other.goto(link)
    other.get_by_role("button", name="Continue here").click()
    expect(other.get_by_role("heading", level=1, name="You can carry on here")).to_be_visible()
    learner_cookie = next(c for c in phone.cookies() if c["name"] == "learner")
    assert learner_cookie["httpOnly"] and learner_cookie["sameSite"] == "Lax"
    # The phone's answers are the same learner's.
    other.goto(site + QUIZ)
    go_next(other)
    choose(other, correct=True)
    assert Response.objects.filter(learner=learner).count() == 4 and Learner.objects.count() == 1

    # The link is spent: a third browser is told so, and gets nothing.
    third = browser.new_context().new_page()
    third_hygiene = Hygiene(site)
    third_hygiene.expect_console_error("410")
    third_hygiene.watch(third)
    third.goto(link)
    expect(third.get_by_role("heading", level=1, name="This link has been used already")).to_be_visible()
    assert not [c for c in third.context.cookies() if c["name"] == "learner"]
    assert ContinueLink.objects.get().used_at is not None
    other_hygiene.check()
    third_hygiene.check()
    phone.close()
    third.context.close()


NEW_PAGES = [
    "/accounts/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/signup/passkey/",
    "/accounts/login/code/",
    "/accounts/password/reset/",
    "/continue/",
]


@pytest.mark.parametrize("path", NEW_PAGES)
def test_the_new_pages_pass_axe_in_light_and_dark(page, site, path):
    page.goto(site + path)
    assert_accessible_in_both_schemes(page)


def test_the_signed_in_pages_pass_axe_in_light_and_dark(page, site, mailbox, transactional_db):
    user = factories.make_user(username="ada", email="ada@example.org", password=PASSWORD)
    user.emailaddress_set.create(email="ada@example.org", primary=True, verified=True)
    page.goto(site + "/accounts/login/code/")
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_role("button", name="Request Code").click()
    type_code(page, mailbox, 1)
    assert_accessible_in_both_schemes(page)  # the code page, filled in
    page.get_by_role("button", name="Confirm").click()
    signed_in_heading(page)
    signed_in_pages = ["/accounts/", "/accounts/2fa/", "/accounts/2fa/webauthn/", "/accounts/email/", "/continue/"]
    for path in [*signed_in_pages, "/accounts/password/change/"]:
        page.goto(site + path)
        assert_accessible_in_both_schemes(page)
    page.goto(site + "/accounts/")
    screenshot(page, "accounts-home")


def test_the_link_pages_pass_axe_in_light_and_dark(page, browser, site, content, hygiene):
    answer_some(page, site, misses=1, total=1)
    page.goto(site + "/continue/")
    assert_accessible_in_both_schemes(page)
    with page.expect_navigation():  # axe on the new page, not on the one being left
        page.get_by_role("button", name="Make a link").click()
    assert_accessible_in_both_schemes(page)  # the link and its QR code
    link = page.get_by_label("The link").input_value()
    other = browser.new_context().new_page()
    other.goto(link)
    assert_accessible_in_both_schemes(other)  # "Continue here?"
    other.get_by_role("button", name="Continue here").click()
    assert_accessible_in_both_schemes(other)  # joined
    hygiene.expect_console_error("404")
    page.goto(site + "/continue/" + "A" * 43 + "/")
    expect(page.get_by_role("heading", level=1, name="This link does not work")).to_be_visible()
    assert_accessible_in_both_schemes(page)
    other.context.close()


def test_a_passkey_is_added_to_an_account_made_with_a_password(page, site, transactional_db):
    user = factories.make_user(username="kim", email="kim@example.org", password=PASSWORD)
    user.emailaddress_set.create(email="kim@example.org", primary=True, verified=True)
    add_authenticator(page)
    page.goto(site + "/accounts/login/")
    page.get_by_label("Email").fill("kim@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    signed_in_heading(page)
    page.goto(site + "/accounts/2fa/webauthn/add/")
    # allauth asks for the password again before a passkey is added, however recent the sign-in.
    expect(page.get_by_role("heading", level=1, name="Confirm Access")).to_be_visible()
    assert_accessible_in_both_schemes(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_label("Passwordless")).to_be_checked()  # a key that signs in on its own, by default
    page.wait_for_load_state()
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("heading", level=1, name="Passkeys")).to_be_visible()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).count() == 1
    assert_accessible_in_both_schemes(page)
    # The new passkey signs in on its own.
    page.context.clear_cookies()  # a browser that never signed in; the virtual authenticator keeps the key
    page.goto(site + "/accounts/login/")
    page.wait_for_load_state()
    page.get_by_role("button", name="Sign in with a passkey").click()
    signed_in_heading(page)
