"""/accounts/: the account's page, then allauth's pages (sign in and up, codes, email, password, passkeys);
/continue/: continuing on another device without an account (`continue_urls`)."""

from django.urls import include, path

from explainer.accounts import handoff_views, views

urlpatterns = [
    path("", views.account_home, name="account_home"),
    path("", include("allauth.urls")),
]

continue_urls = [
    path("", handoff_views.continue_start, name="continue_start"),
    path("joined/", handoff_views.continue_joined, name="continue_joined"),
    path("<str:secret>/", handoff_views.continue_join, name="continue_join"),
]
