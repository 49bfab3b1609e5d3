"""Settings for the test suite: the real settings module, with test-only values.

The suite runs with DEBUG off, like production; only what a test rig cannot
have (a secret, HTTPS) is set here.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")

from config.settings import *  # noqa: F403

# No collectstatic in tests: plain storage serves static/ as it is.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
STATIC_ROOT = None  # nothing is collected in tests; whitenoise serves from the finders
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
