"""/accounts/: the account's page, then allauth's pages (sign in and up, codes, email, password, passkeys)."""

from django.urls import include, path

from explainer.accounts import views

urlpatterns = [
    path("", views.account_home, name="account_home"),
    path("", include("allauth.urls")),
]
