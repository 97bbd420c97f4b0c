from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views import defaults

from .errors import Forbidden, NotFound


class DomainErrorMiddleware:
    """Pages: a NotFound from a permission fetch is a 404 page, a Forbidden a 403 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code == 404 and request.path.startswith("/api/")
                and not response.get("Content-Type", "").startswith("application/json")):
            # A path no API operation has: the same {code, message} body as every API error.
            from django.http import JsonResponse
            from django.utils.translation import gettext as _

            return JsonResponse({"code": "not_found", "message": _("没有这个接口地址，请查看 /api/v1/docs。"),
                                 "details": {}}, status=404, json_dumps_params={"ensure_ascii": False})
        return response

    def process_exception(self, request, exception):
        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, NotFound):
            return defaults.page_not_found(request, Http404(exception.message))
        if isinstance(exception, Forbidden):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            return defaults.permission_denied(request, PermissionDenied(exception.message))
        return None


class LanguageMiddleware:
    """Simplified Chinese unless the user chose English with the switch (the language cookie).
    Unlike Django's LocaleMiddleware, the browser's Accept-Language is not consulted: a clerk
    whose browser happens to be English still gets the Chinese interface."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every response (settings.CONTENT_SECURITY_POLICY), unless a
    view set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
