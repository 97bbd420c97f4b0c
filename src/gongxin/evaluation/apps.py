from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """一报告两评议: the year's report on selection work, and the plenary's secret evaluation of
    that work and of each cadre newly promoted in the year (a rating meeting of ``meetings``)."""

    name = "gongxin.evaluation"
    label = "evaluation"
    verbose_name = _("一报告两评议")
    menu = [(_("一报告两评议"), "evaluation:list", "meetings.manage", "assessment")]

    def ready(self):
        from . import hooks

        hooks.register()
