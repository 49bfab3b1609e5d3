"""The account's own page, beside allauth's: what an account is for, or what this one holds."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from explainer.http import allow


@never_cache
@allow("GET")
def account_home(request):
    """GET /accounts/: to a visitor, why and how to sign in (never needed); to a learner, their account.

    Never cached: the page differs by who asks.
    """
    if not request.user.is_authenticated:
        return render(request, "account/home_anonymous.html")
    user = request.user
    context = {
        "emails": EmailAddress.objects.filter(user=user).order_by("-primary", "email"),
        "passkeys": Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).count(),
        "has_password": user.has_usable_password(),
    }
    return render(request, "account/home.html", context)


def notice(request, status, *, title, message, onward, heading=None):
    """A short account page that says why a request was refused and where to go instead.

    `onward` is (URL name, link text); `heading` defaults to `title`. Kept out of search engines
    (account/notice.html).
    """
    url_name, text = onward
    context = {
        "title": title,
        "heading": heading or title,
        "message": message,
        "onward_url": reverse(url_name),
        "onward_text": text,
    }
    return render(request, "account/notice.html", context, status=status)
