from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.year_list, name="year_list"),
    path("years/<int:year>/", views.year_detail, name="year_detail"),
    path("years/<int:year>/template.xlsx", views.results_template, name="results_template"),
    path("years/<int:year>/import/", views.results_import, name="results_import"),
    path("years/<int:year>/import/apply/", views.results_apply, name="results_apply"),
    path("years/<int:year>/units/<int:unit>/", views.unit_detail, name="unit_detail"),
    path("systems/", views.system_list, name="system_list"),
    path("accountability/", views.accountability_list, name="accountability_list"),
    path("accountability/<int:pk>/", views.accountability_detail, name="accountability_detail"),
    path("daily-records/gaps/", views.daily_gaps, name="daily_gaps"),
    path("cadres/<int:cadre>/daily-records/", views.cadre_daily_record, name="cadre_daily_record"),
    path("cadres/<int:cadre>/accountability/", views.cadre_accountability, name="cadre_accountability"),
]
