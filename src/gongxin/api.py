"""The REST API at /api/v1/: one router per app (``gongxin.<app>.api.router``)."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from ninja import NinjaAPI

from gongxin.accounts.api_auth import SessionAuth, TokenAuth
from gongxin.core.errors import DomainError

api = NinjaAPI(
    title="Gongxin API",
    version="1",
    description="公信 REST API: the same actions, permissions and data scope as the pages.",
    auth=[SessionAuth(), TokenAuth()],
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


for app in [app for app in settings.GONGXIN_APPS if app != "core"]:
    module_name = f"gongxin.{app}.api"
    if find_spec(module_name) is not None:
        module = import_module(module_name)
        if hasattr(module, "router"):
            api.add_router(f"/{app}/", module.router)
