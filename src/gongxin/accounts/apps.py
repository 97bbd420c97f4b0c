from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gongxin.accounts"
    label = "accounts"
    verbose_name = "账号"
    menu = [("账号管理", "accounts:user_list", "accounts.manage")]
