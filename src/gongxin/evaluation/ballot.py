"""The evaluation ballot and its results. Pure and standard-library only (over ``meetings.rating``):
the same functions read the stored tally at close and the published ballot file in the tests of
the recount tool.

Item 1 is the year's work (满意 / 基本满意 / 不满意 / 不了解); each later item is one newly
promoted cadre (认同 / 基本认同 / 不认同 / 不了解)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from gongxin.meetings import rating
from gongxin.meetings.tally import as_fraction, fraction_text

WORK_KEY = "1"
WORK_OPTIONS = [
    {"key": "satisfied", "label": "满意", "kind": "favourable"},
    {"key": "basically_satisfied", "label": "基本满意", "kind": "favourable"},
    {"key": "dissatisfied", "label": "不满意", "kind": "unfavourable"},
    {"key": "unknown", "label": "不了解", "kind": "unknown"},
]
CADRE_OPTIONS = [
    {"key": "endorse", "label": "认同", "kind": "favourable"},
    {"key": "basically_endorse", "label": "基本认同", "kind": "favourable"},
    {"key": "not_endorse", "label": "不认同", "kind": "unfavourable"},
    {"key": "unknown", "label": "不了解", "kind": "unknown"},
]


def results(tally_result: Mapping, items: Sequence[Mapping], rules: rating.RatingRules) -> dict:
    """{"work": item, "cadres": {item key: item}, "flagged": [item keys], "satisfaction_rate",
    "unknown_share", "valid": turnout valid}. Only cadre items can be flagged (the year's work
    item reports its rate)."""
    rated = rating.rate_result(tally_result, items, rules)
    work, cadres = rated[0], rated[1:]
    for item in cadres:
        item["endorsement_rate"] = item["rate"]
    work["flagged"] = False
    return {
        "work": work, "cadres": {c["key"]: c for c in cadres},
        "flagged": [c["key"] for c in cadres if c["flagged"]],
        "satisfaction_rate": work["rate"], "unknown_share": work["unknown_share"],
        "valid": bool(tally_result.get("valid", True)), "ballots": tally_result.get("ballots", 0),
        "rules": rules.to_dict(),
    }


def pooled_rate(items: Sequence[Mapping]) -> str | None:
    """Favourable over valid ballots summed across items (one channel's cadres together)."""
    fav = sum(i["favourable"] for i in items)
    valid = sum(i["valid"] for i in items)
    return fraction_text(Fraction(fav, valid)) if valid else None


def as_float(share: str | None) -> float | None:
    return None if share is None else float(as_fraction(share))
