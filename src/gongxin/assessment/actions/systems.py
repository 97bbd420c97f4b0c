"""Indicator systems: a new version per category, and AHP weights from pairwise comparisons."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from gongxin.core.errors import DomainError
from gongxin.ledger.recording import record_event

from .. import scoring
from ..models import (
    Dimension,
    Direction,
    Indicator,
    IndicatorSystem,
)
from .common import SCORED_CATEGORIES, refuse


@transaction.atomic
def create_indicator_system(*, acting_user, category: str, name: str, indicators: list[dict]) -> IndicatorSystem:
    """A new version of the category's indicator system. ``indicators``: dicts with code, name,
    dimension, weight, direction, floor, target (and unit_label). Weights must sum to 1."""
    if category not in SCORED_CATEGORIES:
        raise DomainError("assessment.category", _("请选择单位类别：乡镇、县直部门或事业单位。"))
    if not name.strip():
        raise DomainError("assessment.name_required", _("请填写指标体系名称。"))
    rows = []
    for n, row in enumerate(indicators, start=1):
        try:
            weight = Decimal(str(row["weight"]))
            floor, target = float(row["floor"]), float(row["target"])
        except (KeyError, InvalidOperation, TypeError, ValueError):
            raise DomainError("assessment.indicator_number",
                              _("第 %(n)s 个指标：权重、基准值和目标值必须是数字。") % {"n": n}) from None
        if row.get("dimension") not in Dimension.values:
            raise DomainError("assessment.dimension", _("第 %(n)s 个指标：请选择维度。") % {"n": n})
        rows.append(Indicator(code=str(row.get("code", "")).strip(), name=str(row.get("name", "")).strip(),
                              dimension=row["dimension"], weight=weight,
                              direction=row.get("direction", Direction.HIGHER), floor=floor, target=target,
                              unit_label=str(row.get("unit_label", ""))[:20], order=n))
        if not rows[-1].code or not rows[-1].name:
            raise DomainError("assessment.indicator_name", _("第 %(n)s 个指标：请填写代码和名称。") % {"n": n})
    problems = scoring.check_indicators(
        [scoring.Indicator(r.code, r.name, float(r.weight), r.direction, r.floor, r.target) for r in rows])
    if problems:
        code, message, params = problems[0]
        raise DomainError(code, _(message) % params if params else _(message),
                          details={"problems": [_(m) % p if p else _(m) for _c, m, p in problems]})
    version = (IndicatorSystem.objects.filter(category=category).aggregate(v=Max("version"))["v"] or 0) + 1
    system = IndicatorSystem.objects.create(category=category, version=version, name=name.strip())
    for row in rows:
        row.system = system
    Indicator.objects.bulk_create(rows)
    record_event(kind="assessment.indicator_system.created", subject=system, actor=acting_user, public=True,
                 payload={"category": category, "version": version, "name": system.name,
                          "indicators": [{"code": r.code, "name": r.name, "dimension": r.dimension,
                                          "weight": str(r.weight), "direction": r.direction,
                                          "floor": r.floor, "target": r.target} for r in rows]})
    return system


def ahp_weights(matrix) -> scoring.AHPResult:
    """AHP weights for an indicator system (no write): refused when CR > 0.1, with the ratio."""
    try:
        result = scoring.ahp(matrix)
    except scoring.ScoringError as error:
        raise refuse(error) from None
    if not result.acceptable:
        raise DomainError("assessment.ahp_inconsistent",
                          _("两两比较不一致：一致性比率 CR = %(cr)s，须不大于 0.1。请调整判断后重试。") % {
                              "cr": f"{result.consistency_ratio:.3f}"}, details={"consistency_ratio": result.consistency_ratio})
    return result
