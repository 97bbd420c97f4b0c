"""The pure checks in gongxin.inspection.workflow: no database."""

import ast
import datetime as dt
from fractions import Fraction
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from gongxin.inspection import workflow as w

ON = dt.date(2026, 6, 1)
VALID = w.Cert(issued=dt.date(2025, 1, 1), expires=dt.date(2027, 12, 31))
EXPIRED = w.Cert(issued=dt.date(2020, 1, 1), expires=dt.date(2022, 12, 31))


def member(name, certs=(VALID,), recusal=None, inspector=True):
    return w.MemberFacts(name=name, is_inspector=inspector, certificates=tuple(certs), recusal=recusal)


def codes(problems):
    return [code for code, _ in problems]


def test_pure_module_imports_no_django():
    tree = ast.parse(Path(w.__file__).read_text())
    imported = {n.names[0].name for n in ast.walk(tree) if isinstance(n, ast.Import)}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not [m for m in imported if m.split(".")[0] in {"django", "gongxin"}]


def test_a_certified_pair_with_one_leader_may_form_a_team():
    assert w.team_problems([member("甲"), member("乙")], leaders=1, min_members=2, on=ON) == []


def test_uncertified_expired_and_recused_members_are_refused_by_name():
    problems = w.team_problems([member("甲"), member("乙", certs=()), member("丙", certs=(EXPIRED,)),
                                member("丁", recusal="配偶")], leaders=1, min_members=2, on=ON)
    assert problems == [("team.uncertified", {"name": "乙"}),
                        ("team.certificate_expired", {"name": "丙", "date": dt.date(2022, 12, 31)}),
                        ("team.recused", {"name": "丁", "reason": "配偶"})]


def test_one_person_team_and_leader_count():
    assert codes(w.team_problems([member("甲")], leaders=1, min_members=2, on=ON)) == ["team.too_small"]
    assert codes(w.team_problems([member("甲"), member("乙")], leaders=0, min_members=2, on=ON)) == ["team.leader_count"]
    assert codes(w.team_problems([member("甲"), member("乙")], leaders=1, min_members=3, on=ON)) == ["team.too_small"]


def test_certificate_valid_on_its_last_day_and_not_the_next():
    assert w.certificate_state((VALID,), dt.date(2027, 12, 31))[0] == "valid"
    assert w.certificate_state((VALID,), dt.date(2028, 1, 1)) == ("expired", dt.date(2027, 12, 31))
    assert w.certificate_state((w.Cert(VALID.issued, VALID.expires, revoked=True),), ON)[0] == "revoked"
    assert w.certificate_state((), ON) == ("none", None)
    # a renewed certificate counts even if an older one lapsed
    assert w.certificate_state((EXPIRED, VALID), ON)[0] == "valid"


def test_certify_needs_training_and_a_pass():
    assert w.can_certify(1, 75, 60) == []
    assert codes(w.can_certify(0, 75, 60)) == ["certificate.no_training"]
    assert codes(w.can_certify(1, None, 60)) == ["certificate.no_exam"]
    assert codes(w.can_certify(1, 59, 60)) == ["certificate.exam_failed"]
    assert w.can_certify(1, 60, 60) == []


def test_coverage_figure():
    assert w.coverage(3, 5) == (3, 5, 60)
    assert w.coverage(0, 0) == (0, 0, 0)
    assert w.coverage(2, 3) == (2, 3, 66)


@given(st.integers(0, 500), st.integers(0, 500))
def test_coverage_is_within_bounds(a, b):
    visited, total = min(a, b), max(a, b)
    _v, _t, percent = w.coverage(visited, total)
    assert 0 <= percent <= 100
    assert (percent == 100) == (total > 0 and visited == total) or total == 0


@given(st.lists(st.integers(0, 200), min_size=4, max_size=4))
def test_vote_shares_sum_to_one_when_anyone_voted(counts):
    shares = w.vote_shares(dict(zip(w.GRADES, counts, strict=True)))
    total = sum(shares.values())
    assert total == (1 if sum(counts) else 0)
    for grade, n in zip(w.GRADES, counts, strict=True):
        assert shares[grade] == (Fraction(n, sum(counts)) if sum(counts) else 0)


def test_percent_text_rounds_half_up():
    assert w.percent_text(Fraction(1, 3)) == "33.3%"
    assert w.percent_text(Fraction(2, 3)) == "66.7%"
    assert w.percent_text(Fraction(1, 1)) == "100.0%"


DEPTS = ["纪委监委", "政法委", "审计局", "卫健委", "信访局"]


def test_review_passes_only_when_every_department_is_clear():
    clear = [w.RequestFacts(d, "clear") for d in DEPTS]
    assert w.review_problems(clear, DEPTS) == []
    silent = clear[:2] + [w.RequestFacts("审计局", "pending")] + clear[3:]
    assert w.review_problems(silent, DEPTS) == [("review.silent", {"department": "审计局"})]
    assert w.review_problems([], DEPTS) == [("review.not_sent", {})]


def test_problem_blocks_until_found_unsubstantiated():
    base = [w.RequestFacts(d, "clear") for d in DEPTS[:4]]
    assert codes(w.review_problems(base + [w.RequestFacts("信访局", "problem")], DEPTS)) == ["review.problem_open"]
    assert codes(w.review_problems(base + [w.RequestFacts("信访局", "problem", "substantiated")], DEPTS)) == [
        "review.problem_substantiated"]
    assert w.review_problems(base + [w.RequestFacts("信访局", "problem", "unsubstantiated")], DEPTS) == []
    assert codes(w.review_problems(base + [w.RequestFacts("信访局", "needs_verification")], DEPTS)) == [
        "review.needs_verification"]
    assert codes(w.review_problems(base + [w.RequestFacts("信访局", "pending", overdue=True)], DEPTS)) == [
        "review.silent_overdue"]


def test_a_department_added_later_must_be_asked():
    clear = [w.RequestFacts(d, "clear") for d in DEPTS]
    assert w.review_problems(clear, DEPTS + ["住建局"]) == [("review.not_asked", {"department": "住建局"})]


def test_missing_checks_in_order():
    assert w.missing_checks({"file", "complaints"}) == ["personal_matters_report", "discipline_opinion"]
    assert w.missing_checks(set(w.FOUR_CHECKS)) == []
