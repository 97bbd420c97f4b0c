from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "gongxin.jobs"
    label = "jobs"
    verbose_name = _("后台任务")
    menu = [
        (_("我的后台任务"), "jobs:job_list", None, "settings"),
    ]
