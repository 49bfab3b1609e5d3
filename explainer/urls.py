"""The site's pages: reading, the quiz, reports, search and the machine-readable lists."""

from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from explainer import report_views, views
from explainer.feeds import SITEMAPS, ComparisonFeed, sitemap_index

urlpatterns = [
    path("", views.home, name="home"),
    path("compare/<slug:slug>/", views.comparison_detail, name="comparison_detail"),
    path("compare/<slug:slug>/quiz/", include("explainer.quiz.urls")),
    path("compare/<slug:slug>/report/", report_views.report, name="report"),
    path("concepts/<slug:slug>/", views.concept_detail, name="concept_detail"),
    path("categories/<slug:slug>/", views.category_detail, name="category_detail"),
    path("search/", views.search_view, name="search"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap,
        {"sitemaps": SITEMAPS, "template_name": "explainer/sitemap_section.xml"},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("feeds/comparisons.atom", ComparisonFeed(), name="feed"),
    # Teachers' classes, pupils joining them, and worksheets (explainer/classes/urls.py).
    path("", include("explainer.classes.urls")),
    path("", include("explainer.learner_pages.urls")),
]
