"""The site's URLs plus `bench/bare/`, the framework baseline (benchmark settings only)."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def bare(request):
    """The cheapest page Django can serve through the full middleware stack."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *site_urlpatterns]
