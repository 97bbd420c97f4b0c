from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "gongxin.assessment"
    label = "assessment"
    verbose_name = _("考核")
    menu = [
        (_("考核年度"), "assessment:year_list", "assessment.manage", "assessment"),
        (_("指标体系"), "assessment:system_list", "assessment.manage", "assessment"),
        (_("日常考核档案"), "assessment:daily_gaps", "assessment.manage", "assessment"),
        (_("问责"), "assessment:accountability_list", "assessment.manage", "assessment"),
    ]
    workbench_items = "gongxin.assessment.workbench.items"
    dashboard_figures = "gongxin.assessment.dashboard.figures"

    cadre_sections = "gongxin.assessment.cadre_page.cadre_sections"

    def ready(self):
        from . import hooks

        hooks.register()
