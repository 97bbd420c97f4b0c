"""The ranking of an exam (DOMAIN §3.5), a pure function: no Django, no numpy.

Scores are whole hundredths (85.5 → 8550) so every sum is exact; a component a person did
not sit is ``ABSENT`` and one they were disqualified from is ``DISQUALIFIED`` — never zero.
Only people with a score in every component are ranked; the others are listed after them
with the reason. The weighted total is computed exactly (weights as fractions that sum to
1) and rounded half-up to hundredths, and the ranking is on that rounded total, as it is
published. Equal totals are ordered by the declared tie order (e.g. written score, then
interview score); those still equal share a rank (1, 2, 2, 4), and each row says which key
decided its place.

The sort key packs (total, tie keys) into one number per person, field above field, each
field as wide as the largest score in the data. While that fits in 53 bits (always for the
pipeline's total + written + interview) the number is a float: every integer below 2**53 is a
float exactly, so nothing is rounded, and Python sorts floats several times faster than
multi-digit integers; beyond 53 bits the same number is built as an integer. This keeps
100,000 people within a few times numpy's ``lexsort`` (bench/bench_exams.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import compress, islice, repeat
from math import floor, lcm
from operator import add, eq, floordiv, itemgetter, mul, rshift

ABSENT = -1
DISQUALIFIED = -2
MARKS = {ABSENT: "absent", DISQUALIFIED: "disqualified"}
MAX_SCORE = 100_000  # 1000.00: no exam component is scored above this


def N_(message: str) -> str:
    return message


class InvalidWeights(ValueError):
    code = "exam.weights"

    def __init__(self, template: str, **params):
        super().__init__(template % params if params else template)
        self.template, self.params = template, params


def parse_weight(value) -> Fraction:
    """"0.6", "60%", "3/5", 0.6 → Fraction(3, 5); ValueError on anything else."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(str(value))
    text = str(value).strip()
    if text.endswith("%"):
        return Fraction(text[:-1]) / 100
    return Fraction(text)


def check_weights(weights: Mapping[str, object]) -> dict[str, Fraction]:
    """The weights as fractions, refused unless each is in (0, 1] and together they make 1."""
    if not weights:
        raise InvalidWeights(N_("请至少设置一个成绩组成部分及其权重。"))
    out = {}
    for name, value in weights.items():
        try:
            w = parse_weight(value)
        except (ValueError, ZeroDivisionError, TypeError):
            raise InvalidWeights(N_("“%(name)s”的权重“%(value)s”不是数字（可写 0.6、60%% 或 3/5）。"),
                                 name=name, value=value) from None
        if not 0 < w <= 1:
            raise InvalidWeights(N_("“%(name)s”的权重应大于 0、不超过 1。"), name=name)
        out[name] = w
    total = sum(out.values(), Fraction(0))
    if total != 1:
        raise InvalidWeights(N_("各部分权重之和为 %(sum)s，必须等于 1。"), sum=_decimal(total))
    return out


def _decimal(f: Fraction) -> str:
    if f.denominator in (1, 2, 4, 5, 8, 10, 20, 25, 50, 100, 1000):
        return f"{float(f):g}"
    return f"{f.numerator}/{f.denominator}"


@dataclass(slots=True)
class Ranked:
    index: int                 # position in the input
    rank: int | None           # None: not ranked (absent or disqualified)
    total: int | None          # hundredths
    status: str                # "ranked" | "absent" | "disqualified"
    tied: bool = False         # shares its rank with another (every key equal)
    decided_by: int | None = None  # tie key (position in tie_order) that ordered it against an equal total


def weighted_total(scores: Sequence[int], weights: Sequence[Fraction]) -> int:
    """One person's total in hundredths, rounded half up."""
    den = lcm(*(w.denominator for w in weights))
    num = sum(s * (w.numerator * (den // w.denominator)) for s, w in zip(scores, weights, strict=True))
    return (2 * num + den) // (2 * den)


@dataclass(slots=True)
class Ranking:
    """A ranking as columns (fast to build for 100,000 people): ``order`` holds input indexes
    best first, and ``ranks``, ``totals``, ``tied``, ``decided_by`` are aligned with it; the
    absent and the disqualified follow in input order."""
    order: list[int]
    ranks: list[int]
    totals: list[int]
    tied: list[bool]
    keys: list                 # the sort key of each, in order: (total, tie keys) packed, see rank_table
    tie_levels: int
    field_bits: int            # the width of each tie key's field in ``keys``
    float_shift: int           # keys are floats (total.tie keys in binary): × 2**float_shift is the packed integer
    absent: list[int]
    disqualified: list[int]

    @property
    def decided_by(self) -> list[int | None]:
        """For each ranked row that shares its total with a neighbour but not every key: the
        tie key (position in the tie order) that put them apart, read from the highest field
        in which the packed keys differ; None otherwise. Computed when shown."""
        st, sk, last, bits = self.totals, self.keys, self.tie_levels - 1, self.field_bits
        scale = 1 << self.float_shift
        pair = [None if ta != tb or ka == kb else last - ((int(ka * scale) ^ int(kb * scale)).bit_length() - 1) // bits
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


_EXACT_BITS = 53  # every integer below 2**53 is exactly a float


def _positions(column: list[int], mark: int) -> list[int]:
    """Where ``column`` holds ``mark`` (few rows): ``list.index`` scans in C."""
    out, i = [], -1
    try:
        while True:
            i = column.index(mark, i + 1)
            out.append(i)
    except ValueError:
        return out


def rank_table(columns: Sequence[Sequence[int]], weights: Sequence[Fraction],
               tie_order: Sequence[int] = ()) -> Ranking:
    if len(columns) != len(weights):
        raise ValueError("one weight per column")
    n = len(columns[0]) if columns else 0
    if any(len(c) != n for c in columns):
        raise ValueError("columns of different lengths")
    if any(w < 0 for w in weights):
        raise ValueError("a negative weight")
    tie_order = list(tie_order)
    if not n:
        return Ranking([], [], [], [], [], len(tie_order), 1, 0, [], [])
    columns = [c if isinstance(c, list) else list(c) for c in columns]
    # Every pass over 100,000 people is a C-level scan, map or sort, or one comprehension.
    lows = list(map(min, columns))
    lowest, highest = min(lows), max(map(max, columns))
    if highest > MAX_SCORE:
        raise ValueError(f"score above {MAX_SCORE}")
    if lowest < DISQUALIFIED:
        raise ValueError(f"{lowest} is neither a score nor a mark")
    # exact arithmetic in integers: total = (2·Σ s·w·den + den) // (2·den), the weighted sum
    # rounded half up to whole hundredths
    den = lcm(*(w.denominator for w in weights))
    mults = [2 * w.numerator * (den // w.denominator) for w in weights]
    two_den = 2 * den
    bits = max(highest, 1).bit_length()
    shift = bits * len(tie_order)
    top_total = (sum(mults) * max(highest, 0) + den) // two_den
    if shift and top_total.bit_length() + shift <= _EXACT_BITS:
        # the total is the whole part and the tie keys binary places below it: int(key) is the total
        number, p0, ps = float, 1.0, [2.0 ** -(bits * (j + 1)) for j in range(len(tie_order))]
    else:
        number, p0, ps = int, 1 << shift, [1 << (shift - bits * (j + 1)) for j in range(len(tie_order))]
    if number is float and len(columns) in (2, 3) and tie_order == [0, 1]:
        # the two tie keys as one integer (x·2**bits + y: one machine word while bits ≤ 15)
        # scaled once into the binary places, plus the total: float · int and float + int
        # each convert the int in the float's own operation (int · float tries int's first)
        p2 = ps[1]
        if len(columns) == 3:
            ma, mb, mc = mults
            keys = [p2 * ((x << bits) + y) + (x * ma + y * mb + z * mc + den) // two_den
                    for x, y, z in zip(*columns, strict=True)]
        else:
            ma, mb = mults
            keys = [p2 * ((x << bits) + y) + (x * ma + y * mb + den) // two_den for x, y in zip(*columns, strict=True)]
    elif len(columns) == 1 and not tie_order:
        ma = mults[0]
        keys = [(x * ma + den) // two_den for x in columns[0]]
    else:
        num = map(mul, columns[0], repeat(mults[0]))
        for col, m in zip(columns[1:], mults[1:], strict=True):
            num = map(add, num, map(mul, col, repeat(m)))
        key = map(mul, map(floordiv, map(add, num, repeat(den)), repeat(two_den)), repeat(p0))
        for c, p in zip(tie_order, ps, strict=True):
            key = map(add, key, map(mul, columns[c], repeat(p)))
        keys = list(key)
    # a person with a mark in any component is not ranked: their key sorts after every score
    absent, disqualified = set(), set()
    for col, low in zip(columns, lows, strict=True):
        if low < 0:
            absent.update(_positions(col, ABSENT))
            disqualified.update(_positions(col, DISQUALIFIED))
    marked = absent | disqualified
    below = number(-1)  # the same type as the keys: a list of floats alone sorts fastest
    for i in marked:
        keys[i] = below
    # best first; equal keys keep input order (the sort is stable, reverse included). The
    # input indexes and the ranks are the same numbers 0..n: made once, shared by both lists
    # (100,000 int objects fewer to allocate, touch and free)
    numbers = list(range(n + 1))
    order = sorted(numbers[:n], key=keys.__getitem__, reverse=True)
    m = n - len(marked)
    del order[m:]
    sk = list(itemgetter(*order)(keys)) if m > 1 else [keys[i] for i in order]
    if not shift:
        totals = sk
    elif number is float:
        totals = list(map(floor, sk))  # (floor takes a float straight to an int; int() goes through __trunc__)
    else:
        totals = list(map(rshift, sk, repeat(shift)))
    # competition ranks (1, 2, 2, 4): the position, except after a key equal to the one before
    ranks = numbers[1:m + 1]
    tied = [False] * m
    if any(map(eq, islice(sk, 1, None), sk)):  # (usually none: one pass that stops at the first)
        for p in compress(range(m - 1), map(eq, islice(sk, 1, None), sk)):
            ranks[p + 1] = ranks[p]
            tied[p] = tied[p + 1] = True
    # disqualification in any component outweighs an absence in another
    return Ranking(order, ranks, totals, tied, sk, len(tie_order), bits, shift if number is float else 0,
                   sorted(absent - disqualified), sorted(disqualified))


def note(row: Ranked, tie_names: Sequence[str]) -> str:
    """What a row's note says, as a code kept in the database and in the published results
    (shown in words by exams.queries.rank_note_label): "absent", "disqualified", "tied" (every
    key equal: a shared rank), "decided:<component>" (an equal total ordered by that tie key)
    or ""."""
    if row.status != "ranked":
        return row.status
    if row.tied:
        return "tied"
    if row.decided_by is not None:
        return f"decided:{tie_names[row.decided_by]}"
    return ""


# the notes as rows and ledger payloads held them before they were codes (Chinese text)
OLD_NOTES = {"缺考": "absent", "取消资格": "disqualified", "并列": "tied",
             "总分相同，按笔试成绩排序": "decided:written", "总分相同，按面试成绩排序": "decided:interview"}


def note_code(stored: str) -> str:
    """A note as stored, old text or code, as its code (text it does not know comes back as is)."""
    return OLD_NOTES.get(stored, stored)


def is_note_code(code: str) -> bool:
    return code in ("", "absent", "disqualified", "tied") or code.startswith("decided:")


@dataclass(frozen=True)
class Cut:
    """Who goes on from a ranking to the next step at ``ratio`` people per place."""
    selected: list[int]        # input indexes, in rank order
    places: int                # posts × ratio
    available: int             # people ranked
    fewer: bool                # fewer ranked than places: everyone ranked goes on
    tied_at_line: int          # how many more than ``places`` because of a tie on the last rank


def cut(ranked: Sequence[Ranked], posts: int, ratio: int) -> Cut:
    """The top ``posts × ratio``; everyone who shares the last rank inside the line goes on
    too; when fewer are ranked than places, all of them go on (and ``fewer`` says so)."""
    if posts < 1 or ratio < 1:
        raise ValueError("posts and ratio must be positive")
    places = posts * ratio
    ranked_rows = [r for r in ranked if r.rank is not None]
    if len(ranked_rows) <= places:
        return Cut([r.index for r in ranked_rows], places, len(ranked_rows), len(ranked_rows) < places, 0)
    last = ranked_rows[places - 1].rank
    chosen = [r.index for r in ranked_rows if r.rank <= last]
    return Cut(chosen, places, len(ranked_rows), False, len(chosen) - places)


def parse_score(text: str) -> int:
    """A score as typed or read from a sheet: "85.5" → 8550; "缺考" → ABSENT; "违纪" /
    "取消资格" / "作弊" → DISQUALIFIED. ValueError (with a Chinese msgid) otherwise."""
    t = str(text).strip()
    if t in ABSENT_WORDS:
        return ABSENT
    if t in DISQUALIFIED_WORDS:
        return DISQUALIFIED
    if not t:
        raise ValueError(N_("成绩为空：缺考请填“缺考”，取消资格请填“取消资格”（空白不当作 0 分）"))
    whole, _dot, frac = t.partition(".")
    if not whole.isdigit() or (frac and not frac.isdigit()) or len(frac) > 2:
        raise ValueError(N_("成绩“%(value)s”不是最多两位小数的数字"))
    value = int(whole) * 100 + int((frac + "00")[:2] or 0)
    if value > MAX_SCORE:
        raise ValueError(N_("成绩“%(value)s”超出范围"))
    return value


ABSENT_WORDS = frozenset({"缺考", "缺席", "absent"})
DISQUALIFIED_WORDS = frozenset({"违纪", "作弊", "取消资格", "取消", "disqualified"})


def show(hundredths: int | None) -> str:
    """8550 → "85.50"; a mark → its word key; None → ""."""
    if hundredths is None:
        return ""
    if hundredths < 0:
        return MARKS[hundredths]
    return f"{hundredths // 100}.{hundredths % 100:02d}"
