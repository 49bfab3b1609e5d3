"""The quiz's steps, under /compare/<slug>/quiz/ (explainer/urls.py includes them)."""

from django.urls import path

from explainer.quiz import views
from explainer.quiz.engine import round_paths

# LearnerOwner's step, answer and next URL names (explainer/quiz/views.py reverses the same).
STEP_NAMES = {"step": "quiz", "answer": "quiz_respond", "next": "quiz_next"}

urlpatterns = [
    *round_paths("", STEP_NAMES, views.quiz, views.respond, views.next_question),
    path("summary/", views.summary, name="quiz_summary"),
    path("new/", views.start_new, name="quiz_new"),
    path("retry/", views.retry, name="quiz_retry"),
]
