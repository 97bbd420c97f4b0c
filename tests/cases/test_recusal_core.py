"""Recusal over a relations graph (R19–R20), pure."""

from hypothesis import given
from hypothesis import strategies as st

from gongxin.cases.recusal_core import BLOOD, Edge, RelationGraph, classify, recusals

# 1 张 ─spouse─ 2 王 ─brother─ 3 王弟 ;  4 ─cousin─ 5 ;  6 ─father→ 7 ─brother─ 8 ─son→ 9
# 10 is the direct superior of 1.  11 is a stranger.
EDGES = [Edge(1, 2, "spouse"), Edge(2, 3, "brother"), Edge(4, 5, "cousin"), Edge(6, 7, "father"),
         Edge(7, 8, "brother"), Edge(8, 9, "son"), Edge(12, 13, "social")]
SUPERIORS = {(10, 1)}


def codes(person, candidate, **kw):
    return [r.code for r in recusals(person, candidate, EDGES, SUPERIORS, **kw)]


def test_spouse():
    assert codes(1, 2) == ["spouse"] and codes(2, 1) == ["spouse"]


def test_cousin_recorded_directly():
    assert codes(4, 5) == ["collateral3"] and codes(5, 4) == ["collateral3"]


def test_spouses_sibling_found_through_the_graph():
    assert codes(1, 3) == ["in_law"]
    assert codes(3, 1) == ["in_law"]
    reason = recusals(1, 3, EDGES)[0]
    assert "近姻亲" in reason.text and "配偶 → 兄弟" in reason.text


def test_cousin_through_father_and_uncle():
    assert codes(6, 9) == ["collateral3"]
    assert codes(6, 8) == ["collateral3"]  # uncle
    assert codes(7, 9) == ["collateral3"]  # nephew


def test_lineal():
    assert codes(6, 7) == ["lineal"] and codes(7, 6) == ["lineal"]


def test_direct_superior_and_subordinate():
    assert codes(10, 1) == ["superior"]
    assert codes(1, 10) == ["subordinate"]
    assert codes(10, 1, superior_subordinate=False) == []


def test_strangers_and_social_relations_need_not_recuse():
    assert codes(11, 1) == []
    assert codes(12, 13) == []
    assert codes(1, 4) == []


def test_self():
    assert codes(1, 1) == ["self"]


def test_degrees_are_configurable():
    assert codes(1, 3, degrees=["spouse", "lineal", "collateral3"]) == []


def test_second_cousins_are_beyond_three_generations():
    edges = [Edge(1, 2, "cousin"), Edge(2, 3, "son")]  # cousin's child: (2, 3)
    assert recusals(1, 3, edges) == []


@given(st.sampled_from(sorted(BLOOD)))
def test_blood_relations_are_symmetric(kind):
    g = RelationGraph([Edge(1, 2, kind)])
    assert [r.code for r in g.recusals(1, 2)] == [r.code for r in g.recusals(2, 1)]
    assert classify(("blood", *BLOOD[kind])) in ("lineal", "collateral3")


@given(st.lists(st.tuples(st.integers(1, 8), st.integers(1, 8),
                          st.sampled_from(["spouse", "father", "son", "brother", "cousin", "sibling_in_law"])),
                max_size=14), st.integers(1, 8), st.integers(1, 8))
def test_recusal_is_symmetric_for_kinship(edges, a, b):
    g = RelationGraph([Edge(x, y, k) for x, y, k in edges])
    left = {r.code for r in g.kinship(a, b)}
    right = {r.code for r in g.kinship(b, a)}
    assert left == right
