"""The account list under the list convention: search by user name or name, filter by role and
state, user names sorted naturally (inspector2 before inspector10)."""

from functools import cache

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongxin.core.lists import Column, ListSpec, link_to
from gongxin.core.lists.columns import label_of

from .models import User
from .roles import Role


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("用户名或姓名"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"type": "search"}))
    role = forms.ChoiceField(label=_("角色"), required=False, choices=[("", _("全部")), *Role.choices])
    active = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部")), ("1", _("启用")), ("0", _("停用"))])


def accounts_for(form) -> list:
    qs = User.objects.prefetch_related("org_units")
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            qs = qs.filter(Q(username__icontains=d["q"]) | Q(full_name__contains=d["q"]))
        if d["role"]:
            qs = qs.filter(role=d["role"])
        if d["active"]:
            qs = qs.filter(is_active=d["active"] == "1")
    return list(qs)


def _units(user):
    return "、".join(unit.name for unit in user.org_units.all())


@cache
def account_list_spec() -> ListSpec:
    return ListSpec(
        name="accounts.users", default_sort="role", models=("accounts.User",), export_name="accounts",
        empty=_("没有符合条件的账号。"),
        columns=[
            Column("username", _("用户名"), lambda u: u.username, link=link_to("accounts:user_edit"), sort=("username",)),
            Column("full_name", _("姓名"), lambda u: u.full_name, sort=("full_name", "username")),
            Column("role", _("角色"), label_of(User, "role"), sort=("role", "username")),
            Column("data_scope", _("数据范围"), label_of(User, "data_scope")),
            Column("units", _("所属单位"), _units),
            Column("active", _("状态"), lambda u: _("启用") if u.is_active else _("停用"), sort=("is_active", "username")),
            Column("last_login", _("最近登录"), lambda u: u.last_login, sort=("last_login", "username"), default=False),
        ],
    )
