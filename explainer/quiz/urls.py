"""The quiz's steps, under /compare/<slug>/quiz/ (explainer/urls.py includes them)."""

from django.urls import path

from explainer.quiz import views

urlpatterns = [
    path("", views.quiz, name="quiz"),
    path("answer/", views.respond, name="quiz_respond"),
    path("next/", views.next_question, name="quiz_next"),
    path("summary/", views.summary, name="quiz_summary"),
    path("new/", views.start_new, name="quiz_new"),
    path("retry/", views.retry, name="quiz_retry"),
]
