from django.urls import path

from . import post_views, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_create, name="case_create"),
    path("<int:case_id>/", views.case_detail, name="case_detail"),
    path("<int:case_id>/advance/", views.case_advance, name="case_advance"),
    path("<int:case_id>/status/<str:verb>/", views.case_status, name="case_status"),
    path("<int:case_id>/attachments/", views.attachment_add, name="attachment_add"),
    path("<int:case_id>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
    path("<int:case_id>/candidates/new/", views.candidate_add, name="candidate_add"),
    path("<int:case_id>/notices/new/", views.notice_create, name="notice_create"),
    path("<int:case_id>/decision/new/", views.meeting_create, name="meeting_create"),
    path("<int:case_id>/dossier/", views.dossier_view, name="dossier"),
    path("<int:case_id>/dossier.pdf", views.dossier_pdf, name="dossier_pdf"),
    path("candidates/<int:candidate_id>/", views.candidate_detail, name="candidate_detail"),
    path("candidates/<int:candidate_id>/<str:verb>/", views.candidate_action, name="candidate_action"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:notice_id>/", views.notice_detail, name="notice_detail"),
    path("applications/<int:application_id>/<str:verb>/", views.application_decide, name="application_decide"),
    path("decision/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("decision/<int:meeting_id>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("decision/<int:meeting_id>/stance/", views.meeting_stance, name="meeting_stance"),
    path("decision/<int:meeting_id>/<str:verb>/", views.meeting_action, name="meeting_action"),
    path("posts/<int:post_id>/eligible/", post_views.post_eligible, name="post_eligible"),
    path("rules/", views.rule_set_list, name="rule_set_list"),
    path("rules/<int:rule_set_id>/", views.rule_set_detail, name="rule_set_detail"),
    path("rules/rule/<int:rule_id>/edit/", views.rule_edit, name="rule_edit"),
]
