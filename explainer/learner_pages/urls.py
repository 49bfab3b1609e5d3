"""A learner's own pages (explainer/learner_pages); explainer/urls.py includes them at the site's root."""

from django.urls import include, path

from explainer.learner_pages import data, progress, review
from explainer.quiz.engine import round_paths

# What is kept for this browser: the page, the download and the deletion.
my_data = [
    path("", data.my_data, name="my_data"),
    path("download/", data.download, name="my_data_download"),
    path("delete/", data.delete, name="my_data_delete"),
]

urlpatterns = [
    *round_paths("review/", review.ReviewOwner.url_names, review.review_step, review.answer, review.next_question),
    path("review/start/", review.start, name="review_start"),
    path("review/summary/", review.summary, name="review_summary"),
    path("progress/", progress.progress, name="progress"),
    path("my-data/", include(my_data)),
    path("privacy/", data.privacy, name="privacy"),
]
