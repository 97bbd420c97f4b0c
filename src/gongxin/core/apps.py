from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongxin.core"
    label = "core"
    verbose_name = "公信"
