"""Unit results (entered or imported), the public's scores, and the year's scores computed."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from gongxin.cases.rules import rule_params
from gongxin.core.errors import DomainError
from gongxin.ledger.recording import record_event
from gongxin.people.models import OrgUnit

from .. import scoring
from ..models import (
    AssessmentYear,
    GradeDecision,
    TeamRating,
    UnitResult,
    UnitScore,
    YearStatus,
)
from .common import core_indicators, lock_open_year, refuse, system_for


@transaction.atomic
def record_unit_results(*, acting_user, year: AssessmentYear, org_unit: OrgUnit, values: dict) -> list[UnitResult]:
    """Enter (or correct) a unit's indicator values: {indicator code: number}."""
    year = lock_open_year(year)
    system = system_for(year, org_unit)
    by_code = {i.code: i for i in system.indicators.all()}
    unknown = sorted(set(values) - set(by_code))
    if unknown:
        raise DomainError("assessment.unknown_indicator", _("指标体系中没有这些指标：%(codes)s") % {"codes": "、".join(unknown)})
    clean = {}
    for code, value in values.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise DomainError("assessment.value_number", _("“%(name)s”必须是数字。") % {"name": by_code[code].name}) from None
        if number != number or number in (float("inf"), float("-inf")) or abs(number) > 1e12:
            raise DomainError("assessment.value_range", _("“%(name)s”的数值超出范围。") % {"name": by_code[code].name})
        clean[code] = number
    rows = []
    for code, number in clean.items():
        row, _created = UnitResult.objects.update_or_create(year=year, org_unit=org_unit, indicator=by_code[code],
                                                            defaults={"value": number})
        rows.append(row)
    if year.status == YearStatus.SCORED:  # scores are stale until computed again
        year.status = YearStatus.OPEN
        year.save(update_fields=["status"])
    record_event(kind="assessment.unit_result.recorded", subject=org_unit, actor=acting_user,
                 payload={"year": year.year, "values": clean})
    return rows


@transaction.atomic
def import_unit_results(*, acting_user, year: AssessmentYear, rows: list[tuple[OrgUnit, dict]],
                        source: dict | None = None) -> int:
    """Apply previewed rows in one transaction: all of them, or none when one is refused. The
    ledger names the workbook they came from (``source``: its file name and SHA-256)."""
    if not rows:
        raise DomainError("assessment.import_empty", _("没有可导入的行：请先预览，修正或跳过有问题的行。"))
    for unit, values in rows:
        record_unit_results(acting_user=acting_user, year=year, org_unit=unit, values=values)
    source = source or {}
    record_event(kind="assessment.unit_results.imported", subject=year, actor=acting_user,
                 payload={"year": year.year, "file": source.get("file", ""), "sha256": source.get("sha256", ""),
                          "units": sorted(unit.pk for unit, _values in rows)})
    return len(rows)


def difficulty_coefficient(unit: OrgUnit, params: dict) -> float:
    """R23/difficulty: the category's coefficient, for remote units only unless the rule says
    every unit of the category."""
    if params.get("remote_only", True) and not unit.is_remote:
        return 1.0
    return float(Decimal(str(params.get("coefficients", {}).get(unit.kind, "1"))))


@transaction.atomic
def record_public_scores(*, acting_user, year: AssessmentYear, unit_scores: dict | None = None,
                         cadre_scores: dict | None = None) -> None:
    """The public's evaluation (0–1) of units and of cadres, as tallied (the survey round's
    results, see survey.py). A cadre's score is kept with the year, so grades proposed later
    read it, and set on a grade already proposed."""
    year = lock_open_year(year)
    for _label, scores in (("unit", unit_scores or {}), ("cadre", cadre_scores or {})):
        for _key, value in scores.items():
            if value is None or not 0 <= float(value) <= 1:
                raise DomainError("assessment.public_range", _("群众评议得分须在 0 到 1 之间。"))
    for unit_id, value in (unit_scores or {}).items():
        UnitScore.objects.filter(year=year, org_unit_id=unit_id).update(public_score=float(value))
    for cadre_id, value in (cadre_scores or {}).items():
        GradeDecision.objects.filter(year=year, cadre_id=cadre_id).update(public_score=float(value))
    if cadre_scores:
        year.leader_public_scores = {**year.leader_public_scores,
                                     **{str(k): float(v) for k, v in cadre_scores.items()}}
        year.save(update_fields=["leader_public_scores"])
    record_event(kind="assessment.public_evaluation.recorded", subject=year, actor=acting_user,
                 payload={"year": year.year, "units": {str(k): float(v) for k, v in (unit_scores or {}).items()},
                          "cadres": {str(k): float(v) for k, v in (cadre_scores or {}).items()}})


@transaction.atomic
def compute_scores(*, acting_user, year: AssessmentYear) -> list[UnitScore]:
    """Score every unit with results: raw, × difficulty coefficient, combined with the public's
    evaluation, ranked among units of the same category, with last year's total beside it."""
    year = lock_open_year(year)
    difficulty = rule_params("R23", variant="difficulty")
    public_weight = float(year.public_weight)
    results = {}
    for row in UnitResult.objects.filter(year=year).select_related("indicator", "org_unit"):
        results.setdefault(row.org_unit, {})[row.indicator.code] = row.value
    if not results:
        raise DomainError("assessment.no_results", _("还没有录入任何单位的考核数据。"))
    old = {s.org_unit_id: s for s in UnitScore.objects.filter(year=year)}
    previous = dict(UnitScore.objects.filter(year__year=year.year - 1).values_list("org_unit_id", "total"))
    computed, inputs = [], []
    for unit, values in sorted(results.items(), key=lambda kv: kv[0].pk):
        system = system_for(year, unit)
        coefficient = difficulty_coefficient(unit, difficulty)
        try:
            breakdown = scoring.score(core_indicators(system), values, coefficient=coefficient)
        except scoring.ScoringError as error:
            raise refuse(error) from None
        public = old[unit.pk].public_score if unit.pk in old else None
        total = scoring.combine(breakdown.adjusted, public, public_weight=public_weight)
        computed.append(UnitScore(year=year, org_unit=unit, system=system, raw=breakdown.raw, coefficient=coefficient,
                                  adjusted=breakdown.adjusted, public_score=public, total=total, rank=0, peers=0,
                                  previous_total=previous.get(unit.pk),
                                  team_rating=old[unit.pk].team_rating if unit.pk in old else TeamRating.GOOD))
        inputs.append({"unit": unit.pk, "system": system.version, "category": unit.kind, "values": values,
                       "coefficient": coefficient, "public": public})
    by_system = {}
    for score in computed:
        by_system.setdefault(score.system_id, []).append(score)
    for group in by_system.values():
        for score, rank in zip(group, scoring.ranks([s.total for s in group]), strict=True):
            score.rank, score.peers = rank, len(group)
    UnitScore.objects.filter(year=year).delete()
    UnitScore.objects.bulk_create(computed)
    year.status = YearStatus.SCORED
    year.save(update_fields=["status"])
    record_event(kind="assessment.scores.computed", subject=year, actor=acting_user, public=True,
                 payload={"year": year.year, "public_weight": str(year.public_weight), "inputs": inputs,
                          "totals": {str(s.org_unit_id): round(s.total, 9) for s in computed}})
    return computed
