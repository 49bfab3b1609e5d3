"""gunicorn settings for production: `gunicorn -c python:config.gunicorn config.wsgi`.

Everything can be overridden from the environment: BIND (default 127.0.0.1:8000,
behind a TLS-terminating proxy), WEB_CONCURRENCY (workers, default 2 per core),
GUNICORN_TIMEOUT (seconds, default 30).
"""

import multiprocessing
import os
import re
import tempfile

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
max_requests = 2000  # recycle workers now and then, jittered so they do not all restart at once
max_requests_jitter = 200
# Access lines: GUNICORN_ACCESS_LOG a path, or "-" for stdout; unset, none (the proxy in front keeps its own).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# One control socket per instance (by its address): the default path is shared by every
# gunicorn on the machine, and stopping one instance would break another's.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or os.path.join(
    tempfile.gettempdir(), "explainer-gunicorn-" + re.sub(r"[^A-Za-z0-9]+", "-", bind) + ".ctl"
)
# Access lines carry the request id the application gave (its X-Request-ID response header)
# and the path without its query string, which may hold what a visitor searched for.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'


def _access_handler(target):
    """Where access lines go: a file at `target`, stdout for "-", nowhere when unset.

    gunicorn hands the access logger to logconfig_dict whenever that is set, and
    ignores `accesslog`'s path, so the path is honoured here.
    """
    if not target:
        return {"class": "logging.NullHandler"}
    if target == "-":
        return {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}
    return {"class": "logging.FileHandler", "formatter": "json", "filename": target}


# gunicorn's own log lines in the same JSON form as the application's (which also writes
# class codes in /join/<code>/ paths as "<code>": config/observability.py).
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.observability.JSONFormatter"}},
    "handlers": {
        "error_console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
        # gunicorn's defaults send the root logger here.
        "console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
        "access": _access_handler(accesslog),
    },
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
}
