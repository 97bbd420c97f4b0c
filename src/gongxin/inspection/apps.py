from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    name = "gongxin.inspection"
    label = "inspection"
    verbose_name = _("考察与联审")
    menu = [
        (_("考察"), "inspection:inspection_list", "inspection.work", "inspection"),
        (_("考察组与考察人员"), "inspection:inspector_list", "inspection.manage", "inspection"),
        (_("重点工程与实绩"), "inspection:project_list", "inspection.manage", "inspection"),
        (_("联审"), "inspection:review_overview", "review.manage", "inspection"),
        (_("联审待办"), "inspection:review_queue", "review.answer", "inspection"),
        (_("问题档案"), "inspection:problem_list", "inspection.manage", "inspection"),
        (_("考察数据"), "inspection:dashboard", "inspection.manage", "inspection"),
    ]
    # core/links.py: the capability a page needs, so a link is shown only to who may open it
    link_capabilities = {
        "inspection:": ("inspection.work", "inspection.manage"),
        "inspection:inspector": "inspection.manage", "inspection:team": "inspection.manage",
        "inspection:project": "inspection.manage", "inspection:problem": "inspection.manage",
        "inspection:dashboard": "inspection.manage",
        "inspection:review_": "review.manage", "inspection:department_": "review.manage",
        "inspection:review_queue": "review.answer",
    }
    workbench_items = "gongxin.inspection.workbench.items"
    dashboard_figures = "gongxin.inspection.dashboard.figures"

    cadre_sections = "gongxin.inspection.cadre_page.cadre_sections"

    def ready(self):
        from . import hooks

        hooks.register()
