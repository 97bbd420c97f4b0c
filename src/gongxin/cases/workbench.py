"""The cases app's lines on the workbench (``workbench_items`` hook): cases waiting on the
clerk and what they wait for, self-nominations to review, and a committee member's open votes."""

import datetime as dt

from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.workbench.items import Item, Pending, line, rows

from . import workflow
from .models import (
    Application,
    Candidate,
    CandidateStatus,
    Case,
    CaseStage,
    CaseStatus,
    DecisionMeeting,
    VotingMode,
)
from .permissions import case_q, notice_q

# Cases shown one by one (the ones longest in their stage); the rest are one line. What stops a
# case (its blockers) takes a dozen queries per candidate, so the line says where the case is
# and its next step, and the case's page (one click) lists the blockers: the workbench costs the
# same with 2 cases or 5,000.
CASES_SHOWN = 5


def items(user, today: dt.date) -> list[Item | Pending]:
    out: list[Item | Pending] = []
    if user.has_capability("cases.manage"):
        out.append(_cases(user, today))
        applications = Application.objects.filter(status=Application.Status.SUBMITTED, notice__in=_notices(user))
        found = line(applications, today=today, key="cases.applications", title=_("自荐报名待审核"),
                     list_url=reverse("cases:notice_list"), deadline="notice__deadline",
                     object_url=lambda a: reverse("cases:notice_detail", args=[a.notice_id]),
                     why=lambda a: _("%(name)s 报名 %(notice)s") % {"name": a.cadre.name, "notice": a.notice.post},
                     action=_("审核报名"), fields=("cadre__name", "notice__post__title", "notice__post__org_unit__name"))
        if found:
            out.append(found)
    if user.has_capability("decision.vote"):
        out.append(_votes(user, today))
    return out


def _notices(user):
    from .models import VacancyNotice

    return VacancyNotice.objects.filter(notice_q(user)).values("pk")


def _cases(user, today: dt.date) -> Pending:
    qs = Case.objects.filter(case_q(user), status=CaseStatus.ACTIVE).exclude(stage=CaseStage.CLOSED).order_by()
    # The longest waiting and, beside each, how many there are: one statement, which reads only
    # those few rows (and of them only what the lines show).
    order = ("stage_entered_at", "pk")
    total = qs.annotate(_wb_all=Value(1)).values("_wb_all").annotate(n=Count("pk")).values("n")
    shown = (Case.objects.filter(pk__in=Subquery(qs.order_by(*order).values("pk")[:CASES_SHOWN]))
             .annotate(_wb_total=Subquery(total)).only("title", "stage", "stage_entered_at").order_by(*order))
    return rows(shown, lambda found: _case_lines(found, today))


def _case_lines(shown, today: dt.date) -> list[Item]:
    if not shown:
        return []
    total = shown[0]._wb_total
    out = []
    for case in shown:
        step = workflow.next_transition(case)
        days = (today - timezone.localtime(case.stage_entered_at).date()).days
        stage = CaseStage(case.stage).label
        why = _("“%(stage)s”阶段第 %(days)s 天") % {"stage": stage, "days": days + 1}
        if step is not None:
            why += _("；下一步：%(step)s") % {"step": step.label}
        out.append(Item(key=f"cases.case:{case.pk}:{case.stage}", title=case.title, count=1,
                        url=reverse("cases:case_detail", args=[case.pk]), why=why,
                        action=str(step.label) if step else _("查看"), group=_("选任案件")))
    if total > CASES_SHOWN:
        out.append(Item(key=f"cases.more:{total}", title=_("其他进行中的选任案件"), count=total - CASES_SHOWN,
                        url=reverse("cases:case_list") + "?status=active", action=_("查看全部"), group=_("选任案件")))
    return out


def _votes(user, today: dt.date) -> Pending:
    """Open-mode decision meetings where this member is present, voting is open, and some active
    candidate still lacks their stance."""
    candidates = (Candidate.objects.filter(case=OuterRef("case"), status=CandidateStatus.ACTIVE)
                  .order_by().values("case").annotate(n=Count("pk")).values("n"))
    mine = (DecisionMeeting.objects.filter(
        status=DecisionMeeting.Status.OPEN, voting_open=True, mode=VotingMode.OPEN,
        members__user=user, members__present=True)
        .annotate(wanted=Subquery(candidates),
                  given=Count("votes", filter=Q(votes__member__user=user), distinct=True))
        .filter(wanted__gt=0))
    return rows(mine.order_by("held_on", "pk").select_related("case")[:50], lambda found: _vote_line(found, today))


def _vote_line(meetings, today: dt.date) -> Item | None:
    waiting = [m for m in meetings if m.given < m.wanted]
    if not waiting:
        return None
    first = waiting[0]
    left = sum(m.wanted - m.given for m in waiting)
    late = sum(1 for m in waiting if m.held_on < today)
    return Item(key=f"cases.votes:{','.join(str(m.pk) for m in waiting)}:{left}", title=_("讨论决定待表态"),
                count=len(waiting), url=reverse("cases:meeting_detail", args=[first.pk]), deadline=first.held_on,
                overdue=late, action=_("去表态"),
                why=_("%(meeting)s：还有 %(n)s 名人选待您表态") % {"meeting": first.title, "n": first.wanted - first.given})
