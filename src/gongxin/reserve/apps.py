from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReserveConfig(AppConfig):
    name = "gongxin.reserve"
    label = "reserve"
    verbose_name = _("后备干部")
    menu = [
        (_("后备干部库"), "reserve:pool", "reserve.manage", "people"),
        (_("后备干部结构"), "reserve:composition", "reserve.manage", "people"),
        (_("中青班"), "reserve:class_list", "reserve.manage", "people"),
    ]
    # core/links.py: the capability a page needs, so a link is shown only to who may open it
    link_capabilities = {"reserve:": "reserve.manage"}
    workbench_items = "gongxin.reserve.workbench.items"
    dashboard_figures = "gongxin.reserve.dashboard.figures"

    cadre_sections = "gongxin.reserve.cadre_page.cadre_sections"
    cadre_form_lines = "gongxin.reserve.cadre_page.cadre_form_lines"

    def ready(self):
        from . import hooks

        hooks.register()
