"""API authentication: a bearer token, or the browser session (with CSRF).

A bearer token is tried first: a browser never attaches one by itself, so a request that
carries it needs no CSRF token. Without a valid token the session cookie is tried, and a
write through the session must carry the CSRF token exactly as on the pages; a session
request without it is refused (403), never passed on as if it were anonymous."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from gongxin.core.errors import Forbidden

from .models import ApiToken


class SessionAuth(APIKeyCookie):
    """Django's session cookie; unsafe methods need the CSRF token as on the pages."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None  # no session: let the next authenticator (or the 401) answer
        from .otp import needs_second_factor

        if needs_second_factor(user):  # password alone, code not yet entered
            raise Forbidden("auth.second_factor", _("管理员账号须先在网页上输入动态验证码。"))
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise Forbidden("auth.csrf_failed", _("请求缺少有效的 CSRF 令牌：网页请刷新后重试；程序调用请使用令牌（Authorization: Bearer）。"))
        return user

    def authenticate(self, request, key):  # pragma: no cover - __call__ does the work
        return None


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user
