"""Request ids, structured logs and the health check.

Each request gets an id: the trusted proxy's X-Request-ID when it is sane and
BEHIND_TLS_PROXY is set, else a new one (a client must not choose the ids in
our logs). It is sent back in the X-Request-ID header, shown on the error
page, and added to every log line written while the request runs, so that a
reader's "error 5f3c..." leads straight to the traceback.
"""

import contextvars
import json
import logging
import re
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

from explainer.proxy import trusts_proxy

request_id_var = contextvars.ContextVar("request_id", default="-")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "") if trusts_proxy() else ""
        request.request_id = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Add record.request_id: from the request Django attached to the record, else the running request."""

    def filter(self, record):
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or request_id_var.get()
        return True


# A class code in a path is as good as the class's key: logs show /join/<code>/ instead.
_JOIN_CODE = re.compile(r"/join/[^/\s\"?]+")


def without_class_codes(text):
    """`text` with the code of every /join/<code>/ path replaced by "<code>"."""
    return _JOIN_CODE.sub("/join/<code>", text) if "/join/" in text else text


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and the traceback if any.

    Class codes in paths are left out (without_class_codes), in the message and the traceback.
    """

    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": without_class_codes(record.getMessage()),
            "request_id": getattr(record, "request_id", "-"),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = without_class_codes(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def cache_is_reachable():
    """Whether a value can be written to and read back from the cache now."""
    try:
        cache.set("health:probe", 1, 10)
        return cache.get("health:probe") == 1
    except Exception:
        return False


@never_cache
def health(request):
    """For load balancers and monitors: 503 when the database does not answer, else 200.

    The body names each part: "database ok", then "cache ok" or "cache degraded"
    (pages are then rendered uncached; the site still works, so it stays 200).
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logging.getLogger(__name__).exception("health check: database unreachable")
        return HttpResponse("database unreachable\n", status=503, content_type="text/plain")
    if not cache_is_reachable():
        logging.getLogger(__name__).warning("health check: cache unreachable, pages are served uncached")
        return HttpResponse("database ok\ncache degraded: unreachable\n", content_type="text/plain")
    return HttpResponse("database ok\ncache ok\n", content_type="text/plain")
