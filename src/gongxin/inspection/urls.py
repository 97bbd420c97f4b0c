from django.urls import path

from . import views

app_name = "inspection"

urlpatterns = [
    path("", views.inspection_list, name="inspection_list"),
    path("new/", views.inspection_new, name="inspection_new"),
    path("<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("<int:pk>/interviews/new/", views.interview_new, name="interview_new"),
    path("<int:pk>/tracking/", views.tracking_add, name="tracking_add"),
    path("<int:pk>/places/<int:place_pk>/visit/", views.place_visit, name="place_visit"),
    path("<int:pk>/vote/", views.vote_save, name="vote_save"),
    path("<int:pk>/report/", views.report_save, name="report_save"),
    path("<int:pk>/report/sign/", views.report_sign, name="report_sign"),
    path("<int:pk>/findings/", views.report_finding_add, name="report_finding_add"),
    path("inspectors/", views.inspector_list, name="inspector_list"),
    path("inspectors/<int:pk>/", views.inspector_detail, name="inspector_detail"),
    path("inspectors/<int:pk>/attendance/", views.inspector_attendance, name="inspector_attendance"),
    path("inspectors/<int:pk>/score/", views.inspector_score, name="inspector_score"),
    path("inspectors/<int:pk>/certify/", views.inspector_certify, name="inspector_certify"),
    path("inspectors/<int:pk>/certificates/<int:cert_pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("teams/new/", views.team_new, name="team_new"),
    path("training/new/", views.session_new, name="session_new"),
    path("exams/new/", views.exam_new, name="exam_new"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("review/", views.review_overview, name="review_overview"),
    path("review/candidates/<int:pk>/", views.review_candidate, name="review_candidate"),
    path("review/queue/", views.review_queue, name="review_queue"),
    path("review/requests/<int:pk>/", views.review_answer, name="review_answer"),
    path("review/departments/new/", views.department_new, name="department_new"),
    path("review/departments/<int:pk>/toggle/", views.department_toggle, name="department_toggle"),
    path("problems/", views.problem_list, name="problem_list"),
    path("problems/new/", views.problem_new, name="problem_new"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
