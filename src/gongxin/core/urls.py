from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from . import views
from .metrics import metrics_view

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    # Browsers ask for /favicon.ico whatever the page says: the icon is served locally.
    path("favicon.ico", RedirectView.as_view(url=static("gongxin/favicon.ico"), permanent=True), name="favicon"),
]
