from django.urls import path

from . import public_views as v

urlpatterns = [
    path("", v.portal, name="portal"),
    path("notices/", v.notice_list, name="notices"),
    path("notices/<int:pk>/", v.notice_detail, name="notice"),
    path("notices/<int:pk>/feedback/", v.feedback_form, name="feedback"),
    path("notices/<int:pk>/people/<int:entry_pk>/feedback/", v.feedback_form, name="feedback_person"),
    path("feedback/sent/", v.feedback_sent, name="feedback_sent"),
    path("feedback/track/", v.track, name="track"),
    path("cases/<int:case_id>/", v.case_timeline, name="case"),
]
