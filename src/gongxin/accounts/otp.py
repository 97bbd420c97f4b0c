"""The second factor (TOTP, django-otp) for admin accounts.

With settings.REQUIRE_ADMIN_OTP (on outside the demo; GONGXIN_REQUIRE_ADMIN_OTP=0 turns it
off), an admin who has entered the password is held at /accounts/otp/ until they enter the
6-digit code of their authenticator app: enrolment first (a QR code drawn here by segno, no
outside service), then at every login."""

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongxin.core.errors import DomainError

from . import actions
from .roles import Role

EXEMPT_PREFIXES = ("/accounts/otp/", "/accounts/logout/", "/accounts/login/", "/static/", "/public/",
                   "/healthz", "/i18n/")


def needs_second_factor(user) -> bool:
    return (settings.REQUIRE_ADMIN_OTP and user.is_authenticated and user.role == Role.ORG_ADMIN
            and not user.is_verified())


class AdminSecondFactorMiddleware:
    """Holds an admin session without a verified code at the code page (API: 403)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and needs_second_factor(user) and not request.path.startswith(EXEMPT_PREFIXES):
            if request.path.startswith("/api/") and "HTTP_AUTHORIZATION" not in request.META:
                return JsonResponse({"code": "auth.second_factor", "details": {},
                                     "message": _("管理员账号须先在网页上输入动态验证码。")}, status=403,
                                    json_dumps_params={"ensure_ascii": False})
            if not request.path.startswith("/api/"):
                return redirect(f"/accounts/otp/?next={request.get_full_path()}")
        return self.get_response(request)


def _qr_svg(device) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#111", light="#fff")


@login_required
@require_http_methods(["GET", "POST"])
def otp_view(request):
    user = request.user
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if user.is_verified():
        return redirect(next_url)
    enrolled = user_has_device(user, confirmed=True)
    device = None if enrolled else actions.start_totp_enrolment(acting_user=user, user=user)
    error = ""
    if request.method == "POST":
        token = "".join(request.POST.get("token", "").split())
        if enrolled:
            device = next((d for d in TOTPDevice.objects.filter(user=user, confirmed=True)
                           if d.verify_token(token)), None)
            if device is None:
                error = _("验证码不正确或已过期，请输入验证器当前显示的 6 位数字。")
        else:
            try:
                actions.confirm_totp_device(acting_user=user, device=device, token=token)
            except DomainError as exc:
                error = exc.message
        if not error:
            otp_login(request, device)
            return redirect(next_url)
    return render(request, "accounts/otp.html", {
        "title": _("动态验证码"), "enrolled": enrolled, "error": error, "next": next_url,
        "qr": mark_safe(_qr_svg(device)) if device is not None and not enrolled else "",  # noqa: S308 - segno's own SVG
        "secret": device.key if device is not None and not enrolled else "",
    })
