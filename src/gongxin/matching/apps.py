from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "gongxin.matching"
    label = "matching"
    verbose_name = _("双向选择")
    menu = [
        (_("双向选择"), "matching:round_list", "two_way.manage", "cases"),
        (_("我的双向选择"), "matching:round_list", "self.service", "cases"),
    ]
    workbench_items = "gongxin.matching.workbench.items"

    cadre_sections = "gongxin.matching.cadre_page.cadre_sections"
