"""LTI 1.3: what the site keeps of course platforms (Moodle, Canvas...) and of the learners they launch.

Platforms themselves are pylti1p3's `LtiTool` rows (issuer, client id,
deployment ids, key-set URL, endpoints) signed for with its `LtiToolKey` rows
(explainer/lti/keys.py rotates them). What is the site's own:
- `LtiPlatform`: per registered platform, the origins allowed to show the
  tool in an iframe (frame-ancestors);
- `LtiRetiredKey`: when a tool key was replaced, so that the JWKS keeps
  publishing it for a grace period;
- `LtiLaunchState`: pylti1p3's short-lived launch data (the login's state
  and nonce, a launch's claims), in the database so that every process sees
  it (a login and its launch may reach different workers);
- `LtiAttempt`: a learner's round for one course link, known only by the
  platform's opaque user id (`sub`) and issuer; name and email only when the
  platform sends them and settings.LTI_KEEP_NAMES allows it.
"""

import secrets
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool, LtiToolKey

from explainer.models.progress import Progress


class LtiPlatform(models.Model):
    """The site's settings for one registered platform (pylti1p3's LtiTool)."""

    tool = models.OneToOneField(LtiTool, on_delete=models.CASCADE, related_name="explainer", verbose_name=_("platform"))
    frame_origins = models.TextField(
        _("origins that show the quiz in a frame"),
        blank=True,
        help_text=_(
            "One per line, e.g. https://school.instructure.com. The issuer's origin is always allowed; add the "
            "address your learners see in the browser when it differs (Canvas: your school's Canvas address)."
        ),
    )

    class Meta:
        verbose_name = _("LTI platform settings")
        verbose_name_plural = _("LTI platform settings")

    def __str__(self):
        return str(self.tool.title)


class LtiRetiredKey(models.Model):
    """A tool key replaced by a newer one: still published until `retired_at` + the grace period."""

    key = models.OneToOneField(LtiToolKey, on_delete=models.CASCADE, related_name="retirement")
    retired_at = models.DateTimeField(_("retired"), default=timezone.now)

    class Meta:
        verbose_name = _("retired LTI key")
        verbose_name_plural = _("retired LTI keys")

    def __str__(self):
        return f"{self.key.name} (retired {self.retired_at:%Y-%m-%d})"


class LtiLaunchState(models.Model):
    """One value of pylti1p3's launch data storage (explainer/lti/tool.py), until it expires."""

    key = models.CharField(max_length=255, unique=True)
    value = models.JSONField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("LTI launch state")
        verbose_name_plural = _("LTI launch states")

    def __str__(self):
        return self.key


def new_access_key():
    return secrets.token_urlsafe(24)


class LtiAttempt(Progress, models.Model):
    """One learner's round for one course link (platform, deployment, resource link, learner)."""

    platform = models.ForeignKey(LtiTool, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("platform"))
    deployment_id = models.CharField(_("deployment id"), max_length=255)
    resource_link_id = models.CharField(_("course link id"), max_length=255)
    subject = models.CharField(_("learner's id at the platform"), max_length=255, help_text=_("Opaque (the 'sub')."))
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    comparison = models.ForeignKey(
        "explainer.Comparison", on_delete=models.CASCADE, related_name="lti_attempts", verbose_name=_("comparison")
    )
    # The secret in the round's address: the round's pages work inside the platform's iframe, where the
    # browser may send no cookie at all (docs/decisions.md, "LTI rounds by address").
    access_key = models.CharField(max_length=64, unique=True, default=new_access_key, editable=False)
    round_id = models.UUIDField(_("round"), default=uuid.uuid4, unique=True, editable=False)
    items = models.JSONField(_("questions in order"), default=list, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0, editable=False)
    # The launch's Assignment and Grade Services claim (scope, lineitem, lineitems); empty without AGS.
    grade_service = models.JSONField(_("grade service"), default=dict, blank=True, editable=False)
    score_sent_at = models.DateTimeField(_("score sent"), null=True, blank=True)
    score_error = models.CharField(_("last error sending the score"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("LTI attempt")
        verbose_name_plural = _("LTI attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "deployment_id", "resource_link_id", "subject"], name="one_lti_attempt_per_link"
            ),
        ]

    def __str__(self):
        return f"{self.comparison} · {self.subject[:12]}"
