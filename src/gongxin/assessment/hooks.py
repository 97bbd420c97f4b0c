"""What assessment plugs into the case workflow (registered in AppConfig.ready()):
eligibility facts for R25 (decided accountability with the bar it carries, and open cases,
which block promotion until decided), and the typed parameters of its rule rows."""

from django.utils.translation import gettext_lazy as _

from gongxin.cases import guards
from gongxin.cases import rule_schema as rs
from gongxin.cases.facts import register_facts_provider

from .facts import accountability_facts, accountability_facts_bulk
from .models import AccountabilityKind
from .queries import candidate_notes
from .survey import VALUED

CATEGORIES = (("township", _("乡镇（街道）")), ("village", _("村（社区）")), ("department", _("县直部门")),
              ("institution", _("事业单位")), ("organ", _("党政机关")))


def register() -> None:
    register_facts_provider(accountability_facts, bulk=accountability_facts_bulk)
    guards.register_candidate_notes(candidate_notes)
    rs.register_schema("R25", "accountability", {
        "bar_months": rs.Spec(_("影响提拔期（月）"), "months_map", 0, 120, choices=tuple(AccountabilityKind.choices)),
        "open_case_blocks": rs.Bool(_("调查期间暂缓提拔")),
    })
    rs.register_schema("R23", "difficulty", {
        "coefficients": rs.Spec(_("难度系数"), "fraction_map", 1, 2, choices=CATEGORIES,
                                help=_("不小于 1 的小数，如 1.10")),
        "remote_only": rs.Bool(_("只对艰苦边远单位适用")),
        "hard_posting_years": rs.Int(_("艰苦岗位累计年限（优先使用）"), 1, 30),
    })
    rs.register_schema("R23", "public", {
        "public_weight": rs.Frac(_("群众评议权重")),
        # (optional: rule sets made before the survey round score with survey.DEFAULT_VALUES)
        "option_values": rs.Spec(_("群众评议各等次分值"), "fraction_map", 0, 1, choices=VALUED, required=False,
                                 help=_("0 到 1 之间的小数，如 0.8")),
    })
