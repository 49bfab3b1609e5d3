"""The quiz's steps, under /compare/<slug>/quiz/ (explainer/urls.py includes them)."""

from django.urls import path

from explainer.quiz import views
from explainer.quiz.engine import round_paths

urlpatterns = [
    *round_paths("", views.LearnerOwner.url_names, views.quiz, views.respond, views.next_question),
    path("summary/", views.summary, name="quiz_summary"),
    path("new/", views.start_new, name=views.LearnerOwner.url_names["new"]),
    path("retry/", views.retry, name=views.LearnerOwner.url_names["retry"]),
]
