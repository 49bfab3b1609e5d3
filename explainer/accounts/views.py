"""The account's own page, beside allauth's: what an account is for, or what this one holds."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.shortcuts import render
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
