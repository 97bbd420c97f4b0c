"""The REST API at /api/v1/: one router per app (``gongxin.<app>.api.router``).

Every error answers ``{code, message, details}``: a stable dotted code, a Chinese sentence
saying what to fix, and field details where there are some (the ``Error`` schema each
operation documents for 400/401/403/404/409/422)."""

import json
import re
from functools import cache
from importlib import import_module
from importlib.util import find_spec

import ninja.openapi.schema
from django.conf import settings
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.schema import NinjaGenerateJsonSchema

from gongxin.accounts.api_auth import SessionAuth, TokenAuth
from gongxin.core.errors import DomainError
from gongxin.core.text import CONTROL


class CheckedParser(Parser):
    """JSON bodies and query strings, with the forms' rule on free text: no control
    characters anywhere (core/text.py), whichever schema the operation declares."""

    def parse_body(self, request):
        try:
            data = json.loads(request.body)
        except ValueError:
            raise DomainError("request.bad_json", _("请求内容不是有效的 JSON。")) from None
        _refuse_control_characters(data)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        _refuse_control_characters(result)
        return result


def _refuse_control_characters(data, path: str = "") -> None:
    if isinstance(data, str):
        if CONTROL.search(data):
            message = _("内容中含有不可见的控制字符，请删除后重新填写。")
            raise DomainError("validation.control_character", message, {"fields": {path or "__all__": [message]}},
                              status=422)
    elif isinstance(data, dict):
        for key, value in data.items():
            _refuse_control_characters(key, path)
            _refuse_control_characters(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for n, value in enumerate(data):
            _refuse_control_characters(value, f"{path}.{n}" if path else str(n))


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
    description=(
        "公信 REST API: the same actions, permissions and data scope as the pages. "
        "Programs authenticate with `Authorization: Bearer <token>` (`gongxin token USER`); "
        "a browser session works too, and its writes need the CSRF token (`X-CSRFToken`). "
        "Every error is `{code, message, details}`."
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    parser=CheckedParser(),
)


def _error(request, status: int, code: str, message: str, details: dict | None = None):
    return api.create_response(request, {"code": code, "message": str(message), "details": details or {}},
                               status=status)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(request, 401, "auth.required", _("请先登录，或在请求头中提供有效的令牌（Authorization: Bearer）。"))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, DomainError):  # the parser's refusal, wrapped by django-ninja
        return _domain_error(request, exc.__cause__)
    codes = {403: ("permission.denied", _("您的角色无权进行此项操作。")),
             404: ("not_found", _("没有找到该记录。")),
             429: ("rate_limited", _("请求过于频繁，请稍后再试。"))}
    code, message = codes.get(exc.status_code, ("request.invalid", _("请求无法处理，请检查后重试。")))
    return _error(request, exc.status_code, code, message)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", _("没有找到该记录，或不在您的数据范围内。"))


_PYDANTIC_WORDS = {
    "missing": gettext_lazy("必须填写"),
    "int_parsing": gettext_lazy("须为整数"),
    "int_type": gettext_lazy("须为整数"),
    "float_parsing": gettext_lazy("须为数字"),
    "bool_parsing": gettext_lazy("须为是或否"),
    "date_from_datetime_parsing": gettext_lazy("须为日期（YYYY-MM-DD）"),
    "date_parsing": gettext_lazy("须为日期（YYYY-MM-DD）"),
    "datetime_parsing": gettext_lazy("须为日期时间"),
    "string_type": gettext_lazy("须为文字"),
    "string_too_long": gettext_lazy("太长"),
    "string_too_short": gettext_lazy("太短"),
    "greater_than_equal": gettext_lazy("太小"),
    "less_than_equal": gettext_lazy("太大"),
    "greater_than": gettext_lazy("太小"),
    "less_than": gettext_lazy("太大"),
    "literal_error": gettext_lazy("不是可选的值"),
    "enum": gettext_lazy("不是可选的值"),
    "json_invalid": gettext_lazy("不是有效的 JSON"),
    "model_attributes_type": gettext_lazy("格式不对"),
    "dict_type": gettext_lazy("须为对象"),
    "list_type": gettext_lazy("须为列表"),
}


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if part != "[key]"]
        if loc and loc[0] == "body":
            loc = loc[2:] if len(loc) > 2 else loc[1:]  # body → the parameter's name → the field
        elif loc and loc[0] in ("query", "path", "header", "cookie", "form", "file"):
            loc = loc[1:]
        name = ".".join(loc) or "__all__"
        words = _PYDANTIC_WORDS.get(error.get("type", ""))
        if error.get("type") == "value_error" and "error" in error.get("ctx", {}):
            words = error["ctx"]["error"]  # a validator's own (Chinese) sentence
        fields.setdefault(name, []).append(str(words) if words else str(error.get("msg", "")))
    names = "、".join(fields)
    return _error(request, 422, "validation.failed", _("请求内容有误，请检查：%(fields)s。") % {"fields": names},
                  {"fields": fields})


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request, exc):
    """A number the database cannot hold (an id beyond 64 bits, a page beyond any list):
    the input is wrong, not the server."""
    return _error(request, 400, "input.out_of_range", _("请求中的数字超出允许范围，请检查后重试。"))


for app in [app for app in settings.GONGXIN_APPS if app != "core"]:
    module_name = f"gongxin.{app}.api"
    if find_spec(module_name) is not None:
        module = import_module(module_name)
        if hasattr(module, "router"):
            api.add_router(f"/{app}/", module.router)
