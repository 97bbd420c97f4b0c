"""Mounted at /public/ under the namespace "evaluation_public": no login."""

from django.urls import path

from . import public_views as views

urlpatterns = [
    path("evaluation/", views.evaluation_list, name="list"),
]
