from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("new/", views.round_new, name="round_new"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("<int:pk>/close/", views.round_close, name="round_close"),
    path("<int:pk>/publish/", views.round_publish, name="round_publish"),
    path("<int:pk>/rule/", views.round_rule, name="round_rule"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/standby/", views.standby, name="standby"),
    path("<int:pk>/rank/", views.rank_staff, name="rank_staff"),
    path("<int:pk>/sections/<int:section_pk>/rank/", views.rank_section, name="rank_section"),
    path("<int:pk>/mine/", views.my_result, name="my_result"),
    path("<int:pk>/list/", views.unit_list, name="unit_list"),
]
