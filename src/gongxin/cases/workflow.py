"""The case workflow as data (STYLE.md, django-oscar's pipeline): a TRANSITIONS table and one
guard, ``blockers(case, target)``, that lists in Chinese what stops the move. No writes here.

Stages that other apps fill (inspection, joint review, publicity) add their guards with
``gongxin.cases.guards.register_guard``."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import guards
from .guards import blocker
from .models import (
    STAGE_ORDER,
    Candidate,
    CandidateStatus,
    Case,
    CaseStage,
    CaseStatus,
    DecisionMeeting,
    VacancyNotice,
)


@dataclass(frozen=True)
class Transition:
    name: str
    source: str
    target: str
    label: str


TRANSITIONS = [
    Transition("start_nomination", CaseStage.MOTION, CaseStage.NOMINATION, gettext_lazy("开始提名")),
    Transition("fix_candidates", CaseStage.NOMINATION, CaseStage.CANDIDATES, gettext_lazy("确定考察对象")),
    Transition("start_inspection", CaseStage.CANDIDATES, CaseStage.INSPECTION, gettext_lazy("开始考察和联审")),
    Transition("submit_decision", CaseStage.INSPECTION, CaseStage.DECISION, gettext_lazy("提交讨论决定")),
    Transition("start_publicity", CaseStage.DECISION, CaseStage.PUBLICITY, gettext_lazy("进入任前公示")),
    Transition("start_appointment", CaseStage.PUBLICITY, CaseStage.APPOINTMENT, gettext_lazy("办理任职")),
    Transition("close", CaseStage.APPOINTMENT, CaseStage.CLOSED, gettext_lazy("办结")),
]
BY_TARGET = {t.target: t for t in TRANSITIONS}
NEXT = {t.source: t for t in TRANSITIONS}

# Candidates at these stages and later must clear the registered per-candidate blockers.
CANDIDATE_BLOCKER_STAGES = {CaseStage.DECISION, CaseStage.PUBLICITY, CaseStage.APPOINTMENT, CaseStage.CLOSED}


def next_transition(case: Case) -> Transition | None:
    return NEXT.get(case.stage)


def _active(case: Case):
    return case.candidates.filter(status=CandidateStatus.ACTIVE)


# ---- our own guards, one per target stage ----------------------------------------------------

def _into_nomination(case: Case) -> list[str]:
    out = []
    if not case.case_posts.exists():
        out.append(blocker(_("还没有确定拟选职位，请在动议中添加职位。"), "cases:case_detail", case.pk))
    if not case.channels:
        out.append(blocker(_("还没有选择提名渠道。"), "cases:case_detail", case.pk))
    if not case.motion_reason.strip():
        out.append(blocker(_("请填写动议理由。"), "cases:case_detail", case.pk))
    return out


def _into_candidates(case: Case) -> list[str]:
    out = []
    active = _active(case)
    for cp in case.case_posts.select_related("post__org_unit"):
        n = active.filter(Q(post=cp.post) | Q(post__isnull=True)).count()
        if n < 1:
            out.append(blocker(_("%(post)s 还没有提名人选。") % {"post": cp.post}, "cases:candidate_add", case.pk))
    today = timezone.localdate()
    for notice in case.vacancy_notices.filter(status=VacancyNotice.Status.OPEN, deadline__gte=today):
        out.append(blocker(_("%(post)s 的自荐报名到 %(date)s 才截止。") % {"post": notice.post, "date": notice.deadline},
                           "cases:notice_detail", notice.pk))
    pending = case.vacancy_notices.aggregate(n=Count("applications", filter=Q(applications__status="submitted")))["n"]
    if pending:
        first = case.vacancy_notices.filter(applications__status="submitted").first()
        out.append(blocker(_("还有 %(n)d 份自荐报名没有审核。") % {"n": pending}, "cases:notice_detail", first.pk if first else 0))
    return out


def _into_inspection(case: Case) -> list[str]:
    out = []
    active = list(_active(case).select_related("cadre"))
    unchecked = [c for c in active if c.eligibility_checked_at is None]
    if unchecked:
        out.append(blocker(_("以下人选还没有资格审查结果：%(names)s。") % {"names": "、".join(c.cadre.name for c in unchecked)},
                           "cases:candidate_detail", unchecked[0].pk))
    failed = [c for c in active if c.eligibility_checked_at and c.eligibility_passed is False]
    if failed:
        out.append(blocker(_("以下人选资格审查未通过，请取消其资格或按规定办理破格：%(names)s。") % {
            "names": "、".join(c.cadre.name for c in failed)}, "cases:candidate_detail", failed[0].pk))
    posts = sum(cp.count for cp in case.case_posts.all())
    if len(active) < posts:
        out.append(blocker(_("考察对象 %(n)d 人，少于拟选职数 %(posts)d 个。") % {"n": len(active), "posts": posts},
                           "cases:candidate_add", case.pk))
    return out


def _into_decision(case: Case) -> list[str]:
    """Eligibility again, on today's facts (a problem found during inspection, a new sanction):
    nobody goes to the committee on a stale check."""
    from .checks import translated_reason
    from .facts import run_eligibility

    out = []
    for cand in _active(case).select_related("cadre", "case__rule_set"):
        failed = [r for r in run_eligibility(cand) if r.outcome == "fail"]
        if failed:
            out.append(blocker(_("%(name)s 资格复核未通过：%(why)s") % {
                "name": cand.cadre.name, "why": "；".join(translated_reason(r) for r in failed)},
                "cases:candidate_detail", cand.pk))
    return out


def _into_publicity(case: Case) -> list[str]:
    pending = case.decision_meetings.filter(status=DecisionMeeting.Status.OPEN).first()
    if pending is not None:
        return [blocker(_("讨论决定会议“%(title)s”尚未形成决定。") % {"title": pending.title}, "cases:meeting_detail", pending.pk)]
    # Only a held meeting decides; one without a quorum (not held) decides nothing.
    meeting = (case.decision_meetings.filter(status=DecisionMeeting.Status.CLOSED).order_by("-closed_at").first())
    if meeting is None:
        failed = case.decision_meetings.filter(status=DecisionMeeting.Status.NOT_HELD).order_by("-closed_at").first()
        if failed is not None:
            result = failed.result or {}
            return [blocker(_("讨论决定会议“%(title)s”到会 %(present)s 人，不足法定人数（应到 %(members)s 人），会议无效，"
                              "请重新召开。") % {"title": failed.title, "present": result.get("present"),
                                            "members": result.get("members")}, "cases:meeting_create", case.pk)]
        return [blocker(_("还没有召开讨论决定会议并形成决定。"), "cases:meeting_create", case.pk)]
    result = meeting.result or {}
    if not any(c.get("passed") for c in result.get("candidates", [])):
        return [blocker(_("讨论决定会议没有人选获得应到会成员半数以上同意。"), "cases:meeting_detail", meeting.pk)]
    return []


def _into_closed(case: Case) -> list[str]:
    waiting = list(_active(case).select_related("cadre"))
    if waiting:
        return [blocker(_("还有 %(n)d 名人选未办理任职：%(names)s。") % {
            "n": len(waiting), "names": "、".join(c.cadre.name for c in waiting)}, "cases:candidate_detail", waiting[0].pk)]
    return []


OWN_GUARDS = {
    CaseStage.NOMINATION: [_into_nomination],
    CaseStage.CANDIDATES: [_into_candidates],
    CaseStage.INSPECTION: [_into_inspection],
    CaseStage.DECISION: [_into_decision],
    CaseStage.PUBLICITY: [_into_publicity],
    CaseStage.CLOSED: [_into_closed],
}


def candidate_blockers(candidate: Candidate) -> list[str]:
    out = []
    for fn in guards.candidate_blocker_fns():
        out.extend(guards.keep(b) for b in (fn(candidate) or []))
    return out


def candidate_blockers_for(candidates) -> dict[int, list[str]]:
    """``candidate_blockers`` of each of ``candidates`` (id → blockers, in the same order as
    one at a time), asking each app once for the whole list where it can."""
    candidates = list(candidates)
    out: dict[int, list[str]] = {c.pk: [] for c in candidates}
    for fn in guards.candidate_blocker_fns():
        many = guards.candidate_blockers_many(fn)
        found = many(candidates) if many is not None else {c.pk: fn(c) for c in candidates}
        for c in candidates:
            out[c.pk].extend(guards.keep(b) for b in (found.get(c.pk) or []))
    return out


def blockers(case: Case, target: str) -> list[str]:
    """Everything that stops ``case`` moving into ``target`` (empty: it may move)."""
    target = str(target)
    if case.status != CaseStatus.ACTIVE:
        return [_("案件%(status)s，不能推进。") % {"status": case.get_status_display()}]
    step = NEXT.get(case.stage)
    if step is None or step.target != target:
        current = CaseStage(case.stage).label
        wanted = CaseStage(target).label if target in STAGE_ORDER else target
        if step is None:
            return [_("案件已办结，不能再推进。")]
        return [_("案件处于“%(current)s”阶段，只能进入“%(next)s”，不能直接进入“%(wanted)s”。") % {
            "current": current, "next": CaseStage(step.target).label, "wanted": wanted}]
    out: list[str] = []
    for fn in OWN_GUARDS.get(target, []):
        out.extend(fn(case))
    for fn in guards.guards_for(target):
        out.extend(guards.keep(b) for b in (fn(case) or []))
    if target in CANDIDATE_BLOCKER_STAGES and guards.candidate_blocker_fns():
        active = list(_active(case).select_related("cadre"))
        found = candidate_blockers_for(active)
        for cand in active:
            for b in found[cand.pk]:
                text = _("%(name)s：%(blocker)s") % {"name": cand.cadre.name, "blocker": b}
                out.append(guards.Blocker(text, getattr(b, "url", "") or reverse("cases:candidate_detail", args=[cand.pk])))
    return out


def timeline(case: Case) -> list[dict]:
    """Stages with done / current / todo, for the case page."""
    index = STAGE_ORDER.index(case.stage)
    return [{"stage": s, "label": CaseStage(s).label,
             "state": "done" if i < index else ("current" if i == index else "todo")}
            for i, s in enumerate(STAGE_ORDER)]
