"""A learner's own pages (explainer/learner_pages); explainer/urls.py includes them at the site's root."""

from django.urls import path

from explainer.learner_pages import data, progress, review

urlpatterns = [
    path("review/", review.review_step, name="review"),
    path("review/start/", review.start, name="review_start"),
    path("review/answer/", review.answer, name="review_answer"),
    path("review/next/", review.next_question, name="review_next"),
    path("review/summary/", review.summary, name="review_summary"),
    path("progress/", progress.progress, name="progress"),
    path("my-data/", data.my_data, name="my_data"),
    path("my-data/download/", data.download, name="my_data_download"),
    path("my-data/delete/", data.delete, name="my_data_delete"),
    path("privacy/", data.privacy, name="privacy"),
]
