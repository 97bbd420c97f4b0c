from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from gongxin.people.pickers import UnitTreePicker

from .models import User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。注意密码区分大小写。"),
        "inactive": _("该账号已停用，请联系组织部管理员。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.fields["username"].widget = forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"})


class AccountForm(forms.ModelForm):
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput(render_value=False), required=False,
                               help_text=_("至少 8 位；修改账号时留空表示不改密码"))

    class Meta:
        model = User
        fields = ["username", "full_name", "role", "data_scope", "org_units", "cadre", "review_department", "is_active"]
        error_messages = {"username": {"required": _("请填写用户名。"), "unique": _("用户名已被使用。")}}
        widgets = {"org_units": UnitTreePicker(multiple=True), "cadre": forms.NumberInput()}
        labels = {"is_active": _("启用")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].widget = forms.NumberInput(attrs={"placeholder": _("干部编号，可不填")})
        if self.instance.pk is None:
            self.fields["password"].required = True

    def clean(self):
        data = super().clean()
        scope, units = data.get("data_scope"), data.get("org_units")
        if scope in ("subtree", "unit") and not units:
            self.add_error("org_units", _("数据范围为“本单位”或“本单位及下级”时，请选择所属单位。"))
        if data.get("role") == "reviewer" and not data.get("review_department"):
            self.add_error("review_department", _("联审单位经办人须填写所在联审单位。"))
        return data
