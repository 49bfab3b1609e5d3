"""Signing in takes the browser's anonymous learner into the account's; signing out leaves it behind.

Contract (receivers connected in ExplainerConfig.ready):
- On allauth's `user_logged_in` (every learner sign-in: password, code, passkey, and the sign-in
  that ends a sign-up once its address is proved by a code), the browser's learner and the
  account's become one: an account without a learner takes the browser's anonymous one; an account
  with one takes in the browser's records (explainer.learners.records.merge_learners: answers
  united, each case keeps its latest review); an account with neither gets a new learner, so that
  its first answer is already its own. The browser's cookie then names the account's learner.
  A browser learner that belongs to another account is left alone.
  allauth's `user_signed_up` is not used: it comes before the address is proved.
- On `user_logged_out`, the browser forgets a learner that belongs to the account, so the next
  person at a shared computer starts afresh and cannot read or add to the account's records.
"""

from allauth.account.signals import user_logged_in
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.dispatch import receiver

from explainer.learners import identity
from explainer.learners.records import merge_learners
from explainer.models import Learner


def learner_of_account(user, browser_learner):
    """The account's learner after signing in on a browser whose learner is `browser_learner` (or None)."""
    with transaction.atomic():
        own = Learner.objects.select_for_update().filter(user=user).first()
        anonymous = browser_learner if browser_learner is not None and browser_learner.user_id is None else None
        if own is None and anonymous is not None:
            anonymous.user = user
            anonymous.save(update_fields=["user"])
            return anonymous
        if own is None:
            return Learner.objects.create(user=user)
        if anonymous is not None and anonymous.pk != own.pk:
            return merge_learners(anonymous, own)
        return own


@receiver(user_logged_in, dispatch_uid="explainer.accounts.merging.signed_in")
def signed_in(sender, request, user, **kwargs):
    learner = learner_of_account(user, identity.current(request))
    identity.remember(request, learner)


@receiver(user_logged_out, dispatch_uid="explainer.accounts.merging.signed_out")
def signed_out(sender, request, user, **kwargs):
    if request is None or user is None:
        return
    learner = identity.current(request)
    if learner is not None and learner.user_id == user.pk:
        identity.forget(request)
