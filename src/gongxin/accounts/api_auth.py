"""API authentication: the browser session (with CSRF) or a bearer token."""

from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from .models import ApiToken


class SessionAuth(APIKeyCookie):
    """Django's session cookie; unsafe methods need the CSRF token as on the pages."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
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
