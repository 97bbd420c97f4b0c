"""What the assessment actions share: the scored categories, the scoring module's refusals in
Chinese, a system's indicators for the pure scoring module, and the year locked for a change."""

from django.utils.translation import gettext as _

from gongxin.cases import actions as case_actions
from gongxin.cases.models import Candidate
from gongxin.core.errors import Conflict, DomainError
from gongxin.people.models import OrgUnit, OrgUnitKind

from .. import scoring
from ..models import (
    AssessmentYear,
    IndicatorSystem,
    YearStatus,
)

SCORED_CATEGORIES = (OrgUnitKind.TOWNSHIP, OrgUnitKind.DEPARTMENT, OrgUnitKind.INSTITUTION)


def refuse(error: scoring.ScoringError) -> DomainError:
    return DomainError(error.code, _(error.message) % error.params if error.params else _(error.message))


def core_indicators(system: IndicatorSystem) -> list[scoring.Indicator]:
    return [scoring.Indicator(i.code, i.name, float(i.weight), i.direction, i.floor, i.target, i.dimension)
            for i in system.indicators.all()]


def recheck(acting_user, cadre) -> None:
    """Eligibility reads grades (R8) and accountability (R25): run it again for the cadre's
    active candidates, so what the case page shows stays true."""
    for candidate in Candidate.objects.filter(cadre=cadre, status="active", case__status="active"):
        case_actions.check_eligibility(acting_user=acting_user, candidate=candidate)


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
