"""Template context shared by every page."""

from django.conf import settings
from django.core.exceptions import DisallowedHost


def site_origin(request):
    """The site's canonical origin: SITE_URL, else the request's own (empty for a Host we do not serve)."""
    if settings.SITE_URL:
        return settings.SITE_URL
    try:
        return f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        # Rendering the 400 page for that very Host: it must not fail a second time.
        return ""


def site(request):
    """`site_url`: the site's canonical origin (see site_origin)."""
    return {"site_url": site_origin(request)}
