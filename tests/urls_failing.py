"""A URLconf with a view that fails, to test the 500 page and its log line."""

from django.urls import include, path


def broken(request):
    raise RuntimeError("deliberate failure for the test")


urlpatterns = [path("broken/", broken), path("", include("config.urls"))]
handler500 = "explainer.views.server_error"
