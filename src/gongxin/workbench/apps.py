from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    """The home page of every role (what waits on this user, with deadlines), the reminders fed
    by the same list, and the statistics dashboard. Other apps plug in through two hooks on
    their AppConfig: ``workbench_items`` (dotted path of ``items(user, today) -> list[Item | Pending]``, items.py)
    and ``dashboard_figures`` (dotted path of ``figures() -> list[FigureSpec]``)."""

    name = "gongxin.workbench"
    label = "workbench"
    verbose_name = _("工作台")
    menu = [
        (_("提醒"), "workbench:notifications", None, "workbench"),
        (_("统计分析"), "workbench:dashboard", "cases.view", "workbench"),
    ]

    def ready(self):
        from . import cache

        cache.connect()
