"""How django-allauth fits this site.

Contract:
- The client's address (allauth's rate limits) is the one explainer/proxy.py trusts, as for axes.
- A passkey is a way to sign in on its own, never a second step after a password or a mailed code:
  allauth.mfa's "authenticate" stage is left out, so that losing a passkey never locks a learner out
  (a code by mail still signs them in) and no recovery codes are needed.
- Staff accounts (editors, teachers, superusers) sign in on the admin's page only, behind their
  password and django-axes: allauth's flows refuse them (403 page) and never mail them a
  password-reset code, so that a mailbox alone never opens the admin.
- Adding a passkey offers "passwordless" (a key that signs in on its own) ticked (AddPasskeyForm).
- A mail that cannot be sent (the server down or refusing) is logged and answered with a 503 page
  that says so and to try again, never a server error (MailNotSent, MailNotSentMiddleware).
- `axes_username` gives django-axes the name tried in a password sign-in: the admin's username, or
  a learner's email address (lower-cased, as allauth compares them).
"""

import logging
import smtplib

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.internal.stagekit import clear_login
from allauth.mfa.webauthn.forms import AddWebAuthnForm
from django.shortcuts import render
from django.utils.translation import gettext as _

from explainer.accounts.views import notice
from explainer.proxy import client_address

SECOND_FACTOR_STAGE = "allauth.mfa.stages.AuthenticateStage"
log = logging.getLogger(__name__)


class MailNotSent(Exception):
    """The mail server refused or could not be reached: MailNotSentMiddleware answers with a 503 page."""


class MailNotSentMiddleware:
    """A mail that could not be sent (a code, a notice) gets a page that says so (503), not a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, MailNotSent):
            return render(request, "account/mail_not_sent.html", status=503)
        return None


def user_display(user):
    """How allauth names a learner in its messages and mail: their address (their username is made up)."""
    return user.email or user.get_username()


def is_staff_account(user):
    return bool(user.is_staff or user.is_superuser)


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        return client_address(request)

    def send_mail(self, template_prefix, email, context):
        try:
            super().send_mail(template_prefix, email, context)
        except (smtplib.SMTPException, OSError) as error:
            log.error("mail not sent (%s): %s: %s", template_prefix, type(error).__name__, error)
            raise MailNotSent from error

    def get_login_stages(self):
        return [stage for stage in super().get_login_stages() if stage != SECOND_FACTOR_STAGE]

    def pre_login(self, request, user, **kwargs):
        if is_staff_account(user):
            clear_login(request)
            return notice(
                request,
                403,
                title=_("Staff sign in elsewhere"),
                heading=_("Staff accounts sign in on the editors' page"),
                message=_(
                    "This address belongs to an editor's or a teacher's account. Those sign in with their password"
                    " on the editors' sign-in page, not here."
                ),
                onward=("admin:login", _("Go to the editors' sign-in page")),
            )
        return super().pre_login(request, user, **kwargs)


class ResetPasswordForm(AllauthResetPasswordForm):
    """allauth's form, blind to staff accounts: their address gets the mail an unknown one gets."""

    def clean_email(self):
        email = super().clean_email()
        self.users = [user for user in self.users if not is_staff_account(user)]
        return email


class AddPasskeyForm(AddWebAuthnForm):
    """allauth's form for adding a key, ticked "passwordless" to begin with: here a passkey is for signing in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "passwordless" in self.fields:
            self.fields["passwordless"].initial = True


def axes_username(request, credentials):
    """The name django-axes counts failures under: the username, or the email address, tried."""
    credentials = credentials or {}
    if credentials.get("username"):
        return credentials["username"]
    if credentials.get("email"):
        return credentials["email"].strip().lower()
    data = request.POST if request is not None and request.method == "POST" else {}
    if data.get("username"):
        return data["username"]
    return data.get("login", "").strip().lower() or None
