"""Grades under the R23 caps: proposed from the scores, decided by the committee."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.cases.rules import rule_params
from gongxin.core.errors import DomainError
from gongxin.ledger.recording import record_event
from gongxin.people.models import AnnualGrade, Grade, OrgUnit

from .. import scoring
from ..models import (
    AssessmentYear,
    GradeDecision,
    TeamRating,
    UnitScore,
    YearStatus,
)
from ..queries import unit_leaders
from .common import lock_open_year, recheck


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
        public = year.leader_public_scores.get(str(cadre.pk), old[cadre.pk].public_score if cadre.pk in old else None)
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
        recheck(acting_user, row.cadre)
    return list(rows.values())
