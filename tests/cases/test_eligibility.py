"""Table-driven tests of the pure eligibility engine over DOMAIN §5's default rules: for each
check a passing case, a failing case and the boundary."""

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongxin.cases import eligibility as core
from gongxin.cases.rule_defaults import DEFAULT_RULES

ON = dt.date(2026, 11, 27)
RULES = {(f"{r['code']}/{r['variant']}" if r["variant"] else r["code"]):
         core.RuleSpec(params=r["parameters"], name=r["name"], source=r["regulation"] + r["article"])
         for r in DEFAULT_RULES}

# 副科 → 正科 (head of the same grade): R1/section, 2 years as deputy.
TOWNSHIP_HEAD = core.PostRequirement(title="李庄镇镇长", rank_level=30, is_head=True)
TOWNSHIP_SECRETARY = core.PostRequirement(title="李庄镇党委书记", rank_level=30, is_head=True, is_party_post=True)
COUNTY_DEPUTY = core.PostRequirement(title="副县长", rank_level=40, is_head=False)


def base_facts(**over) -> core.CadreFacts:
    facts = core.CadreFacts(
        birth=dt.date(1985, 6, 15), work_started=dt.date(2007, 7, 1), grassroots_days=6 * 365,
        rank_level=20, rank_since=dt.date(2020, 1, 1), education="bachelor", party_joined=dt.date(2008, 7, 1),
        grades={2023: "competent", 2024: "excellent", 2025: "competent"}, married=True,
        four_checks={"file": "done", "personal_matters_report": "done", "discipline_opinion": "done",
                     "complaints": "done"})
    return dataclasses.replace(facts, **over)


def outcome(results, item):
    found = [r for r in results if r.item == item]
    assert found, f"no result for {item}: {[r.item for r in results]}"
    return found[0].outcome


def run(facts=None, post=TOWNSHIP_HEAD, **kw):
    return core.evaluate(facts or base_facts(), post, RULES, on=kw.pop("on", ON), **kw)


def test_a_plain_eligible_cadre_passes_every_check_with_reason_and_source():
    results = run()
    assert core.passed(results)
    for r in results:
        assert r.reason and "%(" not in r.reason
        if r.code.startswith("R"):
            assert r.source, r.code


CASES = [
    # (id, facts overrides, post, item, expected)
    ("R1 work: 19 years", {}, TOWNSHIP_HEAD, "R1.work", "pass"),
    ("R1 work: exactly 3 years (科级)", {"work_started": dt.date(2023, 11, 27)}, TOWNSHIP_HEAD, "R1.work", "pass"),
    ("R1 work: one day short of 3", {"work_started": dt.date(2023, 11, 28)}, TOWNSHIP_HEAD, "R1.work", "fail"),
    ("R1 work: county level needs 5", {"work_started": dt.date(2022, 1, 1), "rank_level": 30,
                                        "rank_since": dt.date(2019, 1, 1)}, COUNTY_DEPUTY, "R1.work", "fail"),
    ("R1 work: county level exactly 5", {"work_started": dt.date(2021, 11, 27), "rank_level": 30,
                                          "rank_since": dt.date(2019, 1, 1)}, COUNTY_DEPUTY, "R1.work", "pass"),
    ("R1 work: no start date", {"work_started": None}, TOWNSHIP_HEAD, "R1.work", "fail"),
    ("R1 grassroots: exactly 2 years", {"grassroots_days": 730}, TOWNSHIP_HEAD, "R1.grassroots", "pass"),
    ("R1 grassroots: a day short", {"grassroots_days": 729}, TOWNSHIP_HEAD, "R1.grassroots", "fail"),
    ("R1 tenure: deputy exactly 2 years", {"rank_since": dt.date(2024, 11, 27)}, TOWNSHIP_HEAD, "R1.tenure", "pass"),
    ("R1 tenure: deputy a day short", {"rank_since": dt.date(2024, 11, 28)}, TOWNSHIP_HEAD, "R1.tenure", "fail"),
    ("R1 tenure: lower head 3 years before deputy above", {"rank_level": 30, "rank_since": dt.date(2023, 11, 27)},
     COUNTY_DEPUTY, "R1.tenure", "pass"),
    ("R1 tenure: lower head only 2 years", {"rank_level": 30, "rank_since": dt.date(2024, 11, 27)},
     COUNTY_DEPUTY, "R1.tenure", "fail"),
    ("R1 tenure: lateral move has no tenure rule", {"rank_level": 30, "rank_since": dt.date(2026, 1, 1)},
     TOWNSHIP_HEAD, "R1.tenure", "pass"),
    ("R1 step: skipping a level", {"rank_level": 10}, TOWNSHIP_HEAD, "R1.step", "fail"),
    ("R1 education: 大专 is enough", {"education": "associate"}, TOWNSHIP_HEAD, "R1.education", "pass"),
    ("R1 education: 中专 is not", {"education": "secondary_vocational"}, TOWNSHIP_HEAD, "R1.education", "fail"),
    ("R1 education: missing", {"education": ""}, TOWNSHIP_HEAD, "R1.education", "fail"),
    ("R1 party: exactly 3 years for a Party post", {"party_joined": dt.date(2023, 11, 27)}, TOWNSHIP_SECRETARY,
     "R1.party", "pass"),
    ("R1 party: a day short", {"party_joined": dt.date(2023, 11, 28)}, TOWNSHIP_SECRETARY, "R1.party", "fail"),
    ("R1 party: not a member", {"party_joined": None}, TOWNSHIP_SECRETARY, "R1.party", "fail"),
    ("R6: recommended exactly 12 months ago", {"recommended_on": dt.date(2025, 11, 27)}, TOWNSHIP_HEAD, "R6.valid",
     "pass"),
    ("R6: a day past a year", {"recommended_on": dt.date(2025, 11, 26)}, TOWNSHIP_HEAD, "R6.valid", "fail"),
    ("R8: 基本称职 three years ago counts", {"grades": {2023: "basically_competent"}}, TOWNSHIP_HEAD, "R8.grades",
     "fail"),
    ("R8: 基本称职 four years ago does not", {"grades": {2022: "basically_competent"}}, TOWNSHIP_HEAD, "R8.grades",
     "pass"),
    ("R8: 不称职 last year", {"grades": {2025: "incompetent"}}, TOWNSHIP_HEAD, "R8.grades", "fail"),
    ("R8: this year's grade not yet in the window", {"grades": {2026: "basically_competent"}}, TOWNSHIP_HEAD,
     "R8.grades", "pass"),
    ("R8: lobbying", {"lobbying": True}, TOWNSHIP_HEAD, "R8.lobbying", "fail"),
    ("R8: spouse emigrated", {"married": True, "spouse_emigrated": True}, TOWNSHIP_HEAD, "R8.emigrated", "fail"),
    ("R8: unmarried, all children emigrated", {"married": False, "children_all_emigrated": True}, TOWNSHIP_HEAD,
     "R8.emigrated", "fail"),
    ("R8: married, children emigrated", {"married": True, "children_all_emigrated": True}, TOWNSHIP_HEAD,
     "R8.emigrated", "pass"),
    ("R13: a check found a problem", {"four_checks": {"file": "done", "personal_matters_report": "problem"}},
     TOWNSHIP_HEAD, "R13.checks", "fail"),
    ("R13: checks not yet run are pending at entry", {"four_checks": {}}, TOWNSHIP_HEAD, "R13.checks", "pending"),
    ("R13: personal-matters discrepancy", {"personal_matters": "discrepancy"}, TOWNSHIP_HEAD, "R13.checks", "fail"),
    ("R13: substantiated problem file", {"substantiated_problems": ("2026-03-01 信访反映：违规收受礼金",)},
     TOWNSHIP_HEAD, "R13.problems", "fail"),
    ("R25: admonishment exactly 6 months ago", {"sanctions": (core.Sanction("admonishment", dt.date(2026, 5, 27)),)},
     TOWNSHIP_HEAD, "R25.sanctions", "pass"),
    ("R25: admonishment a day inside 6 months", {"sanctions": (core.Sanction("admonishment", dt.date(2026, 5, 28)),)},
     TOWNSHIP_HEAD, "R25.sanctions", "fail"),
    ("R25: serious warning 18 months", {"sanctions": (core.Sanction("party_serious_warning", dt.date(2025, 6, 1)),)},
     TOWNSHIP_HEAD, "R25.sanctions", "fail"),
    ("R25: demotion 24 months over", {"sanctions": (core.Sanction("gov_demotion", dt.date(2024, 11, 27)),)},
     TOWNSHIP_HEAD, "R25.sanctions", "pass"),
]


@pytest.mark.parametrize("name,over,post,item,expected", CASES, ids=[c[0] for c in CASES])
def test_rule_table(name, over, post, item, expected):
    results = run(base_facts(**over), post)
    assert outcome(results, item) == expected
    assert core.passed(results) == (expected != "fail") or any(
        r.outcome == "fail" for r in results if r.item != item)


def test_pending_checks_fail_at_decision_time():
    facts = base_facts(four_checks={"file": "done"})
    assert outcome(run(facts), "R13.checks") == "pending"
    assert core.passed(run(facts))
    assert outcome(run(facts, moment="decision"), "R13.checks") == "fail"
    assert not core.passed(run(facts, moment="decision"))


def test_notice_age_requirement_boundary():
    post = dataclasses.replace(TOWNSHIP_HEAD, max_age=41)
    assert outcome(run(base_facts(birth=dt.date(1985, 11, 27)), post), "notice.age") == "pass"   # 41 today
    assert outcome(run(base_facts(birth=dt.date(1985, 11, 26)), post), "notice.age") == "pass"   # 41 and a day
    assert outcome(run(base_facts(birth=dt.date(1984, 11, 27)), post), "notice.age") == "fail"   # 42 today


def test_notice_raises_the_education_bar():
    post = dataclasses.replace(TOWNSHIP_HEAD, min_education="master")
    assert outcome(run(base_facts(education="bachelor"), post), "R1.education") == "fail"


# ---- R2 exceptions ------------------------------------------------------------------------------

APPROVED = core.ExceptionRequest(reason="脱贫攻坚中实绩突出", approval="市委组织部 市组字〔2026〕12号")
SHORT_TENURE = {"rank_since": dt.date(2025, 6, 1)}


def test_without_an_exception_r2_is_not_applicable():
    assert outcome(run(), "R2.exception") == "na"


def test_an_approved_exception_waives_years_rules():
    results = run(base_facts(**SHORT_TENURE), exception=APPROVED)
    assert outcome(results, "R1.tenure") == "exception"
    assert outcome(results, "R2.exception") == "pass"
    assert core.passed(results)
    r2 = [r for r in results if r.item == "R2.exception"][0]
    assert "市委组织部" in r2.reason and "脱贫攻坚" in r2.reason


@pytest.mark.parametrize("exception,over,why", [
    (core.ExceptionRequest(reason="", approval="市委组织部"), SHORT_TENURE, "未记录破格理由"),
    (core.ExceptionRequest(reason="实绩突出", approval=""), SHORT_TENURE, "未经上级组织部门同意"),
    (APPROVED, {**SHORT_TENURE, "probation_end": dt.date(2026, 12, 31)}, "任职试用期未满"),
    (APPROVED, {"rank_since": dt.date(2026, 1, 1), "last_promotion": dt.date(2026, 1, 1)}, "提拔任职不满一年"),
    (APPROVED, {"rank_level": 0}, "不得越两级提拔"),
], ids=["no reason", "no approval", "in probation", "promoted within a year", "across two levels"])
def test_an_exception_is_refused(exception, over, why):
    results = run(base_facts(**over), exception=exception)
    r2 = [r for r in results if r.item == "R2.exception"][0]
    assert r2.outcome == "fail" and why in r2.reason
    assert not core.passed(results)


def test_exactly_one_year_after_promotion_an_exception_is_allowed():
    results = run(base_facts(rank_since=dt.date(2025, 11, 27), last_promotion=dt.date(2025, 11, 27)),
                  exception=APPROVED)
    assert outcome(results, "R2.exception") == "pass"


def test_skipping_one_level_is_possible_only_as_an_approved_exception():
    facts = base_facts(rank_level=10, rank_since=dt.date(2018, 1, 1))
    assert outcome(run(facts), "R1.step") == "fail"
    results = run(facts, exception=APPROVED)
    assert outcome(results, "R1.step") == "exception" and core.passed(results)


def test_an_exception_does_not_waive_education():
    results = run(base_facts(education="senior", **SHORT_TENURE), exception=APPROVED)
    assert outcome(results, "R1.education") == "fail"
    assert not core.passed(results)


def test_rule_parameters_come_from_data_not_code():
    rules = dict(RULES)
    rules["R8"] = core.RuleSpec(params={**RULES["R8"].params, "grade_window_years": 4}, name="R8", source="x")
    facts = base_facts(grades={2022: "basically_competent"})
    assert outcome(core.evaluate(facts, TOWNSHIP_HEAD, rules, on=ON), "R8.grades") == "fail"


def test_education_order_matches_people_models():
    from gongxin.people.models import EDUCATION_ORDER

    assert core.EDUCATION_ORDER == sorted(EDUCATION_ORDER, key=EDUCATION_ORDER.get)


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)), st.integers(0, 400))
def test_add_months_is_monotonic_and_clamped(day, months):
    later = core.add_months(day, months)
    assert later >= day
    assert later.day <= day.day
    assert (later.year - day.year) * 12 + later.month - day.month == months


@given(st.integers(0, 40 * 365), st.integers(0, 40 * 365))
def test_work_years_check_is_monotonic_in_start_date(a, b):
    """Starting work earlier never turns a pass into a fail."""
    early, late = sorted([ON - dt.timedelta(days=a), ON - dt.timedelta(days=b)])
    r_early = outcome(run(base_facts(work_started=early)), "R1.work")
    r_late = outcome(run(base_facts(work_started=late)), "R1.work")
    assert not (r_late == "pass" and r_early == "fail")


@pytest.mark.parametrize(("params", "start", "months", "last_day"), [
    ({"probation_months": 12}, dt.date(2026, 4, 1), 12, dt.date(2027, 3, 31)),
    ({"probation_years": 2}, dt.date(2026, 4, 1), 24, dt.date(2028, 3, 31)),
    ({}, dt.date(2024, 2, 29), 12, dt.date(2025, 2, 27)),  # 29 Feb + 1 year = 28 Feb; the day before
])
def test_r18_probation_read_once_for_every_app(params, start, months, last_day):
    """Cases, publicity and the demo all read R18 through these two functions."""
    from gongxin.cases.eligibility import probation_end, probation_months

    assert probation_months(params) == months
    assert probation_end(start, months) == last_day


@pytest.mark.parametrize(("post", "rank", "promoted"), [
    ((20, True), (10, True), True),      # 一级科员 to 副科级
    ((20, True), (20, False), True),     # 四级主任科员 to 副科级: the first leading post
    ((20, True), (20, True), False),     # 副科级 to 副科级: a move
    ((20, True), (30, False), False),    # 一级主任科员 to 副科级: not up
    ((20, False), (20, False), False),   # a grade to a grade of the same level
    ((10, False), None, True),           # no rank yet
])
def test_r18_promotion_is_a_higher_level_or_a_first_leading_post(post, rank, promoted):
    assert core.is_promotion(*post, *(rank or (None, None))) is promoted


# ---- R1 applies to leadership posts only (issue 15) ---------------------------------------------

FUKE_LEADING = core.PostRequirement(title="李庄镇副镇长", rank_level=20)
GUJI_MIDDLE = core.PostRequirement(title="县财政局预算股股长", rank_level=10, is_leading=False)
# One cadre: a 科员 two years into work, one year at the grassroots, with 大专 missing (高中).
NEWCOMER = {"work_started": dt.date(2024, 11, 27), "grassroots_days": 365, "rank_level": 10,
            "rank_since": dt.date(2025, 6, 1), "education": "senior"}


@pytest.mark.parametrize("post,item,expected", [
    (FUKE_LEADING, "R1.work", "fail"),
    (FUKE_LEADING, "R1.grassroots", "fail"),
    (FUKE_LEADING, "R1.tenure", "fail"),
    (FUKE_LEADING, "R1.education", "fail"),
    (GUJI_MIDDLE, "R1.tenure", "na"),
], ids=["副科 leading: work", "副科 leading: grassroots", "副科 leading: tenure", "副科 leading: education",
        "股级 middle: no leadership tenure"])
def test_the_leadership_r1_row_applies_to_the_leading_post_and_not_to_the_middle_post(post, item, expected):
    results = run(base_facts(**NEWCOMER), post=post)
    assert outcome(results, item) == expected


def test_a_middle_post_takes_no_leadership_r1_check_and_the_same_cadre_passes():
    facts = base_facts(**NEWCOMER)
    assert core.r1_variant(FUKE_LEADING) == "section" and core.r1_variant(GUJI_MIDDLE) == core.NON_LEADING
    assert not core.passed(run(facts, post=FUKE_LEADING))
    middle = run(facts, post=GUJI_MIDDLE)
    assert core.passed(middle)
    assert not [r for r in middle if r.code == "R1" and r.outcome != "na"]


def test_a_county_row_for_non_leading_posts_is_read_when_the_county_adds_one():
    rules = {**RULES, f"R1/{core.NON_LEADING}": core.RuleSpec(
        params={"min_work_years": 3, "lower_head_before_deputy_years": 1}, name="中层岗位任职条件", source="本县规定")}
    results = core.evaluate(base_facts(**NEWCOMER), GUJI_MIDDLE, rules, on=ON)
    work = next(r for r in results if r.item == "R1.work")
    assert work.outcome == "fail" and work.source == "本县规定"
    assert outcome(results, "R1.tenure") == "pass"  # step 0 (科员 to a 科员-level middle post)


def test_a_middle_post_in_the_database_is_not_leading(db):
    from gongxin.cases.facts import post_requirement
    from gongxin.people.models import OrgUnit, Post, PostKind, Rank

    unit = OrgUnit(name="县财政局", kind="department")
    rank = Rank.objects.get(code="yiji_keyuan")
    middle = Post(org_unit=unit, title="预算股股长", rank=rank, kind=PostKind.MIDDLE)
    leading = Post(org_unit=unit, title="副局长", rank=Rank.objects.get(code="fuke"), kind=PostKind.LEADERSHIP)
    assert post_requirement(middle).is_leading is False
    assert post_requirement(leading).is_leading is True
