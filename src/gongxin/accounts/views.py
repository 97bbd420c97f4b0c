from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from gongxin.core.errors import DomainError
from gongxin.core.forms_util import apply_domain_error

from . import actions
from .forms import AccountForm, LoginForm
from .models import User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": gettext_lazy("登录")}


@require_POST
def logout_view(request):
    auth.logout(request)
    return redirect("accounts:login")


def _require_manager(request):
    if not request.user.has_capability("accounts.manage"):
        raise PermissionDenied


@login_required
def user_list(request):
    from gongxin.core.lists import build_list

    from .lists import AccountFilterForm, account_list_spec, accounts_for

    _require_manager(request)
    form = AccountFilterForm(request.GET or None)
    lst = build_list(request, account_list_spec(), accounts_for(form), form=form,
                     actions=[(_("新增账号"), reverse("accounts:user_create"), "")])
    if lst.response is not None:
        return lst.response
    return render(request, "accounts/user_list.html", {"lst": lst, "users": lst.rows,
                                                       "breadcrumbs": [(_("账号管理"), None)]})


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request, user_id: int | None = None):
    _require_manager(request)
    instance = get_object_or_404(User, pk=user_id) if user_id else None
    form = AccountForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        password = data.pop("password")
        try:
            if instance is None:
                user = actions.create_account(acting_user=request.user, password=password, **data)
            else:
                user = actions.update_account(acting_user=request.user, user=instance, **data)
                if password:
                    actions.set_password(acting_user=request.user, user=user, password=password)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("账号 %(name)s 已保存。") % {"name": user.username})
            return redirect("accounts:user_list")
    title = _("新增账号") if instance is None else _("修改账号")
    return render(request, "simple_form.html", {
        "form": form, "title": title, "cancel_url": reverse("accounts:user_list"),
        "breadcrumbs": [(_("账号管理"), reverse("accounts:user_list")), (title, None)],
    })
