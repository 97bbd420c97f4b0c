"""Every write in assessment. Each action is atomic, keyword-only with the acting user, and
records one ledger event per state change."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.cases import actions as case_actions
from gongxin.cases.models import Candidate
from gongxin.cases.rules import rule_params
from gongxin.core.errors import Conflict, DomainError
from gongxin.ledger.recording import record_event
from gongxin.people.models import AnnualGrade, Cadre, Grade, OrgUnit, OrgUnitKind

from . import scoring
from .models import (
    Accountability,
    AccountabilityKind,
    AccountabilityStatus,
    AssessmentYear,
    DailyCategory,
    DailyRecord,
    Dimension,
    Direction,
    GradeDecision,
    Indicator,
    IndicatorSystem,
    TeamRating,
    UnitResult,
    UnitScore,
    YearStatus,
)
from .queries import unit_leaders

SCORED_CATEGORIES = (OrgUnitKind.TOWNSHIP, OrgUnitKind.DEPARTMENT, OrgUnitKind.INSTITUTION)


def refuse(error: scoring.ScoringError) -> DomainError:
    return DomainError(error.code, _(error.message) % error.params if error.params else _(error.message))


def core_indicators(system: IndicatorSystem) -> list[scoring.Indicator]:
    return [scoring.Indicator(i.code, i.name, float(i.weight), i.direction, i.floor, i.target, i.dimension)
            for i in system.indicators.all()]


def _recheck(acting_user, cadre) -> None:
    """Eligibility reads grades (R8) and accountability (R25): run it again for the cadre's
    active candidates, so what the case page shows stays true."""
    for candidate in Candidate.objects.filter(cadre=cadre, status="active", case__status="active"):
        case_actions.check_eligibility(acting_user=acting_user, candidate=candidate)


# ---- indicator systems ------------------------------------------------------------------

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


# ---- the assessment year ----------------------------------------------------------------

@transaction.atomic
def open_year(*, acting_user, year: int) -> AssessmentYear:
    """Open a year: the newest indicator system of each category is frozen for it."""
    if AssessmentYear.objects.filter(year=year).exists():
        raise Conflict("assessment.year_exists", _("%(year)s 年度考核已经建立。") % {"year": year})
    systems = []
    for category in SCORED_CATEGORIES:
        system = IndicatorSystem.objects.filter(category=category).order_by("-version").first()
        if system is not None:
            systems.append(system)
    if not systems:
        raise DomainError("assessment.no_system", _("还没有指标体系，请先建立。"))
    public_weight = Decimal(str(rule_params("R23", variant="public").get("public_weight", "0.3")))
    record = AssessmentYear.objects.create(year=year, public_weight=public_weight)
    record.systems.set(systems)
    IndicatorSystem.objects.filter(pk__in=[s.pk for s in systems]).update(frozen=True)
    record_event(kind="assessment.year.opened", subject=record, actor=acting_user, public=True,
                 payload={"year": year, "public_weight": str(public_weight),
                          "systems": [{"category": s.category, "version": s.version} for s in systems]})
    return record


def lock_open_year(year: AssessmentYear) -> AssessmentYear:
    """The year locked for a change, refused once it is closed (已确定等次)."""
    year = AssessmentYear.objects.select_for_update().get(pk=year.pk)
    if year.status == YearStatus.GRADED:
        raise Conflict("assessment.year_graded", _("%(year)s 年度已确定等次，不能再修改得分。") % {"year": year.year})
    return year


def system_for(year: AssessmentYear, unit: OrgUnit) -> IndicatorSystem:
    system = year.systems.filter(category=unit.kind).first()
    if system is None:
        raise DomainError("assessment.no_system_for_unit",
                          _("%(unit)s 的单位类别没有本年度的指标体系。") % {"unit": unit.name})
    return system


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
def import_unit_results(*, acting_user, year: AssessmentYear, rows: list[tuple[OrgUnit, dict]]) -> int:
    """Apply previewed rows in one transaction: all of them, or none when one is refused."""
    if not rows:
        raise DomainError("assessment.import_empty", _("没有可导入的行：请先预览，修正或跳过有问题的行。"))
    for unit, values in rows:
        record_unit_results(acting_user=acting_user, year=year, org_unit=unit, values=values)
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
    """The public's evaluation (0–1) of units and of cadres, as tallied."""
    year = lock_open_year(year)
    for _label, scores in (("unit", unit_scores or {}), ("cadre", cadre_scores or {})):
        for _key, value in scores.items():
            if value is None or not 0 <= float(value) <= 1:
                raise DomainError("assessment.public_range", _("群众评议得分须在 0 到 1 之间。"))
    for unit_id, value in (unit_scores or {}).items():
        UnitScore.objects.filter(year=year, org_unit_id=unit_id).update(public_score=float(value))
    for cadre_id, value in (cadre_scores or {}).items():
        GradeDecision.objects.filter(year=year, cadre_id=cadre_id).update(public_score=float(value))
    record_event(kind="assessment.public_evaluation.recorded", subject=year, actor=acting_user,
                 payload={"year": year.year, "units": {str(k): float(v) for k, v in (unit_scores or {}).items()},
                          "cadres": len(cadre_scores or {})})


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


# ---- grades (R23) -----------------------------------------------------------------------

def excellent_cap(score: UnitScore, people: int) -> scoring.GradeCap:
    """R23's 优秀 cap for a unit of ``people`` leaders, by its team rating (the rule in force)."""
    return scoring.excellent_cap(people, team_rating=score.team_rating, shares=rule_params("R23"))


@transaction.atomic
def propose_grades(*, acting_user, year: AssessmentYear, org_unit: OrgUnit, team_rating: str = TeamRating.GOOD,
                   on: dt.date | None = None) -> list[GradeDecision]:
    """Propose each leader's grade from the unit's score and their own public evaluation: the
    best up to the unit's 优秀 cap are proposed 优秀 (a tie at the cap is left for the committee),
    the rest 称职. The committee decides with :func:`decide_grades`."""
    year = lock_open_year(year)
    if year.status == YearStatus.OPEN:
        raise DomainError("assessment.not_scored", _("请先计算本年度得分。"))
    if team_rating not in TeamRating.values:
        raise DomainError("assessment.team_rating", _("请选择领导班子评价。"))
    unit_score = UnitScore.objects.filter(year=year, org_unit=org_unit).first()
    if unit_score is None:
        raise DomainError("assessment.unit_not_scored", _("%(unit)s 没有本年度得分。") % {"unit": org_unit.name})
    unit_score.team_rating = team_rating
    unit_score.save(update_fields=["team_rating"])
    on = on or dt.date(year.year, 12, 31)
    people = unit_leaders(org_unit, on=on)
    old = {g.cadre_id: g for g in GradeDecision.objects.filter(year=year, org_unit=org_unit)}
    weight = float(year.public_weight)
    rows = []
    for cadre in people:
        public = old[cadre.pk].public_score if cadre.pk in old else None
        rows.append(GradeDecision(year=year, cadre=cadre, org_unit=org_unit, public_score=public,
                                  score=scoring.combine(unit_score.adjusted, public, public_weight=weight),
                                  proposed=Grade.COMPETENT))
    cap = excellent_cap(unit_score, len(rows)).allowed
    ordered = sorted(rows, key=lambda g: -g.score)
    for i, row in enumerate(ordered[:cap]):
        tie_at_cap = len(ordered) > cap and round(row.score, 9) == round(ordered[cap].score, 9)
        if not tie_at_cap:
            ordered[i].proposed = Grade.EXCELLENT
    GradeDecision.objects.filter(year=year, org_unit=org_unit, decided="").delete()
    decided = set(GradeDecision.objects.filter(year=year, org_unit=org_unit).values_list("cadre_id", flat=True))
    rows = [r for r in rows if r.cadre_id not in decided]
    GradeDecision.objects.bulk_create(rows)
    record_event(kind="assessment.grades.proposed", subject=org_unit, actor=acting_user,
                 payload={"year": year.year, "team_rating": team_rating, "excellent_cap": cap,
                          "proposed": {str(r.cadre_id): r.proposed for r in rows}})
    return rows


@transaction.atomic
def decide_grades(*, acting_user, year: AssessmentYear, org_unit: OrgUnit, grades: dict) -> list[GradeDecision]:
    """The committee's grades for a unit's leaders ({cadre id: grade}), refused when 优秀 would
    pass the R23 cap; each decided grade becomes the cadre's AnnualGrade (read by R8)."""
    year = lock_open_year(year)
    rows = {g.cadre_id: g for g in GradeDecision.objects.select_for_update()
            .filter(year=year, org_unit=org_unit).select_related("cadre")}
    if not rows:
        raise DomainError("assessment.not_proposed", _("请先生成%(unit)s的建议等次。") % {"unit": org_unit.name})
    wanted = {}
    for key, grade in grades.items():
        try:
            cadre_id = int(key)
        except (TypeError, ValueError):
            cadre_id = None
        if cadre_id not in rows:
            raise DomainError("assessment.not_in_unit", _("所选干部不在%(unit)s本年度考核名单中。") % {"unit": org_unit.name})
        if grade not in Grade.values:
            raise DomainError("assessment.grade", _("请为%(name)s选择等次。") % {"name": rows[cadre_id].cadre.name})
        wanted[cadre_id] = grade
    final = {cid: wanted.get(cid, row.decided or row.proposed) for cid, row in rows.items()}
    unit_score = UnitScore.objects.get(year=year, org_unit=org_unit)
    cap = excellent_cap(unit_score, len(rows))
    excellent = sum(1 for g in final.values() if g == Grade.EXCELLENT)
    if excellent > cap.allowed:
        raise DomainError("assessment.excellent_over_cap",
                          _("%(unit)s优秀 %(n)s 人，超出上限 %(over)s 人：%(people)s 人的 %(share)s 为 %(cap)s 人。") % {
                              "unit": org_unit.name, "n": excellent, "over": excellent - cap.allowed,
                              "people": len(rows), "share": f"{float(cap.share):.0%}", "cap": cap.allowed},
                          details={"cap": cap.allowed, "excellent": excellent})
    now = timezone.now()
    for cadre_id, grade in final.items():
        row = rows[cadre_id]
        row.decided, row.decided_at = grade, now
        row.save(update_fields=["decided", "decided_at"])
        AnnualGrade.objects.update_or_create(cadre_id=cadre_id, year=year.year, defaults={"grade": grade})
    record_event(kind="assessment.grades.decided", subject=org_unit, actor=acting_user,
                 payload={"year": year.year, "grades": {str(k): v for k, v in sorted(final.items())},
                          "excellent_cap": cap.allowed})
    for row in rows.values():
        _recheck(acting_user, row.cadre)
    return list(rows.values())


@transaction.atomic
def close_year(*, acting_user, year: AssessmentYear) -> AssessmentYear:
    """The committee closes the year once every scored unit's grades are decided: scores,
    public evaluation and grades are final from then on (every change is refused)."""
    year = lock_open_year(year)
    if year.status != YearStatus.SCORED:
        raise DomainError("assessment.not_scored", _("请先计算本年度得分。"))
    scored = {s.org_unit_id: s.org_unit for s in UnitScore.objects.filter(year=year).select_related("org_unit")}
    proposed = set(GradeDecision.objects.filter(year=year).values_list("org_unit_id", flat=True))
    undecided = set(GradeDecision.objects.filter(year=year, decided="").values_list("org_unit_id", flat=True))
    on = dt.date(year.year, 12, 31)
    names = sorted(unit.name for pk, unit in scored.items()
                   if pk in undecided or (pk not in proposed and unit_leaders(unit, on=on)))
    if names:
        raise DomainError("assessment.grades_pending",
                          _("还有 %(n)s 个单位未确定等次：%(units)s。") % {
                              "n": len(names), "units": "、".join(names[:10]) + ("等" if len(names) > 10 else "")},
                          details={"units": names})
    year.status = YearStatus.GRADED
    year.save(update_fields=["status"])
    record_event(kind="assessment.year.graded", subject=year, actor=acting_user, public=True,
                 payload={"year": year.year, "units": UnitScore.objects.filter(year=year).count(),
                          "grades": GradeDecision.objects.filter(year=year).count()})
    return year


# ---- daily records ----------------------------------------------------------------------

@transaction.atomic
def add_daily_record(*, acting_user, cadre: Cadre, recorded_on: dt.date, category: str, text: str) -> DailyRecord:
    if category not in DailyCategory.values:
        raise DomainError("daily_record.category", _("请选择记录类别。"))
    text = (text or "").strip()
    if not text:
        raise DomainError("daily_record.text_required", _("请填写记录内容。"))
    if len(text) > 2000:
        raise DomainError("daily_record.too_long", _("记录内容不能超过 2000 字。"))
    if recorded_on > timezone.localdate():
        raise DomainError("daily_record.future", _("记录日期不能晚于今天。"))
    record = DailyRecord.objects.create(cadre=cadre, recorded_on=recorded_on, category=category, text=text,
                                        recorded_by=acting_user)
    record_event(kind="assessment.daily_record.added", subject=cadre, actor=acting_user,
                 payload={"recorded_on": recorded_on, "category": category, "text": text})
    return record


# ---- accountability (R25) ---------------------------------------------------------------

@transaction.atomic
def open_accountability(*, acting_user, cadre: Cadre, facts: str, opened_on: dt.date | None = None) -> Accountability:
    """Open an accountability case: while it is open the cadre cannot be promoted."""
    facts = (facts or "").strip()
    if not facts:
        raise DomainError("accountability.facts_required", _("请写明问责事实。"))
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise DomainError("accountability.future", _("立案日期不能晚于今天。"))
    case = Accountability.objects.create(cadre=cadre, facts=facts[:4000], opened_on=opened_on)
    record_event(kind="assessment.accountability.opened", subject=case, actor=acting_user,
                 payload={"cadre": cadre.pk, "opened_on": opened_on, "facts": case.facts})
    _recheck(acting_user, cadre)
    return case


def _open_case(case: Accountability) -> Accountability:
    case = Accountability.objects.select_for_update().select_related("cadre").get(pk=case.pk)
    if case.status != AccountabilityStatus.OPEN:
        raise Conflict("accountability.closed", _("该问责已%(status)s，不能再改。") % {"status": case.get_status_display()})
    return case


@transaction.atomic
def decide_accountability(*, acting_user, case: Accountability, kind: str, decision: str,
                          decided_on: dt.date | None = None) -> Accountability:
    """Record the decision: the kind sets the months during which promotion is barred, read
    from R25 as in force on the decision date and kept with the case."""
    case = _open_case(case)
    if kind not in AccountabilityKind.values:
        raise DomainError("accountability.kind", _("请选择问责方式。"))
    if not (decision or "").strip():
        raise DomainError("accountability.decision_required", _("请填写决定内容。"))
    decided_on = decided_on or timezone.localdate()
    if decided_on < case.opened_on or decided_on > timezone.localdate():
        raise DomainError("accountability.decided_on", _("决定日期须在立案日期与今天之间。"))
    params = rule_params("R25", variant="accountability", on=decided_on)
    bars = params.get("bar_months", {})
    if kind not in bars:
        raise DomainError("accountability.no_rule", _("规则 R25 中没有“%(kind)s”的影响期，请在规则管理中补充。") % {
            "kind": AccountabilityKind(kind).label})
    case.kind, case.decision, case.decided_on = kind, decision.strip()[:4000], decided_on
    case.bar_months = int(bars[kind])
    case.rule_source = "R25"
    case.status = AccountabilityStatus.DECIDED
    case.save(update_fields=["kind", "decision", "decided_on", "bar_months", "rule_source", "status"])
    record_event(kind="assessment.accountability.decided", subject=case, actor=acting_user,
                 payload={"kind": kind, "decided_on": decided_on, "bar_months": case.bar_months,
                          "decision": case.decision})
    _recheck(acting_user, case.cadre)
    return case


@transaction.atomic
def dismiss_accountability(*, acting_user, case: Accountability, reason: str) -> Accountability:
    case = _open_case(case)
    if not (reason or "").strip():
        raise DomainError("reason.required", _("请填写原因。"))
    case.status, case.decision, case.decided_on = AccountabilityStatus.DISMISSED, reason.strip()[:4000], timezone.localdate()
    case.save(update_fields=["status", "decision", "decided_on"])
    record_event(kind="assessment.accountability.dismissed", subject=case, actor=acting_user,
                 payload={"reason": case.decision})
    _recheck(acting_user, case.cadre)
    return case


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
