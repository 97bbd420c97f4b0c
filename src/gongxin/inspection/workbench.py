"""The inspection app's lines on the workbench (``workbench_items`` hook): joint-review requests
due (the review officer's to answer, the clerk's overdue to chase), interviews to record in the
inspector's open inspections, and problem files to verify."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from gongxin.accounts.scope import cadre_q
from gongxin.workbench.items import Item, line

from . import permissions
from .models import (
    Inspection,
    InspectionStatus,
    ProblemFile,
    ProblemStatus,
    ReviewAnswer,
    ReviewRequest,
)

OPEN_ANSWERS = [ReviewAnswer.PENDING, ReviewAnswer.NEEDS_VERIFICATION]


# What _who reads, for the lines' one statement.
WHO = ("candidate__cadre__name", "candidate__cadre__birth_date", "candidate__cadre__org_unit__name",
       "candidate__case__title")


def _who(request: ReviewRequest) -> str:
    cadre = request.candidate.cadre
    unit = cadre.org_unit.name if cadre.org_unit_id else ""
    return _("%(name)s（%(unit)s，%(year)s 年生）拟任 %(case)s") % {
        "name": cadre.name, "unit": unit, "year": cadre.birth_date.year, "case": request.candidate.case.title}


def items(user, today: dt.date) -> list[Item]:
    out: list[Item | None] = []
    related = ("candidate__cadre__org_unit", "candidate__case")
    if permissions.can_answer_review(user):
        mine = ReviewRequest.objects.filter(department__code=user.review_department, answer__in=OPEN_ANSWERS,
                                            candidate__case__status="active").select_related(*related)
        out.append(line(mine, today=today, key="inspection.review_answer", title=_("联审请求待答复"),
                        list_url=reverse("inspection:review_queue"), deadline="deadline",
                        object_url=lambda r: reverse("inspection:review_answer", args=[r.pk]), why=_who,
                        action=_("答复"), fields=WHO))
    if permissions.can_manage_review(user):
        late = ReviewRequest.objects.filter(cadre_q(user, "candidate__cadre__"), answer__in=OPEN_ANSWERS,
                                            deadline__lt=today).select_related(*related)
        out.append(line(late, today=today, key="inspection.review_late", title=_("联审逾期未答复，需催办"),
                        list_url=reverse("inspection:review_overview"), deadline="deadline",
                        object_url=lambda r: reverse("inspection:review_candidate", args=[r.candidate_id]),
                        why=lambda r: _("%(dept)s：%(who)s") % {"dept": r.department.name, "who": _who(r)},
                        action=_("催办"), fields=(*WHO, "department__name")))
    if user.has_capability("inspection.work"):
        open_ = (Inspection.objects.filter(status=InspectionStatus.OPEN, team__members__user=user)
                 .select_related("cadre"))
        out.append(line(open_, today=today, key="inspection.interviews", title=_("考察进行中，待记录谈话"),
                        list_url=reverse("inspection:inspection_list"), deadline=None,
                        object_url=lambda i: reverse("inspection:interview_new", args=[i.pk]),
                        why=lambda i: _("考察对象 %(name)s，%(date)s 开始") % {
                            "name": i.cadre.name, "date": i.opened_on.isoformat()},
                        action=_("记录谈话"), fields=("opened_on", "cadre__name")))
    if permissions.can_manage_problems(user):
        # Unassigned files in the user's scope, and files assigned to the user.
        problems = ProblemFile.objects.exclude(status=ProblemStatus.CLOSED).filter(
            (cadre_q(user, "cadre__") & Q(assignee__isnull=True)) | Q(assignee=user))
        out.append(line(problems.select_related("cadre"), today=today, key="inspection.problems",
                        title=_("问题档案待核查办结"), list_url=reverse("inspection:problem_list"), deadline=None,
                        object_url=lambda p: reverse("inspection:problem_detail", args=[p.pk]),
                        why=lambda p: _("%(name)s：%(text)s") % {"name": p.cadre.name, "text": p.headline},
                        action=_("核查"), fields=("text", "finding_text", "cadre__name")))
    return [i for i in out if i is not None]
