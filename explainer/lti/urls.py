"""LTI 1.3: the endpoints course platforms are given, and a launched learner's round (explainer/lti/)."""

from django.urls import path

from explainer.lti import rounds, views

urlpatterns = [
    path("login/", views.login, name="lti_login"),
    path("launch/", views.launch, name="lti_launch"),
    path("jwks/", views.jwks, name="lti_jwks"),
    path("deep-link/", views.deep_link, name="lti_deep_link"),
    path("round/<str:key>/", rounds.play, name="lti_play"),
    path("round/<str:key>/answer/", rounds.answer, name="lti_answer"),
    path("round/<str:key>/next/", rounds.next_question, name="lti_next"),
]
