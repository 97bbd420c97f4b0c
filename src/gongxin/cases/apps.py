from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "gongxin.cases"
    label = "cases"
    verbose_name = _("选任案件")
    menu = [
        (_("选任案件"), "cases:case_list", "cases.view", "cases"),
        (_("我参加的讨论决定"), "cases:case_list", "cases.view_assigned", "cases"),
        (_("职位空缺公告"), "cases:notice_list", "self.service", "cases"),
        (_("自荐报名审核"), "cases:notice_list", "cases.manage", "cases"),
        (_("规则管理"), "cases:rule_set_list", "config.edit", "settings"),
    ]
    # core/links.py: the capability a page needs, so a link is shown only to who may open it
    link_capabilities = {
        "cases:": ("cases.view", "cases.view_assigned"),
        "cases:notice_": ("cases.manage", "self.service"),
        "cases:application_": "cases.manage", "cases:case_create": "cases.manage", "cases:case_advance": "cases.manage",
        "cases:case_status": "cases.manage", "cases:attachment_add": "cases.manage", "cases:candidate_add": "cases.manage",
        "cases:candidate_action": "cases.manage", "cases:notice_create": "cases.manage", "cases:meeting_create": "cases.manage",
        "cases:rule": "config.edit",
    }
    workbench_items = "gongxin.cases.workbench.items"
    dashboard_figures = "gongxin.cases.dashboard.figures"
