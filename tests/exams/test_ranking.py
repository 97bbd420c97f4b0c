"""The pure ranking core: ties, absences, disqualifications, the ratio when fewer remain,
weights that do not sum to 1."""

from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongxin.exams import ranking as r

W = [F(3, 5), F(2, 5)]


def ranks(rows):
    return [(row.index, row.rank) for row in rows]


def test_weighted_total_is_exact_and_rounded_half_up():
    # 0.6 × 85.55 + 0.4 × 70.00 = 79.33 exactly; 0.5 × 80.01 + 0.5 × 80.00 = 80.005 → 80.01
    assert r.weighted_total([8555, 7000], W) == 7933
    assert r.weighted_total([8001, 8000], [F(1, 2), F(1, 2)]) == 8001


def test_equal_totals_are_ordered_by_the_declared_tie_order_and_say_so():
    # given two people with the same total 80.00, the second with the better written score
    written = [8000, 8200, 7000]
    interview = [8000, 7700, 9000]
    # when ranked with "written score breaks ties"
    out = r.rank([written, interview], W, tie_order=[0])
    # then the better written score is placed first, and both rows say the tie key decided
    assert r.weighted_total([8200, 7700], W) == r.weighted_total([8000, 8000], W) == 8000
    assert ranks(out) == [(1, 1), (0, 2), (2, 3)]
    assert out[0].decided_by == 0 and out[1].decided_by == 0 and not out[0].tied
    assert out[2].decided_by is None


def test_people_equal_on_every_key_share_a_rank_and_the_next_rank_is_skipped():
    written = [8000, 8000, 9000, 7000]
    interview = [8000, 8000, 9000, 7000]
    out = r.rank([written, interview], W, tie_order=[0, 1])
    assert ranks(out) == [(2, 1), (0, 2), (1, 2), (3, 4)]
    assert out[1].tied and out[2].tied and not out[0].tied


def test_absent_is_not_zero_and_disqualified_is_listed_apart():
    written = [6000, r.ABSENT, 5000, 9900]
    interview = [6000, 9000, 5000, r.DISQUALIFIED]
    out = r.rank([written, interview], W)
    assert ranks(out) == [(0, 1), (2, 2), (1, None), (3, None)]
    assert [o.status for o in out] == ["ranked", "ranked", "absent", "disqualified"]
    # a zero is a score: it is ranked (last), unlike an absence
    out = r.rank([[0, r.ABSENT]], [F(1)])
    assert [(o.index, o.rank, o.total) for o in out] == [(0, 1, 0), (1, None, None)]


def test_disqualification_outweighs_absence_in_another_component():
    out = r.rank([[r.ABSENT], [r.DISQUALIFIED]], W)
    assert out[0].status == "disqualified"


def test_weights_must_sum_to_one():
    assert r.check_weights({"written": "0.6", "interview": "40%"}) == {"written": F(3, 5), "interview": F(2, 5)}
    with pytest.raises(r.InvalidWeights) as exc:
        r.check_weights({"written": "0.6", "interview": "0.5"})
    assert "1.1" in str(exc.value) and "必须等于 1" in str(exc.value)
    with pytest.raises(r.InvalidWeights):
        r.check_weights({"written": "abc"})
    with pytest.raises(r.InvalidWeights):
        r.check_weights({"written": "1", "interview": "0"})
    with pytest.raises(r.InvalidWeights):
        r.check_weights({})
    # thirds sum to 1 exactly (no float drift)
    assert sum(r.check_weights({"a": "1/3", "b": "1/3", "c": "1/3"}).values()) == 1


def test_cut_takes_posts_times_ratio_and_everyone_tied_on_the_line():
    out = r.rank([[9000, 8000, 8000, 7000, 6000]], [F(1)])
    c = r.cut(out, posts=1, ratio=2)
    assert c.selected == [0, 1, 2] and c.tied_at_line == 1 and not c.fewer
    c = r.cut(out, posts=1, ratio=4)
    assert c.selected == [0, 1, 2, 3] and c.tied_at_line == 0


def test_cut_when_fewer_remain_than_the_ratio_takes_all_that_remain():
    # 2 posts at 1:3 → 6 places; 5 sat, 1 absent: the 4 ranked go on, and the cut says fewer
    out = r.rank([[9000, r.ABSENT, 8000, 7000, 6000]], [F(1)])
    c = r.cut(out, posts=2, ratio=3)
    assert c.selected == [0, 2, 3, 4] and c.fewer and c.places == 6 and c.available == 4


def test_parse_score():
    assert r.parse_score("85.5") == 8550
    assert r.parse_score(" 90 ") == 9000
    assert r.parse_score("缺考") == r.ABSENT
    assert r.parse_score("取消资格") == r.DISQUALIFIED
    for bad in ("", "8a", "85.555", "-3", "1000.01"):
        with pytest.raises(ValueError):
            r.parse_score(bad)


def test_core_imports_nothing_from_django():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(r))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not any(x.startswith(("django", "gongxin", "numpy")) for x in names)


score = st.one_of(st.integers(0, 10000), st.sampled_from([r.ABSENT, r.DISQUALIFIED]))


@settings(deadline=None)  # the machine is shared: time is not what this checks
@given(st.lists(st.tuples(score, score, score), min_size=0, max_size=60))
def test_ranking_agrees_with_a_plain_sort(people):
    weights = [F(1, 2), F(3, 10), F(1, 5)]
    cols = [[p[c] for p in people] for c in range(3)]
    out = r.rank(cols, weights, tie_order=[0, 1])
    # every person once
    assert sorted(o.index for o in out) == list(range(len(people)))
    valid = [i for i, p in enumerate(people) if min(p) >= 0]
    key = {i: (r.weighted_total(people[i], weights), people[i][0], people[i][1]) for i in valid}
    ranked = [o for o in out if o.rank is not None]
    assert [o.index for o in ranked] == sorted(valid, key=lambda i: (-key[i][0], -key[i][1], -key[i][2], i))
    for o in ranked:  # rank = 1 + how many are strictly better
        assert o.rank == 1 + sum(1 for j in valid if key[j] > key[o.index])
        assert o.total == key[o.index][0]


# ---- the faster core gives what the previous one gave --------------------------------------------

def _rows(ranked):
    return [(o.index, o.rank, o.total, o.status, o.tied, o.decided_by) for o in ranked]


@st.composite
def exams(draw):
    """A table of 1–3 components (few distinct values, so totals and keys tie often; up to
    MAX_SCORE, so the packed key is sometimes wider than a float holds), exact weights that
    sum to 1, and a tie order that is any arrangement of any of the components."""
    k = draw(st.integers(1, 3))
    top = draw(st.sampled_from([3, 100, 10_000, r.MAX_SCORE]))
    value = st.one_of(st.integers(0, top), st.sampled_from([0, 1, top - 1, top, r.ABSENT, r.DISQUALIFIED]))
    n = draw(st.integers(0, 40))
    cols = [draw(st.lists(value, min_size=n, max_size=n)) for _ in range(k)]
    parts = draw(st.lists(st.integers(1, 1000), min_size=k, max_size=k))
    weights = [F(p, sum(parts)) for p in parts]
    ties = draw(st.permutations(range(k)))[:draw(st.integers(0, k))]
    return cols, weights, ties


@settings(deadline=None, max_examples=400)
@given(exams())
def test_ranking_agrees_with_the_previous_implementation(exam):
    from tests.exams import ranking_before

    cols, weights, ties = exam
    assert sum(weights) == 1 and all(w > 0 for w in weights)
    assert _rows(r.rank(cols, weights, ties)) == _rows(ranking_before.rank(cols, weights, ties))


def test_both_key_representations_agree_with_the_previous_implementation_at_scale():
    # 20,000 people, scores bunched on a few values so that thousands share a total: with two tie
    # keys the packed key fits a float; with three and scores up to 1000.00 it does not (integers)
    import random

    from tests.exams import ranking_before

    rng = random.Random(7)
    for top, ties in ((10_000, [0, 1]), (r.MAX_SCORE, [0, 1, 2]), (10_000, [2, 0])):
        cols = [[rng.choice([r.ABSENT, r.DISQUALIFIED]) if rng.random() < 0.02 else rng.randrange(0, top + 1, top // 20)
                 for _ in range(20_000)] for _c in range(3)]
        weights = [F(1, 2), F(3, 10), F(1, 5)]
        new, old = r.rank_table(cols, weights, ties), ranking_before.rank_table(cols, weights, ties)
        assert (new.order, new.ranks, new.totals, new.tied) == (old.order, old.ranks, old.totals, old.tied)
        assert (new.absent, new.disqualified) == (old.absent, old.disqualified)
        assert new.decided_by == old.decided_by
        assert sum(new.tied) > 100  # the data does tie


@settings(deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10000), st.integers(0, 10000)), min_size=1, max_size=30),
       st.sampled_from([("0.6", "0.4"), ("0.5", "0.5"), ("0.55", "0.45"), ("0.333", "0.667")]))
def test_totals_are_the_decimal_weighted_sum_rounded_half_up(people, weights):
    from decimal import ROUND_HALF_UP, Decimal

    cols = [[p[0] for p in people], [p[1] for p in people]]
    out = r.rank(cols, [r.parse_weight(w) for w in weights], tie_order=[0, 1])
    for o in out:
        exact = sum(Decimal(s) / 100 * Decimal(w) for s, w in zip(people[o.index], weights, strict=True))
        assert Decimal(o.total) / 100 == exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_a_value_that_is_neither_a_score_nor_a_mark_is_refused():
    with pytest.raises(ValueError):
        r.rank([[8000, -3]], [F(1)])
    with pytest.raises(ValueError):
        r.rank([[r.MAX_SCORE + 1]], [F(1)])


def test_a_tie_key_wider_than_a_float_still_decides_by_one_hundredth():
    # three tie keys of scores up to 1000.00 need 68 bits: the key is an integer, not a float, so
    # a third key differing by 0.01 still orders two people with the same total and first two keys
    cols = [[r.MAX_SCORE, r.MAX_SCORE], [r.MAX_SCORE - 1, r.MAX_SCORE - 1], [1, 2]]
    out = r.rank(cols, [F(1, 2), F(3, 10), F(1, 5)], tie_order=[0, 1, 2])
    assert out[0].total == out[1].total
    assert _rows(out) == [(1, 1, out[0].total, "ranked", False, 2), (0, 2, out[0].total, "ranked", False, 2)]
