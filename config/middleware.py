"""Small middleware Django does not provide."""

import gzip
import secrets

from django.conf import settings
from django.middleware import gzip as gzip_middleware
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from explainer.http import method_not_allowed


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy header: this site needs no camera, microphone or location."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.value)
        return response


class RefuseMethodsMiddleware:
    """405 for OPTIONS and TRACE everywhere: no page here needs them (no CORS, no WebDAV),
    and a view that reads only GET would otherwise answer them with the whole page."""

    REFUSED = frozenset({"OPTIONS", "TRACE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.REFUSED:
            return method_not_allowed(request, {"GET", "HEAD", "POST"}, "/", _("Go to the home page"))
        return self.get_response(request)


class GZipMiddleware(gzip_middleware.GZipMiddleware):
    """Django's GZipMiddleware, compressing at zlib level 1 instead of 6.

    It compresses every page rendered for one request (the quiz's pages are
    never cached): level 1 takes about a third of level 6's time, for bodies
    about 10% larger (bench/README.md); nginx's default, gzip_comp_level 1,
    makes the same trade. Pages the page cache keeps were compressed once, at
    level 6 (explainer/caching.py), and pass through untouched (they carry
    Content-Encoding). As in Django's, a random file name of random length
    goes into each gzip header, so that the compressed length does not give
    away what a secret in the page compresses with (BREACH, "Heal the BREACH").
    Streaming responses are left to Django's own code.
    """

    level = 1

    def process_response(self, request, response):
        if response.streaming or len(response.content) < 200 or response.has_header("Content-Encoding"):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        if not gzip_middleware.re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = self.compress(response.content)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag  # a strong ETag names the uncompressed bytes
        response.headers["Content-Encoding"] = "gzip"
        return response

    def compress(self, content):
        data = gzip.compress(content, compresslevel=self.level, mtime=0)
        # The header's FNAME flag, then a NUL-terminated name of 1 to max_random_bytes characters.
        header = bytearray(data[:10])
        header[3] = gzip.FNAME
        length = 1 + secrets.randbelow(self.max_random_bytes)
        name = secrets.token_hex(length)[:length]
        return bytes(header) + name.encode() + b"\x00" + data[10:]
