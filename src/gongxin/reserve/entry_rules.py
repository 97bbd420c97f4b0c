"""R24 entry check for the reserve pool, on the eligibility engine (``gongxin.cases.eligibility``).
Pure: imports nothing from Django.

Age at entry and education are R24's own items; the R8 bars (grades in the window, lobbying,
emigrated family), problem files (substantiated, or still open) and R25 sanctions come from
the engine's own checks, run with R24's grade window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from gongxin.cases import eligibility as core
from gongxin.cases.eligibility import FAIL, N_, PASS, RuleResult, RuleSpec

# The engine's items that bar entry into the pool (R13.checks only when it fails on a problem:
# at entry a check not yet run is pending, never a failure).
ENGINE_ITEMS = ("R8.grades", "R8.lobbying", "R8.emigrated", "R13.checks", "R13.problems", "R25.sanctions")
NEUTRAL_POST = core.PostRequirement(title="", rank_level=0)


def check_entry(facts: core.CadreFacts, rules: Mapping[str, RuleSpec], *, on: dt.date) -> list[RuleResult]:
    """One RuleResult per check. ``rules`` holds "R24" and the engine's "R8", "R13", "R25"."""
    r24 = rules.get("R24") or RuleSpec({}, "R24")
    p = r24.params
    out: list[RuleResult] = []

    def add(item, outcome, message, **args):
        out.append(RuleResult("R24", item, r24.name, outcome, message, args, r24.source))

    max_age = p.get("max_entry_age")
    if max_age is not None:
        age = core.full_years(facts.birth, on)
        add("R24.age", PASS if age <= int(max_age) else FAIL,
            N_("入库时 %(age)s 岁，不超过 %(max)s 岁") if age <= int(max_age) else
            N_("入库时 %(age)s 岁，超过 %(max)s 岁的入库年龄上限"), age=age, max=max_age)
    need = p.get("min_education")
    if need:
        order = core.EDUCATION_ORDER
        have = order.index(facts.education) if facts.education in order else -1
        ok = have >= order.index(need)
        add("R24.education", PASS if ok else FAIL,
            N_("学历为%(have)s，要求%(need)s以上") if ok else N_("学历为%(have)s，低于%(need)s"),
            have=core.EDUCATION_LABEL.get(facts.education, "未填写"), need=core.EDUCATION_LABEL[need])

    r8 = rules.get("R8") or RuleSpec({}, "R8")
    r8_params = dict(r8.params)
    for key in ("grade_window_years", "barred_grades"):
        if key in p:
            r8_params[key] = p[key]
    engine_rules = {"R8": RuleSpec(r8_params, r8.name, r8.source)}
    for code in ("R13", "R25"):
        if code in rules:
            engine_rules[code] = rules[code]
    results = core.evaluate(facts, NEUTRAL_POST, engine_rules, on=on, moment="entry")
    bar_open = p.get("bar_open_problem_files", True)
    for r in results:
        if r.item not in ENGINE_ITEMS:
            continue
        if r.item == "R13.checks" and (r.outcome != FAIL or not bar_open):
            continue
        out.append(r)
    return out


def passed(results: list[RuleResult]) -> bool:
    return all(r.outcome != FAIL for r in results)


def add_months(day: dt.date, months: int) -> dt.date:
    return core.add_months(day, months)
