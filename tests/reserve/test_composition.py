"""The composition table (pure): shares, the most specific target, gaps."""

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongxin.reserve.composition import gap, share, table, target_for


def test_share_forms():
    assert share("20%") == Fraction(1, 5) and share("1/3") == Fraction(1, 3) and share(0.25) == Fraction(1, 4)


def test_most_specific_target_wins():
    targets = {(None, "", "women"): Fraction(1, 5), (1, "", "women"): Fraction(3, 10),
               (1, "township", "women"): Fraction(2, 5)}
    assert target_for(targets, "women", 1, "township") == Fraction(2, 5)
    assert target_for(targets, "women", 1, "department") == Fraction(3, 10)
    assert target_for(targets, "women", 2, "township") == Fraction(1, 5)
    assert target_for(targets, "non_party", 2, "township") is None


def test_table_gap_and_totals():
    groups = [{"tier": 1, "unit_kind": "township", "total": 10, "women": 1, "ready_soon": 4},
              {"tier": 1, "unit_kind": "department", "total": 5, "women": 2, "ready_soon": 0},
              {"tier": 2, "unit_kind": "township", "total": 9, "women": 3, "ready_soon": 3}]
    rows = table(groups, {(None, "", "women"): Fraction(1, 5), (None, "", "ready_soon"): Fraction(1, 3)})
    keys = [(r.tier, r.unit_kind) for r in rows]
    assert keys == [(1, "department"), (1, "township"), (1, ""), (2, "township"), (2, ""), (None, "")]
    township1 = rows[1]
    women = township1.cells[0]
    assert (women.count, women.gap, women.below) == (1, 1, True)       # 10 × 20% = 2, has 1
    ready = [c for c in township1.cells if c.measure == "ready_soon"][0]
    assert (ready.gap, ready.below) == (0, False)                      # ceil(10/3) = 4, has 4
    tier2_ready = [c for c in rows[3].cells if c.measure == "ready_soon"][0]
    assert tier2_ready.gap == 0                                         # 9/3 = 3 exactly: met
    assert rows[-1].total == 24 and rows[-1].cells[0].count == 6


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 500), st.integers(1, 500), st.fractions(0, 1, max_denominator=100))
def test_gap_closes_the_target(count, total, target):
    count = min(count, total)
    g = gap(count, total, target)
    assert g >= 0
    assert Fraction(count + g, total) >= target
    if g:
        assert Fraction(count + g - 1, total) < target
