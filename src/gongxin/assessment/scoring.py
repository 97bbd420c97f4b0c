"""Assessment scoring (DOMAIN §3.9): pure, no Django.

A unit's or cadre's score is a weighted sum of indicators, each normalised against a benchmark
fixed in advance (``floor`` scores 0, ``target`` scores 1, clamped), so adding or removing a unit
never changes anyone else's score or order. A difficulty coefficient multiplies the raw score for
hard postings; raw and adjusted are both kept. Every score decomposes into
indicator × weight (× coefficient) lines.

The bulk path (:func:`score_matrix`) does the same arithmetic with numpy over a whole year's
rows; :func:`score` is the one-row path the pages and the offline replay use. Both give the
same numbers (tested)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

HIGHER, LOWER = "higher", "lower"
WEIGHT_TOLERANCE = 1e-9
# Saaty's random index for n = 1..10 (REFERENCES.md, AHP weights).
RANDOM_INDEX = [0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49]
MAX_CONSISTENCY_RATIO = 0.1


def N_(message: str) -> str:
    """Marks a message for translation where it is shown (gongxin makemessages extracts it)."""
    return message


class ScoringError(ValueError):
    """Bad scoring input; ``code`` is stable, ``message`` is the Chinese text (gettext at show time)."""

    def __init__(self, code: str, message: str, **params):
        super().__init__(message % params if params else message)
        self.code, self.message, self.params = code, message, params


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    weight: float
    direction: str = HIGHER   # "higher" is better, or "lower" (e.g. energy use per unit of GDP)
    floor: float = 0.0        # the benchmark value that scores 0
    target: float = 100.0     # the benchmark value that scores 1
    dimension: str = ""       # economy / livelihood, growth / cost, outcome / effort...

    def normalise(self, value: float) -> float:
        if self.direction == LOWER:
            # For "lower is better" the target is the small value: floor > target.
            x = (self.floor - value) / (self.floor - self.target)
        else:
            x = (value - self.floor) / (self.target - self.floor)
        return 0.0 if x < 0 else 1.0 if x > 1 else x


def check_indicators(indicators: Sequence[Indicator]) -> list[tuple[str, str, dict]]:
    """Problems as (code, Chinese message, params); an empty list means the system can be used."""
    problems = []
    if not indicators:
        problems.append(("assessment.no_indicators", N_("指标体系至少需要一个指标。"), {}))
        return problems
    seen = set()
    for ind in indicators:
        if ind.code in seen:
            problems.append(("assessment.indicator_twice", N_("指标“%(name)s”重复。"), {"name": ind.name}))
        seen.add(ind.code)
        if not (ind.weight > 0) or math.isinf(ind.weight):
            problems.append(("assessment.bad_weight", N_("指标“%(name)s”的权重必须大于 0。"), {"name": ind.name}))
        if ind.direction not in (HIGHER, LOWER):
            problems.append(("assessment.bad_direction", N_("指标“%(name)s”的方向只能是越高越好或越低越好。"),
                             {"name": ind.name}))
        elif ind.direction == HIGHER and not ind.target > ind.floor:
            problems.append(("assessment.bad_benchmark", N_("指标“%(name)s”越高越好，目标值必须大于基准值。"),
                             {"name": ind.name}))
        elif ind.direction == LOWER and not ind.target < ind.floor:
            problems.append(("assessment.bad_benchmark", N_("指标“%(name)s”越低越好，目标值必须小于基准值。"),
                             {"name": ind.name}))
    total = sum(ind.weight for ind in indicators)
    if abs(total - 1) > WEIGHT_TOLERANCE:
        problems.append(("assessment.weights_sum", N_("权重之和须为 1（现为 %(total)s）。"), {"total": round(total, 6)}))
    return problems


def require_valid(indicators: Sequence[Indicator]) -> None:
    problems = check_indicators(indicators)
    if problems:
        code, message, params = problems[0]
        raise ScoringError(code, message, **params)


@dataclass(frozen=True)
class Line:
    code: str
    name: str
    value: float | None
    normalised: float
    weight: float
    contribution: float   # normalised × weight


@dataclass(frozen=True)
class Breakdown:
    lines: tuple[Line, ...]
    raw: float
    coefficient: float
    adjusted: float       # raw × coefficient

    @property
    def missing(self) -> list[str]:
        return [line.code for line in self.lines if line.value is None]


def score(indicators: Sequence[Indicator], values: Mapping[str, float | None], *,
          coefficient: float = 1.0) -> Breakdown:
    """One row's score; a missing value scores 0 on that indicator and is listed in ``missing``."""
    require_valid(indicators)
    if not coefficient > 0:
        raise ScoringError("assessment.bad_coefficient", N_("难度系数必须大于 0。"))
    lines, raw = [], 0.0
    for ind in indicators:
        value = values.get(ind.code)
        norm = 0.0 if value is None else ind.normalise(float(value))
        contribution = norm * ind.weight
        raw += contribution
        lines.append(Line(ind.code, ind.name, value, norm, ind.weight, contribution))
    return Breakdown(tuple(lines), raw, coefficient, raw * coefficient)


def score_matrix(indicators: Sequence[Indicator], values, coefficients=None):
    """The bulk path: ``values`` is an (n, k) array in indicator order (NaN = missing), returns
    (contributions (n, k), raw (n,), adjusted (n,)). Same arithmetic as :func:`score`."""
    import numpy as np

    require_valid(indicators)
    values = np.asarray(values, dtype=np.float64)
    floor = np.array([i.floor for i in indicators])
    target = np.array([i.target for i in indicators])
    weight = np.array([i.weight for i in indicators])
    norm = (values - floor) / (target - floor)   # for "lower", floor > target: the same formula holds
    np.clip(norm, 0.0, 1.0, out=norm)
    np.nan_to_num(norm, copy=False, nan=0.0)
    contributions = norm * weight
    raw = contributions.sum(axis=1)
    if coefficients is None:
        return contributions, raw, raw.copy()
    coefficients = np.asarray(coefficients, dtype=np.float64)
    if (coefficients <= 0).any():
        raise ScoringError("assessment.bad_coefficient", N_("难度系数必须大于 0。"))
    return contributions, raw, raw * coefficients


def combine(organisation: float, public: float | None, *, public_weight: float) -> float:
    """The organisation's score combined with the public evaluation; without a public score,
    the organisation's alone."""
    if not 0 <= public_weight <= 1:
        raise ScoringError("assessment.bad_public_weight", N_("群众评议权重须在 0 到 1 之间。"))
    if public is None:
        return organisation
    return organisation * (1 - public_weight) + public * public_weight


def ranks(scores: Sequence[float], *, places: int = 9) -> list[int]:
    """Competition ranks ("1224"), highest first; scores equal to ``places`` decimals tie."""
    rounded = [round(s, places) for s in scores]
    order = sorted(range(len(rounded)), key=lambda i: -rounded[i])
    out = [0] * len(rounded)
    for position, i in enumerate(order):
        if position and rounded[i] == rounded[order[position - 1]]:
            out[i] = out[order[position - 1]]
        else:
            out[i] = position + 1
    return out


def growth(current: float, previous: float | None) -> float | None:
    """Vertical comparison: growth against one's own past, as a fraction (None without a past)."""
    if previous is None or previous == 0:
        return None
    return (current - previous) / abs(previous)


# ---------------------------------------------------------------- sensitivity


@dataclass(frozen=True)
class Scenario:
    label: str                # "GDP +10%", "去掉 GDP"
    indicator: str
    kind: str                 # "up" / "down" / "drop"
    ranks: tuple[int, ...]


def reweighted(indicators: Sequence[Indicator], code: str, factor: float) -> list[Indicator]:
    """``code``'s weight times ``factor``, the others scaled so the weights still sum to 1
    (factor 0 drops the indicator)."""
    target = next(i for i in indicators if i.code == code)
    new_weight = target.weight * factor
    rest = 1 - target.weight
    if rest <= 0:
        raise ScoringError("assessment.single_indicator", N_("只有一个指标，不能做敏感性分析。"))
    scale = (1 - new_weight) / rest
    out = []
    for ind in indicators:
        if ind.code == code:
            if factor:
                out.append(Indicator(**{**ind.__dict__, "weight": new_weight}))
        else:
            out.append(Indicator(**{**ind.__dict__, "weight": ind.weight * scale}))
    return out


def totals(indicators: Sequence[Indicator], rows: Sequence[Mapping[str, float | None]],
           coefficients: Sequence[float] | None = None, publics: Sequence[float | None] | None = None,
           *, public_weight: float = 0.0) -> list[float]:
    """Each row's total: adjusted score combined with its public evaluation."""
    coefficients = list(coefficients or [1.0] * len(rows))
    publics = list(publics or [None] * len(rows))
    return [combine(score(indicators, row, coefficient=c).adjusted, p, public_weight=public_weight)
            for row, c, p in zip(rows, coefficients, publics, strict=True)]


def sensitivity(indicators: Sequence[Indicator], rows: Sequence[Mapping[str, float | None]],
                coefficients: Sequence[float] | None = None, publics: Sequence[float | None] | None = None,
                *, public_weight: float = 0.0, delta: float = 0.10) -> list[Scenario]:
    """Ranks of ``rows`` (by total) under each indicator's weight ±delta (others rescaled) and
    with each indicator left out. Compare with :func:`ranks` of :func:`totals` to see who moves.
    Each row is normalised once; a scenario only re-weights (the same numbers as :func:`totals`
    on the re-weighted system)."""
    require_valid(indicators)
    coefficients = [float(c) for c in coefficients] if coefficients is not None else [1.0] * len(rows)
    publics = list(publics or [None] * len(rows))
    normalised = [[0.0 if row.get(ind.code) is None else ind.normalise(float(row[ind.code])) for ind in indicators]
                  for row in rows]
    scenarios = []
    for position, ind in enumerate(indicators):
        variants = [("up", 1 + delta), ("down", 1 - delta)]
        if len(indicators) > 1:
            variants.append(("drop", 0.0))
        for kind, factor in variants:
            weights = [i.weight for i in reweighted(indicators, ind.code, factor)]
            if not factor:
                weights.insert(position, 0.0)
            scores = []
            for norms, c, p in zip(normalised, coefficients, publics, strict=True):
                raw = 0.0
                for n, w in zip(norms, weights, strict=True):
                    raw += n * w
                scores.append(combine(raw * c, p, public_weight=public_weight))
            scenarios.append(Scenario(f"{ind.name} {kind}", ind.code, kind, tuple(ranks(scores))))
    return scenarios


# ---------------------------------------------------------------- AHP


@dataclass(frozen=True)
class AHPResult:
    weights: tuple[float, ...]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float

    @property
    def acceptable(self) -> bool:
        return self.consistency_ratio <= MAX_CONSISTENCY_RATIO


def ahp(matrix: Sequence[Sequence[float]], *, iterations: int = 200) -> AHPResult:
    """Weights from a reciprocal pairwise-comparison matrix (principal eigenvector by power
    iteration) with Saaty's consistency ratio CR = CI / RI, CI = (λmax − n) / (n − 1)."""
    n = len(matrix)
    if n == 0 or any(len(row) != n for row in matrix):
        raise ScoringError("assessment.ahp_shape", N_("两两比较矩阵必须是方阵。"))
    if n > len(RANDOM_INDEX):
        raise ScoringError("assessment.ahp_size", N_("两两比较最多 %(n)s 个指标。"), n=len(RANDOM_INDEX))
    for i in range(n):
        if matrix[i][i] != 1:
            raise ScoringError("assessment.ahp_diagonal", N_("两两比较矩阵对角线必须为 1。"))
        for j in range(n):
            a, b = matrix[i][j], matrix[j][i]
            if not a > 0 or abs(a * b - 1) > 1e-6:
                raise ScoringError("assessment.ahp_reciprocal",
                                   N_("第 %(i)s 行第 %(j)s 列与其对称位置不互为倒数。"), i=i + 1, j=j + 1)
    w = [1.0 / n] * n
    for _ in range(iterations):
        nxt = [sum(matrix[i][j] * w[j] for j in range(n)) for i in range(n)]
        total = sum(nxt)
        nxt = [x / total for x in nxt]
        if max(abs(a - b) for a, b in zip(nxt, w, strict=True)) < 1e-12:
            w = nxt
            break
        w = nxt
    aw = [sum(matrix[i][j] * w[j] for j in range(n)) for i in range(n)]
    lambda_max = sum(aw[i] / w[i] for i in range(n)) / n
    ci = (lambda_max - n) / (n - 1) if n > 1 else 0.0
    ri = RANDOM_INDEX[n - 1]
    cr = ci / ri if ri else 0.0
    return AHPResult(tuple(w), lambda_max, ci, cr)


# ---------------------------------------------------------------- grades (R23)

EXCELLENT = "excellent"


@dataclass(frozen=True)
class GradeCap:
    share: Fraction     # e.g. 1/4
    people: int

    @property
    def allowed(self) -> int:
        return math.floor(self.share * self.people)


def parse_share(text: str | float | int) -> Fraction:
    """"25%", "1/4", "0.25" or a number → a Fraction in [0, 1]."""
    if isinstance(text, (int, float)):
        value = Fraction(str(text))
    else:
        s = str(text).strip()
        value = Fraction(s[:-1]) / 100 if s.endswith("%") else Fraction(s)
    if not 0 <= value <= 1:
        raise ScoringError("assessment.bad_share", N_("比例须在 0 到 1 之间：%(text)s"), text=text)
    return value


def excellent_cap(people: int, *, team_rating: str, shares: Mapping[str, str]) -> GradeCap:
    """R23: 优秀 ≤ 25% of individuals by default; ≤ 30% in a team rated 优秀, ≤ 20% in one rated
    一般, ≤ 15% in one rated 较差. ``shares`` is R23's parameters."""
    key = {"excellent": "team_excellent_share", "average": "team_average_share",
           "poor": "team_poor_share"}.get(team_rating, "excellent_share")
    return GradeCap(parse_share(shares.get(key, shares.get("excellent_share", "25%"))), people)


# ---- the public's evaluation ---------------------------------------------------------------

def public_score(counts: Mapping[str, int], values: Mapping[str, float | None]) -> float | None:
    """A unit's score from the survey: the mean of the option values over the ballots that
    chose a valued option (不了解 has no value and is left out, blank and void parts too).
    None when nobody chose a valued option. ``values`` must lie in [0, 1]."""
    total, n = 0.0, 0
    for key, count in counts.items():
        if count < 0:
            raise ScoringError("assessment.public_count", N_("评议票数不能为负数（%(key)s）。"), key=key)
        value = values.get(key)
        if value is None:
            continue
        if not 0 <= value <= 1:
            raise ScoringError("assessment.public_value", N_("评议等次“%(key)s”的分值须在 0 到 1 之间。"), key=key)
        total += value * count
        n += count
    return total / n if n else None
