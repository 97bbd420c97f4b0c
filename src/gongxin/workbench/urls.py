from django.urls import path

from . import views

app_name = "workbench"
urlpatterns = [
    path("", views.workbench, name="home"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:key>/", views.figure_records, name="figure_records"),
]
