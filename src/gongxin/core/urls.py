from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says: the icon is served locally.
    path("favicon.ico", RedirectView.as_view(url=static("gongxin/favicon.ico"), permanent=True), name="favicon"),
]
