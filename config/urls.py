"""The project's URLs: the site (explainer.urls), the admin at ADMIN_URL, and the health check."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.observability import health
from explainer.accounts.urls import continue_urls

urlpatterns = [
    path("", include("explainer.urls")),
    path("healthz", health, name="health"),
    path("accounts/", include("explainer.accounts.urls")),  # optional learner accounts (allauth)
    path("continue/", include(continue_urls)),  # another device, no account
    path(settings.ADMIN_URL, admin.site.urls),
]

handler500 = "explainer.views.server_error"
