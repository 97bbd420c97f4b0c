"""The REST API at /api/v1/: one router per app (``gongxin.<app>.api.router``)."""

import re
from functools import cache
from importlib import import_module
from importlib.util import find_spec

import ninja.openapi.schema
from django.conf import settings
from ninja import NinjaAPI, Schema
from ninja.schema import NinjaGenerateJsonSchema

from gongxin.accounts.api_auth import SessionAuth, TokenAuth
from gongxin.core.errors import DomainError

# ---- unique schema names in the OpenAPI document -------------------------------------------------
# Ninja names each component after its class alone and merges them into one dict, so two apps'
# ``MeetingIn`` became one schema and an operation was documented with the other app's body.
# Every schema class whose name another app also uses is named "<App><Name>" (CasesMeetingIn,
# MeetingsMeetingIn); tests/core/test_openapi.py checks that no two classes share a name.

_GONGXIN_REF = re.compile(r"gongxin\.(\w+)\.(?:[\w.]+\.)?(\w+)(?=:\d+$)")


def _all_schemas(cls=Schema):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_schemas(sub)


@cache
def _shared_names() -> frozenset[str]:
    apps: dict[str, set[str]] = {}
    for model in _all_schemas():
        if model.__module__.startswith("gongxin."):
            apps.setdefault(model.__qualname__, set()).add(model.__module__.split(".")[1])
    return frozenset(name for name, owners in apps.items() if len(owners) > 1)


def schema_name(module: str, qualname: str) -> str:
    """The component name of the schema class ``module.qualname``."""
    if module.startswith("gongxin.") and qualname in _shared_names():
        return module.split(".")[1].title().replace("_", "") + qualname
    return qualname


class UniqueNamesJsonSchema(NinjaGenerateJsonSchema):
    def get_defs_ref(self, core_mode_ref):
        core_ref, mode = core_mode_ref
        parts = re.split(r"([\][,])", core_ref)
        renamed = []
        for part in parts:
            m = _GONGXIN_REF.match(part)
            if m:
                module, _sep, name = part.split(":")[0].rpartition(".")
                part = f"{module}.{schema_name(module, name)}:{part.rsplit(':', 1)[1]}"
            renamed.append(part)
        return super().get_defs_ref(("".join(renamed), mode))


ninja.openapi.schema.NinjaGenerateJsonSchema = UniqueNamesJsonSchema  # the generator ninja's OpenAPI uses


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
