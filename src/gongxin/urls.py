"""URL map. Each app may bring ``urls.py`` (staff pages, under /<app>/) and
``public_urls.py`` (no login, under /public/); the API is assembled in ``gongxin.api``."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.urls import include, path

from gongxin.api import api

STAFF_APPS = [app for app in settings.GONGXIN_APPS if app not in ("core", "accounts")]


def _optional(module: str):
    return find_spec(module) is not None


urlpatterns = [
    path("", include("gongxin.core.urls")),
    path("accounts/", include("gongxin.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]
for app in STAFF_APPS:
    if _optional(f"gongxin.{app}.urls"):
        urlpatterns.append(path(f"{app}/", include(f"gongxin.{app}.urls")))
for app in ["core", *STAFF_APPS]:
    if _optional(f"gongxin.{app}.public_urls"):
        module = import_module(f"gongxin.{app}.public_urls")
        urlpatterns.append(path("public/", include((module.urlpatterns, f"{app}_public"))))
