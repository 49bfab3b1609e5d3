"""Template context shared by every page."""

from django.conf import settings


def site(request):
    """`site_url`: the site's canonical origin (SITE_URL, else the request's own)."""
    return {"site_url": settings.SITE_URL or f"{request.scheme}://{request.get_host()}"}
