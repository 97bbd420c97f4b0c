from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "gongxin.exams"
    label = "exams"
    verbose_name = _("考试选拔")
    menu = [
        (_("考试选拔"), "exams:exam_list", "exams.manage", "cases"),
        (_("竞争上岗比例"), "exams:share", "exams.manage", "cases"),
        (_("我的报名"), "exams:my_registrations", "self.service", "cases"),
    ]
    dashboard_figures = "gongxin.exams.dashboard.figures"

    def ready(self):
        from . import hooks

        hooks.register()
