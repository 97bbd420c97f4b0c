"""Rating ballots (评议, 民主测评): each item on the ballot is answered with one option of a fixed
list (满意 / 基本满意 / 不满意 / 不了解, 认同 / 基本认同 / 不认同 / 不了解, 优秀 / 称职 / …).

Pure and standard-library only, like ``tally`` (the standalone recount tool imports both).

A rating meeting is a recommendation meeting whose "posts" are items with k = 1 and whose
allowed "candidates" are the item's option keys, so ``tally.tally`` counts it unchanged: a part
marking one option is one vote for that option, a blank part is blank, two options or an
unknown key void the part. This module turns those counts into rates.

Each option has a kind: ``favourable`` (counted in the rate), ``unfavourable`` (its share may
flag the item), ``unknown`` (不了解: reported apart) or ``neutral``. For one item:
- valid ballots = ballots that marked exactly one of its options (blank and void parts are not
  valid for that item, and are reported);
- rate = favourable / valid ballots (不了解 stays in the denominator and is reported apart);
- the item is flagged when unfavourable / valid ballots passes ``flag_share`` ("more than one
  third" by default: exactly one third is not flagged; ``flag_strict`` false makes it "at least").
Every ratio is an exact ``Fraction``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from .tally import as_fraction, fraction_text

KINDS = ("favourable", "unfavourable", "unknown", "neutral")
MAX_KEY_LENGTH = 20       # an option key fits where a cadre id would (``sealing.padded_length``)
FORBIDDEN_IN_KEY = ",|\n"


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    kind: str = "neutral"

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "kind": self.kind}


def options_from(data: Sequence) -> list[Option]:
    """Options from JSON (a list of {"key", "label", "kind"}), checked: at least two, keys
    distinct, short and free of the ballot's separators, kinds known."""
    out = []
    for raw in data or []:
        if not isinstance(raw, Mapping):
            raise ValueError(f"an option must be an object with key and label: {raw!r}")
        key, label, kind = str(raw.get("key", "")).strip(), str(raw.get("label", "")).strip(), raw.get("kind") or "neutral"
        if not key or len(key) > MAX_KEY_LENGTH or any(ch in key for ch in FORBIDDEN_IN_KEY):
            raise ValueError(f"option key must be 1 to {MAX_KEY_LENGTH} characters without , | or newline: {key!r}")
        if not label:
            raise ValueError(f"option {key!r} has no label")
        if kind not in KINDS:
            raise ValueError(f"option {key!r} has an unknown kind {kind!r}")
        out.append(Option(key, label, kind))
    if len(out) < 2:
        raise ValueError("an item needs at least two options")
    if len({o.key for o in out}) != len(out):
        raise ValueError("option keys must be distinct")
    return out


@dataclass(frozen=True)
class RatingRules:
    flag_share: Fraction = Fraction(1, 3)
    flag_strict: bool = True   # "passes" = more than (exactly the share is not flagged)

    @classmethod
    def from_dict(cls, data: Mapping | None) -> RatingRules:
        data = dict(data or {})
        share = as_fraction(data.get("flag_share", "1/3"))
        strict = data.get("flag_strict", True)
        if not isinstance(strict, bool):
            raise ValueError("flag_strict must be true or false")
        if not 0 <= share <= 1:
            raise ValueError("flag_share must be between 0 and 1")
        return cls(share, strict)

    def to_dict(self) -> dict:
        return {"flag_share": fraction_text(self.flag_share), "flag_strict": self.flag_strict}


RULE_KEYS = ("flag_share", "flag_strict")


def split_rules(data: Mapping | None) -> tuple[dict, dict]:
    """A rating meeting's rules hold the meeting rules (turnout…) and the rating rules side by
    side: (meeting rules, rating rules)."""
    data = dict(data or {})
    return {k: v for k, v in data.items() if k not in RULE_KEYS}, {k: v for k, v in data.items() if k in RULE_KEYS}


def _passes(part: int, whole: int, share: Fraction, strict: bool) -> bool:
    lhs, rhs = part * share.denominator, share.numerator * whole
    return lhs > rhs if strict else lhs >= rhs


def rate_item(options: Sequence[Option], votes: Mapping[str, int], *, blank: int = 0, invalid: int = 0,
              rules: RatingRules = RatingRules()) -> dict:
    """One item's counts, rates and flag (fractions as "a/b" text; rate None without valid ballots)."""
    counts = {o.key: int(votes.get(o.key, 0)) for o in options}
    valid = sum(counts.values())
    by_kind = {kind: sum(counts[o.key] for o in options if o.kind == kind) for kind in KINDS}

    def share(n: int) -> str | None:
        return fraction_text(Fraction(n, valid)) if valid else None

    return {
        "counts": counts, "valid": valid, "blank": blank, "invalid": invalid,
        "favourable": by_kind["favourable"], "unfavourable": by_kind["unfavourable"], "unknown": by_kind["unknown"],
        "rate": share(by_kind["favourable"]), "unfavourable_share": share(by_kind["unfavourable"]),
        "unknown_share": share(by_kind["unknown"]),
        "shares": {k: share(n) for k, n in counts.items()},
        "flagged": bool(valid) and any(o.kind == "unfavourable" for o in options)
        and _passes(by_kind["unfavourable"], valid, rules.flag_share, rules.flag_strict),
    }


def rate_result(tally_result: Mapping, items: Sequence[Mapping], rules: RatingRules) -> list[dict]:
    """Every item of a ``tally.result`` rated. ``items``: per post, in order, {"key", "title",
    "options", "subject"?} as in the ballot file."""
    out = []
    for item, post in zip(items, tally_result["posts"], strict=True):
        options = options_from(item["options"])
        entry = rate_item(options, post["votes"], blank=post["blank"], invalid=post["invalid"], rules=rules)
        entry.update({"key": str(item["key"]), "title": item.get("title", ""), "subject": item.get("subject")})
        out.append(entry)
    return out


def percent(share_text: str | None) -> str:
    if share_text is None:
        return "—"
    f = as_fraction(share_text)
    return f"{float(f) * 100:.2f}%"
