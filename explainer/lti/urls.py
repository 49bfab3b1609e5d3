"""LTI 1.3: the endpoints course platforms are given, and a launched learner's round (explainer/lti/)."""

from django.urls import path

from explainer.lti import rounds, views
from explainer.quiz.engine import round_paths

urlpatterns = [
    path("login/", views.login, name="lti_login"),
    path("launch/", views.launch, name="lti_launch"),
    path("jwks/", views.jwks, name="lti_jwks"),
    path("deep-link/", views.deep_link, name="lti_deep_link"),
    *round_paths("round/<str:key>/", rounds.LtiOwner.url_names, rounds.play, rounds.answer, rounds.next_question),
]
