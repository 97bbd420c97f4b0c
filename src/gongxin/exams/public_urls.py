from django.urls import path

from . import public_views as v

urlpatterns = [
    path("exams/", v.exam_list, name="exam_list"),
    path("exams/<int:pk>/", v.exam_detail, name="exam"),
    path("exams/<int:pk>/lookup/", v.lookup, name="lookup"),
    path("exams/<int:pk>/registrations/<str:code>/", v.registration, name="registration"),
    path("exams/<int:pk>/results/", v.results, name="results"),
]
