"""The assessment year: opened with the newest indicator systems frozen, closed once every
unit's grades are decided."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from gongxin.cases.rules import rule_params
from gongxin.core.errors import Conflict, DomainError
from gongxin.ledger.recording import record_event

from ..models import (
    AssessmentYear,
    GradeDecision,
    IndicatorSystem,
    UnitScore,
    YearStatus,
)
from ..queries import unit_leaders
from .common import SCORED_CATEGORIES, lock_open_year


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
