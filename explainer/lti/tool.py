"""pylti1p3 wired to this site: tool config, launch data storage, one-time nonces, framing, refusals.

- Platforms come from the database (pylti1p3's DjangoDbToolConf over LtiTool).
- State and nonces from the login step live in the database (`LaunchStorage`,
  LtiLaunchState rows), which every process shares: a login and its launch may
  reach different workers, and a local-memory cache would lose them.
- A nonce is good for one launch: pylti1p3 only checks that it exists, so a
  replayed id_token would pass; here checking it deletes it.
- LTI pages may be shown in a registered platform's iframe: `in_platform_frame`
  replaces the site's frame-ancestors 'none' (and X-Frame-Options DENY) on them
  only, with the origins of the registered platforms.
- A launch that does not verify gets `refused()`: a 4xx page saying why, and
  nothing stored.
"""

import datetime
import functools
import logging
from urllib.parse import urlencode, urlsplit

import requests
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from pylti1p3.contrib.django import DjangoDbToolConf, DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool
from pylti1p3.contrib.django.session import DjangoSessionService
from pylti1p3.launch_data_storage.base import LaunchDataStorage

from explainer.models import LtiLaunchState

logger = logging.getLogger(__name__)

CUSTOM_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/custom"
RESOURCE_LINK_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/resource_link"
DEPLOYMENT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
DEEP_LINKING_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


class TimeoutSession(requests.Session):
    """requests with a time limit: a platform that does not answer costs a page 10 s at most, never a worker."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", 10)
        return super().request(*args, **kwargs)


def tool_conf():
    return DjangoDbToolConf()


class LaunchStorage(LaunchDataStorage):
    """pylti1p3's launch data storage on LtiLaunchState rows; expired rows go when new ones are written.

    Like pylti1p3's cache storage, it keys values by a session-id cookie only over HTTPS (where that
    cookie can be SameSite=None; Secure); the state cookie binds a launch to its browser either way.
    """

    DEFAULT_LIFETIME = 24 * 60 * 60

    def get_session_cookie_name(self):
        return super().get_session_cookie_name() if self._request.is_secure() else None

    def can_set_keys_expiration(self):
        return True

    def _live(self, key):
        return LtiLaunchState.objects.filter(key=self._prepare_key(key), expires_at__gt=timezone.now())

    def get_value(self, key):
        row = self._live(key).first()
        return row.value if row else None

    def set_value(self, key, value, exp=None):
        now = timezone.now()
        LtiLaunchState.objects.filter(expires_at__lte=now).delete()
        expires_at = now + datetime.timedelta(seconds=exp or self.DEFAULT_LIFETIME)
        LtiLaunchState.objects.update_or_create(
            key=self._prepare_key(key), defaults={"value": value, "expires_at": expires_at}
        )

    def check_value(self, key):
        return self._live(key).exists()

    def consume(self, key):
        """Delete `key`; whether it was there. One DELETE: of two requests at once, one gets True."""
        deleted, _ = self._live(key).delete()
        return deleted > 0


class OneTimeNonces(DjangoSessionService):
    """pylti1p3's session service, with a nonce that is deleted when checked: a replayed launch finds none."""

    def check_nonce(self, nonce):
        return self.data_storage.consume(self._get_key("nonce", nonce))


class ToolLogin(DjangoOIDCLogin):
    """OIDC login initiation, with the site's own cookie check page (pylti1p3's has inline script and style)."""

    def __init__(self, request, **kwargs):
        super().__init__(request, tool_conf(), session_service=OneTimeNonces(request), **kwargs)
        self.django_request = request

    def get_cookies_allowed_js_check(self):
        names = ["iss", "login_hint", "target_link_uri", "lti_message_hint", "lti_deployment_id", "client_id"]
        params = {"lti1p3_new_window": "1"}
        params.update({name: self._get_request_param(name) for name in names if self._get_request_param(name)})
        continue_url = self.django_request.build_absolute_uri(f"{self.django_request.path}?{urlencode(params)}")
        return render_to_string("lti/cookie_check.html", {"continue_url": continue_url}, request=self.django_request)

    def get_response(self, html):
        return HttpResponse(html)


def login_for(request):
    return ToolLogin(request, launch_data_storage=LaunchStorage()).enable_check_cookies()


class ToolLaunch(DjangoMessageLaunch):
    def save_launch_data(self):
        """Mark the state used, but keep no copy of the claims: pylti1p3 would store the whole id_token's body (a
        learner's name and email among them) for a day; the attempt keeps what it needs (explainer/lti/rounds.py)."""
        self._session_service.set_state_valid(self._get_request_param("state"), self._get_id_token_hash())
        return self


def launch_for(request):
    """The pylti1p3 launch of this request; building it may already raise LtiException (a missing cookie)."""
    return ToolLaunch(
        request,
        tool_conf(),
        session_service=OneTimeNonces(request),
        launch_data_storage=LaunchStorage(),
        requests_session=TimeoutSession(),
    )


# Framing: registered platforms only


def origin(url):
    parts = urlsplit((url or "").strip())
    if parts.scheme in ("https", "http") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def platform_origins():
    """The origins that may frame the LTI pages: each active platform's issuer, plus its listed frame origins."""
    origins = set()
    for tool in LtiTool.objects.filter(is_active=True).select_related("explainer"):
        origins.add(origin(tool.issuer))
        extra = getattr(tool, "explainer", None)
        if extra is not None:
            origins.update(origin(line) for line in extra.frame_origins.splitlines())
    origins.discard(None)
    return sorted(origins)


def allow_platform_frames(response, form_targets=()):
    """Let registered platforms frame `response` (and forms post to `form_targets`); the rest of the site stays DENY."""
    origins = platform_origins()
    replace = {"frame-ancestors": origins or ["'none'"]}
    if form_targets:
        replace["form-action"] = ["'self'", *form_targets]
    response._csp_replace = replace
    response.xframe_options_exempt = True
    return response


def in_platform_frame(view):
    """Never cached, and frameable by the registered platforms (see `allow_platform_frames`)."""

    @never_cache
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if not getattr(response, "_csp_replace", None):
            allow_platform_frames(response)
        return response

    return wrapper


# Refusals: what went wrong, said plainly


def _reason(message):
    """(status, what the learner reads) for a pylti1p3 error message."""
    text = message.lower()
    if "nonce" in text:
        return 403, _("This launch was already used. Open the quiz again from your course.")
    if "state" in text or "cookie" in text:
        return 403, _(
            "This launch could not be matched to its sign-in step: your browser may keep cookies out of the course "
            "page's frame. Open the quiz again from your course and choose “Open in a new tab”."
        )
    if "expired" in text:
        return 403, _("This launch has expired. Open the quiz again from your course.")
    if "signature" in text or "public key" in text or "decode id_token" in text:
        return 403, _("This launch's signature does not match the course platform's keys, so it was refused.")
    if "not found in settings" in text or "registration" in text or "client id" in text:
        return 403, _("This course platform is not registered on this site (or not for this client id).")
    if "deployment" in text:
        return 403, _("This deployment of the quiz is not registered for the course platform.")
    return 400, _("The launch message from the course platform was not valid.")


def refused(request, error, status=None, reason=None):
    """The 4xx page for a launch or login that did not verify (or `status` and `reason` given); nothing is stored."""
    if reason is None:
        status, reason = _reason(str(error))
    logger.info("LTI launch refused: %s", error)
    return render(request, "lti/refused.html", {"reason": reason, "detail": str(error)}, status=status)
