"""The scoring core against hand-computed examples, and its properties (hypothesis)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongxin.assessment import scoring as sc

GDP = sc.Indicator("gdp_growth", "GDP 增速", 0.5, sc.HIGHER, floor=0, target=10)
ENERGY = sc.Indicator("energy", "单位 GDP 能耗", 0.3, sc.LOWER, floor=1.0, target=0.5)
INCOME = sc.Indicator("income", "居民收入增速", 0.2, sc.HIGHER, floor=2, target=12)
SYSTEM = [GDP, ENERGY, INCOME]


def test_a_hand_computed_score_decomposes_into_indicator_times_weight():
    # GDP 8% → 0.8 × 0.5 = 0.40; energy 0.6 → (1.0−0.6)/(1.0−0.5) = 0.8 × 0.3 = 0.24;
    # income 7% → (7−2)/10 = 0.5 × 0.2 = 0.10; raw 0.74; coefficient 1.1 → 0.814.
    result = sc.score(SYSTEM, {"gdp_growth": 8, "energy": 0.6, "income": 7}, coefficient=1.1)
    assert [round(line.contribution, 12) for line in result.lines] == [0.4, 0.24, 0.1]
    assert [round(line.normalised, 12) for line in result.lines] == [0.8, 0.8, 0.5]
    assert round(result.raw, 12) == 0.74
    assert round(result.adjusted, 12) == 0.814


def test_values_beyond_the_benchmarks_are_clamped_and_missing_values_score_zero():
    result = sc.score(SYSTEM, {"gdp_growth": 25, "energy": 2.0})
    assert [line.normalised for line in result.lines] == [1.0, 0.0, 0.0]
    assert result.missing == ["income"]


@pytest.mark.parametrize("weights", [(0.5, 0.3, 0.3), (0.5, 0.3, 0.1), (1.0, 0.0, 0.0)])
def test_weights_that_do_not_sum_to_one_or_are_zero_are_refused(weights):
    system = [sc.Indicator(i.code, i.name, w, i.direction, i.floor, i.target) for i, w in zip(SYSTEM, weights, strict=True)]
    with pytest.raises(sc.ScoringError) as err:
        sc.score(system, {})
    assert err.value.code in {"assessment.weights_sum", "assessment.bad_weight"}


def test_a_benchmark_that_points_the_wrong_way_is_refused():
    bad = [sc.Indicator("x", "某指标", 1.0, sc.LOWER, floor=0, target=10)]
    assert [p[0] for p in sc.check_indicators(bad)] == ["assessment.bad_benchmark"]


values = st.floats(min_value=-50, max_value=50, allow_nan=False)
row = st.fixed_dictionaries({"gdp_growth": values, "energy": st.floats(0, 2), "income": values})


@settings(max_examples=60, deadline=None)
@given(st.lists(row, min_size=1, max_size=12), row)
def test_adding_a_unit_never_changes_another_units_score_or_their_order(rows, newcomer):
    before = [sc.score(SYSTEM, r).adjusted for r in rows]
    after = [sc.score(SYSTEM, r).adjusted for r in [*rows, newcomer]]
    assert after[:-1] == before
    order_before = sorted(range(len(rows)), key=lambda i: (-before[i], i))
    order_after = [i for i in sorted(range(len(after)), key=lambda i: (-after[i], i)) if i < len(rows)]
    assert order_after == order_before


@settings(max_examples=60, deadline=None)
@given(row)
def test_a_coefficient_of_one_changes_nothing(r):
    result = sc.score(SYSTEM, r, coefficient=1.0)
    assert result.adjusted == result.raw


@settings(max_examples=30, deadline=None)
@given(st.lists(row, min_size=1, max_size=20), st.lists(st.floats(0.5, 1.5), min_size=20, max_size=20))
def test_the_bulk_path_gives_the_one_row_numbers(rows, coefficients):
    coefficients = coefficients[: len(rows)]
    matrix = [[r["gdp_growth"], r["energy"], r["income"]] for r in rows]
    contributions, raw, adjusted = sc.score_matrix(SYSTEM, matrix, coefficients)
    for i, r in enumerate(rows):
        one = sc.score(SYSTEM, r, coefficient=coefficients[i])
        assert math.isclose(raw[i], one.raw, abs_tol=1e-12)
        assert math.isclose(adjusted[i], one.adjusted, abs_tol=1e-12)
        assert np.allclose(contributions[i], [line.contribution for line in one.lines])


def test_missing_values_in_the_bulk_path_score_zero():
    _, raw, _ = sc.score_matrix(SYSTEM, [[float("nan"), 0.5, 12]])
    assert math.isclose(raw[0], 0.3 + 0.2)


def test_ranks_share_a_place_on_equal_scores():
    assert sc.ranks([0.5, 0.9, 0.5, 0.1]) == [2, 1, 2, 4]


def test_sensitivity_reweights_keep_the_sum_at_one_and_drop_removes_the_indicator():
    up = sc.reweighted(SYSTEM, "gdp_growth", 1.1)
    assert math.isclose(sum(i.weight for i in up), 1.0)
    assert math.isclose(up[0].weight, 0.55)
    dropped = sc.reweighted(SYSTEM, "energy", 0.0)
    assert [i.code for i in dropped] == ["gdp_growth", "income"]
    assert math.isclose(sum(i.weight for i in dropped), 1.0)


def test_sensitivity_shows_who_moves():
    rows = [{"gdp_growth": 10, "energy": 1.0, "income": 2},   # 0.5 + 0 + 0 = 0.5
            {"gdp_growth": 0, "energy": 0.5, "income": 4}]    # 0 + 0.3 + 0.2 × 0.2 = 0.34
    assert sc.ranks([sc.score(SYSTEM, r).adjusted for r in rows]) == [1, 2]
    scenarios = {(s.indicator, s.kind): s.ranks for s in sc.sensitivity(SYSTEM, rows)}
    assert scenarios[("gdp_growth", "up")] == (1, 2)     # 0.55 against 0.306
    assert scenarios[("gdp_growth", "drop")] == (2, 1)   # 0 against 0.68
    assert len(scenarios) == 9                           # three indicators × up, down, drop


def test_ahp_weights_of_a_consistent_matrix_and_an_inconsistent_one():
    consistent = [[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]]
    result = sc.ahp(consistent)
    assert [round(w, 6) for w in result.weights] == [round(4 / 7, 6), round(2 / 7, 6), round(1 / 7, 6)]
    assert result.consistency_ratio < 1e-9 and result.acceptable
    inconsistent = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
    assert not sc.ahp(inconsistent).acceptable


def test_ahp_refuses_a_matrix_that_is_not_reciprocal():
    with pytest.raises(sc.ScoringError) as err:
        sc.ahp([[1, 2], [2, 1]])
    assert err.value.code == "assessment.ahp_reciprocal"


@pytest.mark.parametrize(("people", "team", "allowed"), [
    (20, "", 5), (21, "", 5), (24, "", 6), (10, "excellent", 3), (10, "average", 2), (20, "poor", 3), (3, "", 0),
])
def test_the_excellent_cap_of_r23(people, team, allowed):
    shares = {"excellent_share": "25%", "team_excellent_share": "30%", "team_average_share": "20%",
              "team_poor_share": "15%"}
    assert sc.excellent_cap(people, team_rating=team, shares=shares).allowed == allowed


@settings(max_examples=25, deadline=None)
@given(st.lists(row, min_size=1, max_size=8), st.floats(0, 1))
def test_sensitivity_ranks_equal_scoring_the_reweighted_system(rows, weight):
    publics = [0.5] * len(rows)
    for scenario in sc.sensitivity(SYSTEM, rows, None, publics, public_weight=weight):
        factor = {"up": 1.1, "down": 0.9, "drop": 0.0}[scenario.kind]
        system = sc.reweighted(SYSTEM, scenario.indicator, factor)
        expected = sc.ranks(sc.totals(system, rows, None, publics, public_weight=weight))
        assert list(scenario.ranks) == expected
