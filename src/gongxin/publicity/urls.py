from django.urls import path

from . import views as v

app_name = "publicity"
urlpatterns = [
    path("notices/", v.notices, name="notices"),
    path("notices/new/", v.notice_new, name="notice_new"),
    path("notices/<int:pk>/", v.notice_detail, name="notice"),
    path("notices/<int:pk>/edit/", v.notice_edit, name="notice_edit"),
    path("notices/<int:pk>/publish/", v.notice_publish, name="notice_publish"),
    path("notices/<int:pk>/close/", v.notice_close, name="notice_close"),
    path("notices/<int:pk>/feedback/", v.notice_feedback_add, name="notice_feedback_add"),
    path("notices/<int:pk>/entries/<int:entry_pk>/remove/", v.notice_entry_remove, name="notice_entry_remove"),
    path("feedback/", v.feedback_queue, name="feedback_queue"),
    path("feedback/<int:pk>/", v.feedback_detail, name="feedback"),
    path("feedback/<int:pk>/assign/", v.feedback_assign, name="feedback_assign"),
    path("feedback/<int:pk>/transfer/", v.feedback_transfer, name="feedback_transfer"),
    path("feedback/<int:pk>/attachments/<int:att_pk>/", v.feedback_attachment, name="feedback_attachment"),
    path("appointments/", v.appointments, name="appointments"),
    path("appointments/new/", v.appointment_new, name="appointment_new"),
    path("appointments/<int:pk>/", v.appointment_detail, name="appointment"),
    path("workdays/", v.workdays, name="workdays"),
    path("workdays/<int:pk>/remove/", v.workday_remove, name="workday_remove"),
]
