from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("<int:meeting_id>/rules/", views.meeting_rules, name="rules"),
    path("<int:meeting_id>/posts/", views.post_add, name="post_add"),
    path("<int:meeting_id>/posts/<int:post_id>/remove/", views.post_remove, name="post_remove"),
    path("<int:meeting_id>/candidates/", views.candidate_add, name="candidate_add"),
    path("<int:meeting_id>/candidates/<int:candidate_id>/remove/", views.candidate_remove, name="candidate_remove"),
    path("<int:meeting_id>/electorate/", views.electorate, name="electorate"),
    path("<int:meeting_id>/check-in/", views.check_in_page, name="check_in"),
    path("<int:meeting_id>/open/", views.meeting_open, name="open"),
    path("<int:meeting_id>/codes/", views.codes_generate, name="codes"),
    path("<int:meeting_id>/slips/", views.slips, name="slips"),
    path("<int:meeting_id>/codes/spoil/", views.code_spoil, name="code_spoil"),
    path("<int:meeting_id>/paper/", views.paper, name="paper"),
    path("<int:meeting_id>/close/", views.meeting_close, name="close"),
    path("<int:meeting_id>/reveal/", views.meeting_reveal, name="reveal"),
    path("<int:meeting_id>/publish/", views.meeting_publish, name="publish"),
]
