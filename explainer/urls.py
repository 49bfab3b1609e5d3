from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import path

from explainer import quiz_views, report_views, views
from explainer.feeds import SITEMAPS, ComparisonFeed
from explainer.observability import health

urlpatterns = [
    path("", views.home, name="home"),
    path("compare/<slug:slug>/", views.comparison_detail, name="comparison_detail"),
    path("compare/<slug:slug>/quiz/", quiz_views.quiz, name="quiz"),
    path("compare/<slug:slug>/quiz/answer/", quiz_views.answer, name="quiz_answer"),
    path("compare/<slug:slug>/quiz/next/", quiz_views.next_question, name="quiz_next"),
    path("compare/<slug:slug>/quiz/summary/", quiz_views.summary, name="quiz_summary"),
    path("compare/<slug:slug>/quiz/new/", quiz_views.start_new, name="quiz_new"),
    path("compare/<slug:slug>/quiz/retry/", quiz_views.retry, name="quiz_retry"),
    path("compare/<slug:slug>/report/", report_views.report, name="report"),
    path("concepts/<slug:slug>/", views.concept_detail, name="concept_detail"),
    path("categories/<slug:slug>/", views.category_detail, name="category_detail"),
    path("search/", views.search_view, name="search"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("feeds/comparisons.atom", ComparisonFeed(), name="feed"),
    path("healthz", health, name="health"),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler500 = "explainer.views.server_error"
