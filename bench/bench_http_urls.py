"""URLs for the HTTP benchmark's server: /bench-baseline/ (the minimal 50-row page) beside every
product page, served by the same ``gongxin serve`` process."""

from _cadres import baseline_view
from django.urls import include, path

urlpatterns = [path("bench-baseline/", baseline_view()), path("", include("gongxin.urls"))]
