"""R15 arithmetic (pure): quorum ≥ 2/3 of members, pass with more than half of all members."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongxin.cases.decision_core import needed_to_pass, quorum_met, tally

MEMBERS = list(range(1, 10))  # 9 members


@pytest.mark.parametrize("members,present,met", [
    (9, 6, True),    # exactly 2/3
    (9, 5, False),
    (10, 7, True),   # 6.67 → 7 needed
    (10, 6, False),
    (3, 2, True),
    (0, 0, False),
])
def test_quorum_boundary(members, present, met):
    assert quorum_met(members, present, "2/3") is met


@pytest.mark.parametrize("base,needed", [(9, 5), (10, 6), (11, 6), (1, 1), (2, 2)])
def test_more_than_half_of_all_members(base, needed):
    assert needed_to_pass(base, "1/2") == needed


def test_exactly_half_agreeing_fails():
    members = list(range(10))
    votes = {"A": {m: ("agree" if m < 5 else "disagree") for m in members}}
    t = tally(members=members, present=members, candidates=["A"], votes=votes)
    assert t.candidates[0].agree == 5 and not t.candidates[0].passed
    votes["A"][5] = "agree"
    assert tally(members=members, present=members, candidates=["A"], votes=votes).candidates[0].passed


def test_the_base_is_all_members_not_those_present():
    present = MEMBERS[:6]  # quorum exactly
    votes = {"A": {m: "agree" for m in present[:4]}}
    t = tally(members=MEMBERS, present=present, candidates=["A"], votes=votes)
    assert t.quorum_met
    assert t.candidates[0].agree == 4 and t.candidates[0].needed == 5 and not t.candidates[0].passed


def test_without_quorum_nobody_passes():
    present = MEMBERS[:5]
    t = tally(members=MEMBERS, present=present, candidates=["A"], votes={"A": {m: "agree" for m in present}})
    assert not t.quorum_met and not t.candidates[0].passed


def test_recused_members_do_not_vote_and_are_listed():
    votes = {"A": {m: "agree" for m in MEMBERS}}
    t = tally(members=MEMBERS, present=MEMBERS, candidates=["A"], votes=votes, recused={"A": {1, 2, 3, 4, 5}})
    c = t.candidates[0]
    assert c.recused == [1, 2, 3, 4, 5] and c.agree == 4 and not c.passed
    t2 = tally(members=MEMBERS, present=MEMBERS, candidates=["A"], votes=votes, recused={"A": {1, 2, 3, 4, 5}},
               pass_base="expected_minus_recused")
    assert t2.candidates[0].base == 4 and t2.candidates[0].passed


def test_secret_counts():
    t = tally(members=MEMBERS, present=MEMBERS[:7], candidates=["A", "B"],
              secret_counts={"A": (5, 2, 0), "B": (4, 2, 1)})
    assert [c.passed for c in t.candidates] == [True, False]
    assert t.candidates[1].not_voted == 0


@given(st.integers(1, 60), st.data())
def test_pass_iff_agree_strictly_more_than_half(n, data):
    present = data.draw(st.integers(0, n))
    agree = data.draw(st.integers(0, present))
    members = list(range(n))
    votes = {"A": {m: "agree" for m in members[:agree]}}
    t = tally(members=members, present=members[:present], candidates=["A"], votes=votes)
    assert t.quorum_met == (3 * present >= 2 * n)
    assert t.candidates[0].passed == (t.quorum_met and 2 * agree > n)
