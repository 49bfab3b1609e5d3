from django.conf import settings
from django.contrib import admin
from django.urls import path

from explainer import views

urlpatterns = [
    path("", views.home, name="home"),
    path("compare/<slug:slug>/", views.comparison_detail, name="comparison_detail"),
    path("concepts/<slug:slug>/", views.concept_detail, name="concept_detail"),
    path("categories/<slug:slug>/", views.category_detail, name="category_detail"),
    path(settings.ADMIN_URL, admin.site.urls),
]
