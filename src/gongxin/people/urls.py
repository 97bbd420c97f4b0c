from django.urls import path

from . import pickers, views

app_name = "people"
urlpatterns = [
    path("cadres/", views.cadre_list, name="cadre_list"),
    path("pick/cadres/", pickers.cadre_pick, name="cadre_pick"),
    path("pick/posts/", pickers.post_pick, name="post_pick"),
    path("cadres/export.xlsx", views.cadre_export, name="cadre_export"),
    path("cadres/new/", views.cadre_create, name="cadre_create"),
    path("cadres/<int:cadre_id>/", views.cadre_detail_view, name="cadre_detail"),
    path("cadres/<int:cadre_id>/edit/", views.cadre_edit, name="cadre_edit"),
    path("cadres/<int:cadre_id>/resume/", views.resume_add, name="resume_add"),
    path("cadres/<int:cadre_id>/resume/<int:entry_id>/remove/", views.resume_remove, name="resume_remove"),
    path("cadres/<int:cadre_id>/relations/", views.relation_add, name="relation_add"),
    path("cadres/<int:cadre_id>/relations/<int:relation_id>/remove/", views.relation_remove, name="relation_remove"),
    path("units/", views.unit_tree, name="unit_tree"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("posts/", views.post_list, name="post_list"),
    path("posts/new/", views.post_create, name="post_create"),
]
