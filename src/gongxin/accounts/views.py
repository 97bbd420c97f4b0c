from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .forms import LoginForm
from .models import User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": _("登录")}


@require_POST
def logout_view(request):
    auth.logout(request)
    return redirect("accounts:login")


def user_list(request):
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if not request.user.has_capability("accounts.manage"):
        raise PermissionDenied
    users = User.objects.prefetch_related("org_units").order_by("role", "username")
    return render(request, "accounts/user_list.html", {"users": users, "breadcrumbs": [(_("账号管理"), None)]})
