from django.urls import path

from . import views

app_name = "reserve"
urlpatterns = [
    path("", views.pool, name="pool"),
    path("export/", views.pool_export, name="pool_export"),
    path("review/", views.review, name="review"),
    path("enter/", views.enter, name="enter"),
    path("from-meeting/", views.from_meeting, name="from_meeting"),
    path("cadre-search/", views.cadre_search, name="cadre_search"),
    path("composition/", views.composition, name="composition"),
    path("<int:reserve_id>/", views.detail, name="detail"),
    path("<int:reserve_id>/tier/", views.change_tier, name="change_tier"),
    path("<int:reserve_id>/exit/", views.exit_pool, name="exit"),
    path("<int:reserve_id>/readiness/", views.readiness, name="readiness"),
    path("classes/", views.class_list, name="class_list"),
    path("classes/<int:class_id>/", views.class_detail, name="class_detail"),
    path("classes/<int:class_id>/enrol/", views.class_enrol, name="class_enrol"),
    path("classes/<int:class_id>/sessions/", views.class_session, name="class_session"),
    path("classes/<int:class_id>/graduate/", views.class_graduate, name="class_graduate"),
    path("sessions/<int:session_id>/", views.session_sheet, name="session_sheet"),
    path("trainees/<int:trainee_id>/", views.trainee_detail, name="trainee_detail"),
]
