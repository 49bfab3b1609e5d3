"""Settings for Explainer, read from the environment.

Every value that differs between a laptop and production comes from an
environment variable, parsed strictly: a malformed value stops start-up with
an ImproperlyConfigured error that names the variable, instead of silently
falling back to a default. See README.md, "Configuration".
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config import mail

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default=False):
    """Return the boolean value of `name`; refuse anything but the usual spellings."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no/on/off, not {raw!r}.")


def env_int(name, default):
    """Return the integer value of `name`; refuse non-numbers."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}.") from None


def env_list(name, default=()):
    """Return a comma-separated variable as a list of non-empty, stripped items."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. For local work, run with DEBUG=1 "
            "(`make run` does); in production, set a long random SECRET_KEY."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - DEBUG only
# Rotating the key (docs/operations.md): the old one goes here, comma-separated, so that sessions and
# other signed values made with it stay valid until they expire; then it is removed.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

# The canonical origin for links in feeds, canonical tags and social cards, e.g.
# https://explainer.example.org (no trailing slash); empty: the request's own.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # pg_trgm lookups for typo-tolerant search; inert on SQLite
    "crispy_forms",
    "crispy_bootstrap5",
    "reversion",
    "reversion_compare",
    "axes",
    "explainer.lti.apps.LtiToolConfig",  # pylti1p3's LTI 1.3 platforms and tool keys (explainer/lti/)
    "allauth",  # optional learner accounts (explainer/accounts/): email, login codes, passkeys
    "allauth.account",
    "allauth.mfa",
    "explainer",
]

MIDDLEWARE = [
    "config.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.GZipMiddleware",  # Django's, at zlib level 1
    "django.middleware.http.ConditionalGetMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    # Outside CommonMiddleware, so that its 400 for a Host we do not serve is framed like every page.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "explainer.accounts.adapter.MailNotSentMiddleware",  # a code that cannot be mailed: a 503 page, not a 500
    "django.contrib.messages.middleware.MessageMiddleware",
    "explainer.learners.identity.LearnerCookieMiddleware",  # the learner cookie, when a request made or renewed one
    "config.middleware.RefuseMethodsMiddleware",  # 405 for OPTIONS and TRACE, framed like every page
    "axes.middleware.AxesMiddleware",
]

# django-axes throttles password log-ins, the admin's (by username) and learners' (by email:
# AXES_USERNAME_CALLABLE): after AXES_FAILURE_LIMIT failures from one address for one name, that
# pair is locked out for an hour (429 page). It goes first, so that a locked pair is refused
# before any backend checks a password; then staff by username, then learners by email (allauth).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AXES_USERNAME_CALLABLE = "explainer.accounts.adapter.axes_username"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "429_locked.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

ROOT_URLCONF = "config.urls"

# Learner accounts (explainer/accounts/, docs/decisions.md "Learner accounts"): never needed to learn.
# Sign-up and sign-in by email with a password or a code sent by mail, or with a passkey; every
# address is proved by a code typed in (no links to click). Passkeys sign in on their own; they are
# not a second factor after a password (explainer.accounts.adapter.AccountAdapter.get_login_stages).
ACCOUNT_ADAPTER = "explainer.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"reset_password": "explainer.accounts.adapter.ResetPasswordForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Explainer] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_USER_DISPLAY = "explainer.accounts.adapter.user_display"  # the address, not the generated username
# Failed passwords are counted by django-axes (per address and name, above), not twice: allauth keeps
# only its limit per client address, against one address trying many accounts.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip"}
ACCOUNT_SESSION_REMEMBER = True  # a learner signs in for the session's two weeks; no "remember me" box
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "account_home"  # a private page: a public page from the page cache would hide the message
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
MFA_SUPPORTED_TYPES = ["webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_PASSKEY_SIGNUP_ENABLED = True
MFA_FORMS = {"add_webauthn": "explainer.accounts.adapter.AddPasskeyForm"}
# WebAuthn checks the page's origin: https in production; plain http://localhost only under DEBUG.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# Mail (login codes): SMTP from EMAIL_URL or EMAIL_HOST and friends (config/mail.py); with neither,
# the console under DEBUG (`make run` prints the mail) and Django's SMTP on localhost:25 otherwise.
globals().update(mail.email_settings(os.environ, debug=DEBUG))

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "explainer.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections: a request does not pay for a new connection.
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        # A SELECT 1 before the first query of each request: no error page after the database restarts.
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DB_SERVER_SIDE_BINDING", True):
    # Server-side parameter binding: psycopg then prepares a statement the connection has run five
    # times, so the quiz's few hot statements are parsed and planned once per connection, not per
    # request (docs/decisions.md, "Hot reads"). Off (DB_SERVER_SIDE_BINDING=0) behind a pooler in
    # transaction mode, which cannot keep prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a learner's answer is written; the busy
    # timeout makes concurrent writers wait instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )


def cache_from_url(url):
    """Django's built-in cache backends from one URL: locmem://, dummy:// or redis://... (memcached: decisions.md)."""
    if url.startswith("locmem://"):
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": url[len("locmem://") :] or "explainer",
        }
    if url.startswith("dummy://"):
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        # Short timeouts and a circuit breaker (explainer/cache_backend.py): a hung Redis costs a page a fraction
        # of a second.
        return {"BACKEND": "explainer.cache_backend.GuardedRedisCache", "LOCATION": url}
    raise ImproperlyConfigured(f"CACHE_URL must start with locmem://, dummy:// or redis://, not {url!r}.")


CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", "locmem://"))}

SERIALIZATION_MODULES = {"json-exact": "explainer.serializers"}  # snapshots keep microseconds

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 behaviour, now

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# static/ holds the site's own files; static/build/ the compiled CSS (make css).
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The admin lives at a path of the operator's choosing, so that it is not
# where every scanner looks first.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"

# Sessions that merge on save: two tabs never overwrite each other's quiz rounds (explainer/sessions.py).
SESSION_ENGINE = "explainer.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14  # forms and messages only: learning lives in the learner records (a year)
CSRF_COOKIE_HTTPONLY = True

# HTTPS hardening: on unless DEBUG, each switchable for a plain-HTTP test rig.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The client's address, from the trusted proxy's X-Forwarded-For entry when there is one (explainer/proxy.py).
AXES_CLIENT_IP_CALLABLE = "explainer.proxy.client_address"
X_FRAME_OPTIONS = "DENY"
# LTI 1.3 (explainer/lti/): whether a learner's name and email are kept when their course platform sends them
# (off: the learner is known only by the platform's opaque id); how long a replaced tool key stays published.
LTI_KEEP_NAMES = env_bool("LTI_KEEP_NAMES", False)
LTI_KEY_GRACE_DAYS = env_int("LTI_KEY_GRACE_DAYS", 7)

# A strict policy: everything from our own origin, nothing inline, no frames.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # 1 MiB: no form here needs more
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000  # the table grid posts a field per cell

# Logs go to stderr, one JSON object per line, each with the request id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.observability.RequestIdFilter"}},
    "formatters": {"json": {"()": "config.observability.JSONFormatter"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]},
    },
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "INFO"), "propagate": False},
        "django.security.DisallowedHost": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

CSRF_FAILURE_VIEW = "explainer.views.csrf_failure"
