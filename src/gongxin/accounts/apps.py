from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gongxin.accounts"
    label = "accounts"
    verbose_name = _("账号")
    menu = [(_("账号管理"), "accounts:user_list", "accounts.manage", "settings")]
