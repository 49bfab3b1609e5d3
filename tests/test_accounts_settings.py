"""Settings of learner accounts: mail from the environment (config/mail.py), allauth and axes wiring,
and `check --deploy` under production settings with mail configured."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from config.mail import CONSOLE, SMTP, email_settings
from tests.test_production import SMTP_URL, production_settings
from tests.test_settings import run_settings


def test_an_smtp_url_gives_host_port_and_decoded_credentials():
    got = email_settings({"EMAIL_URL": "smtp://mailer%40example.org:p%3Ass@mail.example.org:2525"}, debug=False)
    assert got["EMAIL_BACKEND"] == SMTP
    assert (got["EMAIL_HOST"], got["EMAIL_PORT"]) == ("mail.example.org", 2525)
    assert (got["EMAIL_HOST_USER"], got["EMAIL_HOST_PASSWORD"]) == ("mailer@example.org", "p:ss")
    assert (got["EMAIL_USE_TLS"], got["EMAIL_USE_SSL"]) == (False, False)


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [("smtp://m.example.org", 25, False, False), ("smtp+tls://m.example.org", 587, True, False),
     ("smtps://m.example.org", 465, False, True)],
)  # fmt: skip
def test_each_scheme_has_its_encryption_and_usual_port(url, port, tls, ssl):
    got = email_settings({"EMAIL_URL": url}, debug=False)
    assert (got["EMAIL_PORT"], got["EMAIL_USE_TLS"], got["EMAIL_USE_SSL"]) == (port, tls, ssl)


def test_a_console_url_prints_the_mail():
    assert email_settings({"EMAIL_URL": "console://"}, debug=False)["EMAIL_BACKEND"] == CONSOLE


def test_djangos_own_variables_work_without_a_url():
    env = {"EMAIL_HOST": "relay.example.org", "EMAIL_PORT": "587", "EMAIL_USE_TLS": "yes", "EMAIL_HOST_USER": "u"}
    got = email_settings(env, debug=False)
    assert (got["EMAIL_BACKEND"], got["EMAIL_HOST"], got["EMAIL_PORT"]) == (SMTP, "relay.example.org", 587)
    assert got["EMAIL_USE_TLS"] is True and got["EMAIL_HOST_USER"] == "u"


def test_without_mail_settings_debug_prints_and_production_uses_a_local_server():
    assert email_settings({}, debug=True)["EMAIL_BACKEND"] == CONSOLE
    production = email_settings({}, debug=False)
    assert production["EMAIL_BACKEND"] == SMTP and "EMAIL_HOST" not in production  # Django's localhost:25


def test_the_sender_and_timeout_come_from_the_environment():
    got = email_settings({"DEFAULT_FROM_EMAIL": "Explainer <codes@example.org>", "EMAIL_TIMEOUT": "5"}, debug=True)
    assert got["DEFAULT_FROM_EMAIL"] == got["SERVER_EMAIL"] == "Explainer <codes@example.org>"
    assert got["EMAIL_TIMEOUT"] == 5
    assert email_settings({}, debug=True)["EMAIL_TIMEOUT"] == 10


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"EMAIL_URL": "smtp://a.example.org", "EMAIL_HOST": "b.example.org"}, "EMAIL_HOST"),
        ({"EMAIL_URL": "http://mail.example.org"}, "EMAIL_URL"),
        ({"EMAIL_URL": "smtp://"}, "EMAIL_URL"),
        ({"EMAIL_URL": "smtp://mail.example.org:port"}, "EMAIL_URL"),
        ({"EMAIL_HOST": "m.example.org", "EMAIL_PORT": "twenty-five"}, "EMAIL_PORT"),
        ({"EMAIL_HOST": "m.example.org", "EMAIL_USE_TLS": "perhaps"}, "EMAIL_USE_TLS"),
        ({"EMAIL_HOST": "m.example.org", "EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "EMAIL_USE_SSL"),
        ({"EMAIL_TIMEOUT": "0"}, "EMAIL_TIMEOUT"),
    ],
    ids=["url-and-host", "other-scheme", "no-host", "bad-port", "port-word", "tls-word", "tls-and-ssl", "timeout"],
)
def test_malformed_mail_settings_stop_start_up_naming_the_variable(env, named):
    with pytest.raises(ImproperlyConfigured, match=named):
        email_settings(env, debug=False)


def test_make_run_prints_mail_on_the_console():
    result = run_settings(DEBUG="1", CODE="from django.conf import settings as s; print(s.EMAIL_BACKEND)")
    assert result.stdout.strip() == CONSOLE, result.stderr


# `check --deploy` with mail by SMTP: tests/test_production.py (test_check_deploy_is_clean_under_production_settings).


def test_production_takes_the_mail_server_from_the_environment():
    words, errors = production_settings(
        "s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN",
        EMAIL_URL=SMTP_URL,
    )
    assert words == [SMTP, "mail.example.org", "587", "True", "False"], errors


# allauth and axes


def test_axes_checks_lockouts_before_any_backend_checks_a_password():
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert "allauth.account.auth_backends.AuthenticationBackend" in settings.AUTHENTICATION_BACKENDS
    assert "django.contrib.auth.backends.ModelBackend" in settings.AUTHENTICATION_BACKENDS


def test_passkeys_sign_up_and_in_and_every_address_is_proved_by_a_code():
    assert settings.MFA_SUPPORTED_TYPES == ["webauthn"]
    assert settings.MFA_PASSKEY_LOGIN_ENABLED and settings.MFA_PASSKEY_SIGNUP_ENABLED
    assert settings.ACCOUNT_LOGIN_BY_CODE_ENABLED and settings.ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED
    assert settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory"


def test_passkeys_are_not_a_second_step_after_a_password():
    from allauth.account.adapter import get_adapter

    stages = get_adapter().get_login_stages()
    assert "allauth.mfa.stages.AuthenticateStage" not in stages
    assert "allauth.mfa.webauthn.stages.PasskeySignupStage" in stages


def test_the_tests_send_their_mail_through_the_loopback_server(mailbox):
    mail.send_mail("Subject", "Body text", None, ["someone@example.org"])
    (message,) = mailbox.wait_for(1)
    assert message["Subject"] == "Subject" and message["X-Envelope-To"] == "someone@example.org"
    assert mail.outbox == []  # nothing went to Django's in-memory outbox
