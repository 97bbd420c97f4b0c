from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.overview, name="list"),
    path("reports/new/", views.report_generate, name="report_generate"),
    path("reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("reports/<int:report_id>/print/", views.report_print, name="report_print"),
    path("reports/<int:report_id>/finalize/", views.report_finalize, name="report_finalize"),
    path("new/", views.evaluation_create, name="create"),
    path("<int:evaluation_id>/", views.evaluation_detail, name="detail"),
    path("<int:evaluation_id>/close/", views.evaluation_close, name="close"),
    path("<int:evaluation_id>/results/", views.evaluation_results, name="results"),
    path("<int:evaluation_id>/publish/", views.evaluation_publish, name="publish"),
    path("follow-ups/<int:follow_up_id>/", views.follow_up_detail, name="follow_up"),
    path("follow-ups/<int:follow_up_id>/refer/", views.follow_up_refer, name="follow_up_refer"),
    path("follow-ups/<int:follow_up_id>/close/", views.follow_up_close, name="follow_up_close"),
]
