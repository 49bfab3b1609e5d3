"""The classes' URLs: teachers under /teach/, pupils under /join/, worksheets beside each comparison."""

from django.urls import path

from explainer.classes import join_views, print_views, projector, pupil_round, views
from explainer.quiz.engine import round_paths
from explainer.quiz_bank.views import quiz_bank_export

urlpatterns = [
    path("teach/", views.class_list, name="class_list"),
    path("teach/new/", views.class_create, name="class_create"),
    path("teach/time-zone/", views.time_zone, name="teacher_time_zone"),
    path("teach/<int:pk>/", views.class_detail, name="class_detail"),
    path("teach/<int:pk>/results.csv", views.class_csv, name="class_csv"),
    path("teach/<int:pk>/projector/", projector.class_projector, name="class_projector"),
    path("teach/<int:pk>/joined.json", projector.class_joined, name="class_joined"),
    path("teach/<int:pk>/close/", views.class_close, name="class_close"),
    path("teach/<int:pk>/delete/", views.class_delete, name="class_delete"),
    path("teach/<int:pk>/worksheet/", print_views.class_worksheet, name="class_worksheet"),
    path("teach/<int:pk>/worksheet/key/", print_views.class_worksheet, {"key": True}, name="class_key"),
    path("teach/quiz-bank/<slug:slug>/<str:fmt>/", quiz_bank_export, name="quiz_bank_export"),
    path("join/", join_views.join_by_code, name="class_join_code"),
    path("join/<str:code>/", join_views.join, name="class_join"),
    *round_paths(
        "join/<str:code>/",
        pupil_round.PupilOwner.url_names,
        pupil_round.play,
        pupil_round.answer,
        pupil_round.next_question,
        step_path="play/",
    ),
    path("compare/<slug:slug>/worksheet/", print_views.worksheet, name="worksheet"),
    path("compare/<slug:slug>/worksheet/key/", print_views.worksheet, {"key": True}, name="worksheet_key"),
]
