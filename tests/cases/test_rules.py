"""Every DOMAIN §5 default rule ships as data with its source, and its numbers mean what the
rule says at the boundary. Editing a row changes new cases only."""

import datetime as dt

import pytest

from gongxin.cases import actions
from gongxin.cases.decision_core import parse_fraction, quorum_met
from gongxin.cases.models import Rule, RuleSet
from gongxin.cases.rule_defaults import DEFAULT_RULES
from gongxin.cases.rules import rule_params

pytestmark = pytest.mark.django_db


def test_every_default_rule_has_a_source_and_text():
    rules = list(RuleSet.objects.get(version=1).rules.all())
    # The cases' own rows (R11, the inspection report, joined in issue 11), plus the rows other
    # apps add to every rule set (assessment's R25/accountability...).
    assert {(r.code, r.variant) for r in rules} >= {(d["code"], d["variant"]) for d in DEFAULT_RULES} | {("R11", "")}
    for r in rules:
        assert r.name and r.regulation and r.source_text, r.code


# (code, variant, check(params) → must hold, meaning)
TABLE = [
    ("R1", "county", lambda p: (p["min_work_years"], p["min_grassroots_years"], p["deputy_before_head_years"],
                                p["lower_head_before_deputy_years"], p["min_education"]) == (5, 2, 2, 3, "associate"),
     "县处级：5 年工龄、2 年基层、副职 2 年、下级正职 3 年、大专"),
    ("R1", "section", lambda p: p["min_work_years"] == 3 and p["min_grassroots_years"] == 2, "科级：本县设定"),
    ("R2", None, lambda p: p["max_levels"] == 1 and p["min_years_since_promotion"] == 1
     and p["no_exception_during_probation"] and p["needs_higher_approval"], "破格：不越两级、试用期内及提拔不满一年不得破格"),
    ("R6", None, lambda p: p["valid_months"] == 12, "推荐结果 1 年有效"),
    ("R7", None, lambda p: quorum_met(150, 100, p["turnout"]) and not quorum_met(150, 99, p["turnout"]),
     "参会 ≥ 2/3：150 人中 100 人到会有效，99 人无效"),
    ("R8", None, lambda p: p["grade_window_years"] == 3 and set(p["barred_grades"]) == {"basically_competent",
                                                                                       "incompetent"},
     "近 3 年基本称职以下不得列为考察对象"),
    ("R10", None, lambda p: p["min_members"] == 2, "考察组 ≥ 2 人"),
    ("R13", None, lambda p: p["checks"] == ["file", "personal_matters_report", "discipline_opinion", "complaints"],
     "凡提四必"),
    ("R15", None, lambda p: quorum_met(9, 6, p["quorum"]) and not quorum_met(9, 5, p["quorum"])
     and parse_fraction(p["pass"]) == parse_fraction("1/2") and p["pass_base"] == "expected", "讨论决定"),
    ("R17", None, lambda p: p["working_days"] == 5, "公示 ≥ 5 个工作日"),
    ("R18", None, lambda p: p["probation_months"] == 12, "试用期 1 年"),
    ("R19", None, lambda p: set(p["degrees"]) == {"spouse", "lineal", "collateral3", "in_law"}, "亲属回避"),
    ("R20", None, lambda p: p["superior_subordinate"] is True, "直接上下级回避"),
    ("R23", None, lambda p: [parse_fraction(p[k]) for k in ("excellent_share", "team_excellent_share",
                                                            "team_average_share", "team_poor_share")]
     == [parse_fraction("1/4"), parse_fraction("3/10"), parse_fraction("1/5"), parse_fraction("3/20")], "优秀比例"),
    ("R24", None, lambda p: p["max_entry_age"] == 45 and p["min_education"] == "associate"
     and p["grade_window_years"] == 3, "后备干部入选年龄 ≤ 45、大专以上、近 3 年无基本称职以下"),
    ("R24", "training", lambda p: p["valid_months"] == 24 and p["direct_tier"] == 1, "中青班结业 2 年内可直接提名"),
    ("R25", None, lambda p: p["bar_months"]["admonishment"] == 6 and p["bar_months"]["organizational_adjustment"] == 12,
     "诫勉 6 个月、组织调整 1 年"),
    ("R28", None, lambda p: p["order"] == ["surname_strokes", "stroke_order", "next_character"], "姓氏笔画排序"),
    ("R29", None, lambda p: {"name", "sex", "ethnicity", "birth_month", "political_status", "education",
                             "work_started", "current_post", "proposed_post", "resume"} <= set(p["fields"]),
     "公示内容"),
]


@pytest.mark.parametrize("code,variant,check,meaning", TABLE, ids=[f"{t[0]}{'/' + t[1] if t[1] else ''}" for t in TABLE])
def test_default_rule_parameters(code, variant, check, meaning):
    assert check(rule_params(code, variant=variant)), meaning


def test_editing_the_section_level_rule_changes_new_cases_only(cast, posts, eligible):
    admin = cast["users"]["org_admin"]
    old_case = actions.open_case(acting_user=admin, title="旧", org_unit=cast["lizhuang"],
                                 posts=[posts["lizhuang_head"]], channels=["performance"], motion_reason="x",
                                 motion_date=dt.date(2026, 1, 5))
    cadre = eligible("甲", work_started=dt.date(2020, 1, 1))   # 6 years of work
    rule = Rule.objects.get(rule_set__version=1, code="R1", variant="section")
    actions.edit_rule(acting_user=admin, rule=rule, parameters={**rule.parameters, "min_work_years": 8},
                      note="本县提高科级工龄要求", effective_from=dt.date(2026, 2, 1))
    new_case = actions.open_case(acting_user=admin, title="新", org_unit=cast["lizhuang"],
                                 posts=[posts["lizhuang_secretary"]], channels=["performance"], motion_reason="x",
                                 motion_date=dt.date(2026, 3, 1))
    in_old = actions.add_candidate(acting_user=admin, case=old_case, cadre=cadre, channel="performance")
    in_new = actions.add_candidate(acting_user=admin, case=new_case, cadre=cadre, channel="performance")
    work = {c.case_id: [r["outcome"] for r in c.eligibility if r["item"] == "R1.work"][0] for c in (in_old, in_new)}
    assert work == {old_case.pk: "pass", new_case.pk: "fail"}
