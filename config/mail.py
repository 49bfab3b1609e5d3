"""Outgoing mail (learners' login codes) configured from the environment.

`email_settings(environ, debug)` returns Django's EMAIL_* settings from either

- `EMAIL_URL`: `smtp://user:password@host:port` (plain), `smtp+tls://...` (STARTTLS, port 587 by
  default), `smtps://...` (TLS from the start, port 465 by default), or `console://` (print the mail);
  user and password percent-encoded, as in any URL; or
- `EMAIL_HOST`, `EMAIL_PORT`, `EMAIL_HOST_USER`, `EMAIL_HOST_PASSWORD`, `EMAIL_USE_TLS`, `EMAIL_USE_SSL`
  (Django's own names);

never both. With neither: the console backend under DEBUG (`make run` prints the mail, codes
included), and Django's SMTP on localhost:25 (a local mail server) otherwise. `DEFAULT_FROM_EMAIL`
(the sender) and `EMAIL_TIMEOUT` (seconds, 10 by default: a stuck mail server holds a request no
longer) apply to every form. A malformed value stops start-up with ImproperlyConfigured naming the
variable, as every setting does.
"""

from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"
SCHEMES = {"smtp": (False, False, 25), "smtp+tls": (True, False, 587), "smtps": (False, True, 465)}
HOST_VARIABLES = (
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
)
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def _bool(environ, name):
    raw = environ.get(name, "")
    if raw.strip().lower() in _TRUE:
        return True
    if raw.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no/on/off, not {raw!r}.")


def _int(name, raw):
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}.") from None
    if value <= 0:
        raise ImproperlyConfigured(f"{name} must be positive, not {raw!r}.")
    return value


def _from_url(url):
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"EMAIL_URL is not a valid URL: {url!r}.") from None
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": CONSOLE}
    if parts.scheme not in SCHEMES:
        raise ImproperlyConfigured(
            f"EMAIL_URL must start with smtp://, smtp+tls://, smtps:// or console://, not {parts.scheme!r}."
        )
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL names no host.")
    use_tls, use_ssl, default_port = SCHEMES[parts.scheme]
    return {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or default_port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }


def _from_host(environ):
    use_tls, use_ssl = _bool(environ, "EMAIL_USE_TLS"), _bool(environ, "EMAIL_USE_SSL")
    if use_tls and use_ssl:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on: pick one.")
    port = environ.get("EMAIL_PORT", "").strip()
    return {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": environ.get("EMAIL_HOST", "localhost").strip() or "localhost",
        "EMAIL_PORT": _int("EMAIL_PORT", port) if port else (465 if use_ssl else 587 if use_tls else 25),
        "EMAIL_HOST_USER": environ.get("EMAIL_HOST_USER", ""),
        "EMAIL_HOST_PASSWORD": environ.get("EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }


def email_settings(environ, debug):
    """Django's EMAIL_* settings (and DEFAULT_FROM_EMAIL) from `environ`; see the module docstring."""
    url = environ.get("EMAIL_URL", "").strip()
    given = [name for name in HOST_VARIABLES if name in environ]
    if url and given:
        raise ImproperlyConfigured(f"Set EMAIL_URL or {', '.join(given)}, not both.")
    if url:
        settings = _from_url(url)
    elif given:
        settings = _from_host(environ)
    else:
        settings = {"EMAIL_BACKEND": CONSOLE if debug else SMTP}
    timeout = environ.get("EMAIL_TIMEOUT", "").strip()
    settings["EMAIL_TIMEOUT"] = _int("EMAIL_TIMEOUT", timeout) if timeout else 10
    settings["DEFAULT_FROM_EMAIL"] = environ.get("DEFAULT_FROM_EMAIL", "").strip() or "Explainer <noreply@localhost>"
    settings["SERVER_EMAIL"] = settings["DEFAULT_FROM_EMAIL"]
    return settings
