from django.urls import path

from . import views

app_name = "exams"

urlpatterns = [
    path("", views.exam_list, name="exam_list"),
    path("new/", views.exam_new, name="exam_new"),
    path("share/", views.share, name="share"),
    path("mine/", views.my_registrations, name="my_registrations"),
    path("mine/<int:pk>/", views.my_registration, name="my_registration"),
    path("<int:pk>/", views.exam_detail, name="exam_detail"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/step/", views.exam_step, name="exam_step"),
    path("<int:pk>/appeal/", views.decide_appeal, name="decide_appeal"),
    path("<int:pk>/admit/", views.admit, name="admit"),
    path("<int:pk>/scores/", views.enter_scores, name="enter_scores"),
    path("<int:pk>/correct/", views.correct_score, name="correct_score"),
    path("<int:pk>/tickets/", views.tickets, name="tickets"),
    path("<int:pk>/import/template/", views.import_template, name="import_template"),
    path("<int:pk>/import/", views.import_upload, name="import_upload"),
    path("<int:pk>/import/<int:staged_id>/", views.import_preview, name="import_preview"),
    path("<int:pk>/import/<int:staged_id>/rows/<int:number>/", views.import_row, name="import_row"),
    path("<int:pk>/import/<int:staged_id>/apply/", views.import_apply, name="import_apply"),
]
