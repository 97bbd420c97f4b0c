"""The ranking core as it was at commit 26468ec (one packed integer key per person, sorted
with Python integers), kept unchanged as the oracle for test_ranking.py: the faster core
(floats while the packed key fits in 53 bits) must give every row the same rank, total, tie
flag and deciding key. Not imported by the product."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import accumulate, compress
from math import lcm
from operator import eq, mul, not_, or_

from gongxin.exams.ranking import Ranked

ABSENT = -1
DISQUALIFIED = -2
MAX_SCORE = 100_000
_BITS = MAX_SCORE.bit_length()


@dataclass(slots=True)
class Ranking:
    """A ranking as columns (fast to build for 100,000 people): ``order`` holds input indexes
    best first, and ``ranks``, ``totals``, ``tied``, ``decided_by`` are aligned with it; the
    absent and the disqualified follow in input order."""
    order: list[int]
    ranks: list[int]
    totals: list[int]
    tied: list[bool]
    keys: list[int]            # the packed (total, tie keys) of each, in order
    tie_levels: int
    absent: list[int]
    disqualified: list[int]

    @property
    def decided_by(self) -> list[int | None]:
        """For each ranked row that shares its total with a neighbour but not every key: the
        tie key (position in the tie order) that put them apart, read from the highest bit group
        in which the packed keys differ; None otherwise. Computed when shown."""
        st, sk, last = self.totals, self.keys, self.tie_levels - 1
        pair = [None if ta != tb or ka == kb else last - ((ka ^ kb).bit_length() - 1) // _BITS
                for ta, tb, ka, kb in zip(st, st[1:], sk, sk[1:], strict=False)]
        if not sk:
            return []
        return [a if b is None else b if a is None else min(a, b)
                for a, b in zip([None, *pair], [*pair, None], strict=True)]

    def rows(self) -> list[Ranked]:
        out = [Ranked(i, r, t, "ranked", td, None if td else d) for i, r, t, td, d in
               zip(self.order, self.ranks, self.totals, self.tied, self.decided_by, strict=True)]
        out.extend(Ranked(i, None, None, "absent") for i in self.absent)
        out.extend(Ranked(i, None, None, "disqualified") for i in self.disqualified)
        return out


def rank(columns: Sequence[Sequence[int]], weights: Sequence[Fraction], tie_order: Sequence[int] = ()) -> list[Ranked]:
    """``columns[c][i]``: person i's score in component c (hundredths, or a mark). Returns one
    row per person: the ranked first, best first; then the absent, then the disqualified, each
    in input order. ``tie_order`` lists component indexes that order equal totals."""
    return rank_table(columns, weights, tie_order).rows()


def rank_table(columns: Sequence[Sequence[int]], weights: Sequence[Fraction],
               tie_order: Sequence[int] = ()) -> Ranking:
    if len(columns) != len(weights):
        raise ValueError("one weight per column")
    n = len(columns[0]) if columns else 0
    if any(len(c) != n for c in columns):
        raise ValueError("columns of different lengths")
    den = lcm(*(w.denominator for w in weights))
    mults = [w.numerator * (den // w.denominator) for w in weights]
    two_den = 2 * den
    if columns and n and max(map(max, columns)) > MAX_SCORE:
        raise ValueError(f"score above {MAX_SCORE}")
    # the worst mark of each person (a score is >= 0, a mark < 0); only the unmarked are ranked.
    # Every pass over 100,000 people is a C-level map or one comprehension (bench/bench_exams.py).
    worst = list(map(min, *columns)) if len(columns) > 1 else list(columns[0]) if columns else []
    mask = list(map((0).__le__, worst))
    if all(mask):
        ok, cols = None, list(columns)
    else:
        ok = list(compress(range(n), mask))
        cols = [list(compress(col, mask)) for col in columns]
    shift = _BITS * len(tie_order)
    if len(cols) == 3 and list(tie_order) == [0, 1]:
        ma, mb, mc = mults
        keys = [((2 * (x * ma + y * mb + z * mc) + den) // two_den << shift) | (x << _BITS) | y
                for x, y, z in zip(*cols, strict=True)]
    elif len(cols) == 2 and list(tie_order) == [0, 1]:
        ma, mb = mults
        keys = [((2 * (x * ma + y * mb) + den) // two_den << shift) | (x << _BITS) | y
                for x, y in zip(*cols, strict=True)]
    else:
        keys = [(2 * sum(s * m for s, m in zip(row, mults, strict=True)) + den) // two_den
                for row in zip(*cols, strict=True)]
        for c in tie_order:
            keys = [(k << _BITS) | s for k, s in zip(keys, cols[c], strict=True)]
    # best first; equal keys keep input order (the sort is stable, reverse included)
    order = sorted(range(len(keys)), key=keys.__getitem__, reverse=True)
    sk = [keys[j] for j in order]
    st = [k >> shift for k in sk] if shift else sk
    m = len(sk)
    # competition ranks: a new key starts at its position (p × True), an equal one keeps the rank before
    same = list(map(eq, sk[1:], sk))
    ranks = list(accumulate([1, *map(mul, range(2, m + 1), map(not_, same))], max)) if m else []
    tied = list(map(or_, [False, *same], [*same, False])) if m else []
    return Ranking(order if ok is None else [ok[j] for j in order], ranks, st, tied, sk, len(tie_order),
                   list(compress(range(n), map(ABSENT.__eq__, worst))),
                   list(compress(range(n), map(DISQUALIFIED.__eq__, worst))))
