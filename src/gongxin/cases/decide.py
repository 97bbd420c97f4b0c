"""The eligibility engine's verdict without its explanations (pure: imports nothing from
Django). ``Evaluator.__call__`` writes one RuleResult per check, with its reason; screening a
county's cadres only needs to know who passes, so ``decide`` makes the same decision from the
same precomputed rule parameters and builds nothing. The explanations are built afterwards,
only for the cadres shown. A property test (tests/cases/test_bulk_eligibility.py) checks that
``decide(ev, facts) == passed(ev(facts))`` on generated facts."""

from __future__ import annotations

from .eligibility import (
    DEFAULT_RANK_LEVEL,
    EDUCATION_ORDER,
    LEVEL_STEP,
    CadreFacts,
    Evaluator,
    add_months,
    add_years,
    full_years,
)

_EDUCATION_INDEX = {e: i for i, e in enumerate(EDUCATION_ORDER)}


def decide(ev: Evaluator, facts: CadreFacts) -> bool:
    """True when ``ev(facts)`` (no 破格 request) has no failed check."""
    on, post = ev.on, ev.post
    if ev.need_work and (facts.work_started is None or on < add_years(facts.work_started, ev.need_work)):
        return False
    if ev.need_grassroots and facts.grassroots_days < ev.need_grassroots * 365:
        return False
    level = facts.rank_level if facts.rank_level is not None else DEFAULT_RANK_LEVEL
    step = post.rank_level - level
    if step > 0:
        if step != LEVEL_STEP:
            return False
        if ev.tenure_years and (facts.rank_since is None or on < add_years(facts.rank_since, ev.tenure_years)):
            return False
    if ev.min_edu and _EDUCATION_INDEX.get(facts.education, -1) < ev.min_edu_index:
        return False
    if ev.need_party and (facts.party_joined is None or on < add_years(facts.party_joined, ev.need_party)):
        return False
    if post.max_age is not None and full_years(facts.birth, on) > post.max_age:
        return False
    if facts.recommended_on is not None and on > add_months(facts.recommended_on, ev.valid_months):
        return False
    years, barred = ev.grade_years, ev.barred
    for year, grade in facts.grades.items():
        if grade in barred and year in years:
            return False
    if ev.bar_lobbying and facts.lobbying:
        return False
    if ev.bar_emigrated and ((facts.married and facts.spouse_emigrated)
                             or (facts.married is False and facts.children_all_emigrated)):
        return False
    states = facts.four_checks
    discrepancy = facts.personal_matters == "discrepancy"
    for check in ev.checks:
        state = "problem" if discrepancy and check == "personal_matters_report" else states.get(check)
        if state == "problem" or (ev.moment == "decision" and state != "done"):
            return False
    if facts.substantiated_problems:
        return False
    bars = ev.bars
    for s in facts.sanctions:
        if s.pending:
            return False
        months = s.months if s.months is not None else int(bars.get(s.kind, 12))
        if s.imposed_on <= on < add_months(s.imposed_on, months):
            return False
    return True
