"""Continue on another device, without an account: /continue/ makes the link, /continue/<secret>/ uses it.

- GET /continue/: what the link does and a button to make one (POST). A browser with no learner yet
  (nothing answered) is told there is nothing to carry over; a signed-in learner is told to sign in
  on the other device instead (a link would hand the account's records to a browser not signed in).
- POST /continue/: a new link (explainer/accounts/handoff.py), shown once, as text and as a QR code,
  with the time it stops working. At most LINKS_PER_HOUR per visitor (429 page beyond).
- GET /continue/<secret>/: on the other device, what will happen and a button (POST), so that a link
  previewer or scanner that fetches the address uses nothing. A link that cannot be used gets a
  page that says why: 404 for a mistyped or tampered one, 410 for one expired or already used.
- POST /continue/<secret>/: uses the link; this browser's learner cookie then names the linked
  learner, and whatever this browser had answered anonymously is merged into it. A browser signed in
  to an account is refused (409): it already has its account's learner.
"""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from explainer.accounts import handoff
from explainer.accounts.views import notice
from explainer.classes.qr import qr_svg
from explainer.http import RateLimit, allow, visitor_hash
from explainer.learners import identity
from explainer.learners.records import merge_learners

LINKS_PER_HOUR = 10
link_limit = RateLimit("continue-link", LINKS_PER_HOUR, 60 * 60)

REFUSALS = {
    handoff.Refusal.MALFORMED: (404, _("This link does not work")),
    handoff.Refusal.UNKNOWN: (404, _("This link does not work")),
    handoff.Refusal.EXPIRED: (410, _("This link has expired")),
    handoff.Refusal.USED: (410, _("This link has been used already")),
}


def refused(request, reason):
    status, title = REFUSALS[reason]
    context = {"reason": reason.value, "title": title}
    return render(request, "account/continue_refused.html", context, status=status)


@never_cache
@allow("GET", "POST")
def continue_start(request):
    learner = identity.current(request)
    context = {"learner": learner, "signed_in": request.user.is_authenticated}
    if request.method == "GET" or learner is None or request.user.is_authenticated:
        return render(request, "account/continue_start.html", context)
    key = visitor_hash(request)
    if link_limit.hit(key) > LINKS_PER_HOUR:
        return notice(
            request,
            429,
            title=_("Too many links"),
            heading=_("Too many links for now"),
            message=_("This browser has made many links in the last hour. Use one of them, or try again in an hour."),
            onward=("home", _("Back to the home page")),
        )
    secret = handoff.make_link(learner)
    url = request.build_absolute_uri(reverse("continue_join", args=[secret]))
    context |= {"url": url, "qr": qr_svg(url), "expires_at": handoff.expires_at(secret)}
    return render(request, "account/continue_link.html", context)


@never_cache
@allow("GET", "POST")
def continue_join(request, secret):
    if request.user.is_authenticated:
        return notice(
            request,
            409,
            title=_("You are signed in here"),
            message=_(
                "This browser is signed in to an account, so it already keeps that account's progress. To use the"
                " link, sign out first; or sign in to your account on the other device instead."
            ),
            onward=("account_home", _("Your account")),
        )
    if request.method == "GET":
        reason = handoff.check(secret)
        if reason is not handoff.Refusal.OK:
            return refused(request, reason)
        return render(request, "account/continue_join.html", {"expires_at": handoff.expires_at(secret)})
    here = identity.current(request)
    try:
        learner = handoff.redeem(secret)
    except handoff.LinkRefused as refusal:
        return refused(request, refusal.reason)
    if here is not None and here.user_id is None and here.pk != learner.pk:
        learner = merge_learners(here, learner)
    identity.remember(request, learner)
    return redirect("continue_joined")


@never_cache
@allow("GET")
def continue_joined(request):
    return render(request, "account/continue_joined.html")
