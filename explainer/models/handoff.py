"""One-time links that join another browser to a learner, without an account (explainer/accounts/handoff.py).

Only a hash of the link's secret is stored, so that a copy of the database opens no browser's
records; a link works once, within 15 minutes of being made.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from explainer.models.learners import Learner


class ContinueLink(models.Model):
    """A link made on one device (`learner`'s browser) to continue as the same learner on another."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="+", verbose_name=_("learner"))
    secret_hash = models.CharField(_("hash of the secret"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("made"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"), db_index=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("link to another device")
        verbose_name_plural = _("links to another device")

    def __str__(self):
        return f"{self.learner}: link made {self.created_at:%Y-%m-%d %H:%M}"
