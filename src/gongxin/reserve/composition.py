"""Composition of the pool against its targets: counts per (tier, unit category) in, rows with
shares, targets and gaps out. Pure: imports nothing from Django.

A target is the minimum share of one measure; the most specific one applies: (tier, category),
then (tier, any), then (any, category), then (any, any). The gap is how many more cadres of
that kind the group needs to reach its target (0 when it is met)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from gongxin.cases.decision_core import parse_fraction

MEASURES = ("women", "non_party", "under_40", "under_35", "fulltime_degree", "ready_soon")


def share(text) -> Fraction:
    """"20%" → 1/5, "1/3" → 1/3, 0.25 → 1/4 (the rules' fraction syntax, as the decision's)."""
    return parse_fraction(text)


@dataclass
class Cell:
    measure: str
    count: int
    share: Fraction
    target: Fraction | None
    gap: int

    @property
    def below(self) -> bool:
        return self.gap > 0

    @property
    def percent(self) -> str:
        return f"{float(self.share) * 100:.1f}%"

    @property
    def target_percent(self) -> str:
        return "" if self.target is None else f"{float(self.target) * 100:.1f}%"


@dataclass
class Row:
    tier: int | None
    unit_kind: str
    total: int
    cells: list[Cell] = field(default_factory=list)


def target_for(targets: Mapping[tuple, Fraction], measure: str, tier, unit_kind: str) -> Fraction | None:
    for key in ((tier, unit_kind, measure), (tier, "", measure), (None, unit_kind, measure), (None, "", measure)):
        if key in targets:
            return targets[key]
    return None


def gap(count: int, total: int, target: Fraction | None) -> int:
    if target is None or total == 0:
        return 0
    return max(0, math.ceil(target * total) - count)


def table(groups: Iterable[Mapping], targets: Mapping[tuple, Fraction]) -> list[Row]:
    """``groups``: dicts with tier, unit_kind, total and one count per measure. Adds a total row
    per tier (unit_kind "") and a grand total (tier None), in tier then category order."""
    by_key: dict[tuple, dict] = {}
    for g in groups:
        for key in ((g["tier"], g["unit_kind"]), (g["tier"], ""), (None, "")):
            acc = by_key.setdefault(key, {"total": 0, **{m: 0 for m in MEASURES}})
            acc["total"] += g["total"]
            for m in MEASURES:
                acc[m] += g.get(m, 0) or 0
    rows = []
    for (tier, kind) in sorted(by_key, key=lambda k: (k[0] is None, k[0] or 0, k[1] == "", k[1])):
        acc = by_key[(tier, kind)]
        row = Row(tier=tier, unit_kind=kind, total=acc["total"])
        for m in MEASURES:
            t = target_for(targets, m, tier, kind)
            n = acc[m]
            row.cells.append(Cell(m, n, Fraction(n, acc["total"]) if acc["total"] else Fraction(0), t,
                                  gap(n, acc["total"], t)))
        rows.append(row)
    return rows
