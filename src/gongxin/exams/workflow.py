"""The exam's states as data, and the checks that list what blocks a step (no DB writes)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ExamChannel, ExamStatus

# (from, to): the action that makes the move
TRANSITIONS = {
    (ExamStatus.DRAFT, ExamStatus.REGISTRATION): "publish_exam",
    (ExamStatus.REGISTRATION, ExamStatus.SCREENING): "close_registration",
    (ExamStatus.SCREENING, ExamStatus.WRITTEN): "issue_admission_tickets",
    (ExamStatus.WRITTEN, ExamStatus.INTERVIEW): "rank_written",
    (ExamStatus.INTERVIEW, ExamStatus.RANKED): "rank_final",
    (ExamStatus.RANKED, ExamStatus.PUBLISHED): "publish_results",
}
NEXT = {a: b for a, b in TRANSITIONS}
ACTION = {a: name for (a, _b), name in TRANSITIONS.items()}


def move_blockers(exam, to: str, *, counts: dict) -> list[str]:
    """Why ``exam`` cannot move to ``to``; ``counts`` holds what the step needs to know
    (pending appeals, people without a score...), read by the caller."""
    if NEXT.get(exam.status) != to:
        return [_("考试当前为“%(now)s”，不能进入“%(to)s”。") % {
            "now": exam.get_status_display(), "to": ExamStatus(to).label}]
    out = []
    if to == ExamStatus.REGISTRATION and not counts.get("posts"):
        out.append(_("公告还没有招考职位。"))
    if to == ExamStatus.WRITTEN:
        if counts.get("pending_appeals"):
            out.append(_("还有 %(n)d 份资格复核申请未处理。") % {"n": counts["pending_appeals"]})
        if not counts.get("eligible"):
            out.append(_("没有资格审查通过的报名人员。"))
    if to == ExamStatus.INTERVIEW and counts.get("missing"):
        out.append(_("还有 %(n)d 人没有笔试成绩（缺考请录入“缺考”）。") % {"n": counts["missing"]})
    if to == ExamStatus.RANKED and counts.get("missing"):
        out.append(_("还有 %(n)d 名面试人选没有面试成绩（缺考请录入“缺考”）。") % {"n": counts["missing"]})
    return out


def score_blockers(exam, component: str) -> list[str]:
    if component == "written" and exam.status != ExamStatus.WRITTEN:
        return [_("只有在笔试阶段才能录入或导入笔试成绩（当前：%(s)s）。") % {"s": exam.get_status_display()}]
    if component == "interview" and exam.status != ExamStatus.INTERVIEW:
        return [_("只有在面试阶段才能录入或导入面试成绩（当前：%(s)s）。") % {"s": exam.get_status_display()}]
    if component not in ("written", "interview"):
        return [_("未知的成绩类别。")]
    return []


def correction_blockers(exam) -> list[str]:
    if exam.status in (ExamStatus.PUBLISHED, ExamStatus.CLOSED):
        return [_("成绩已经公布，不能再更正；如确有错误，请按程序另行处理。")]
    if exam.status not in (ExamStatus.WRITTEN, ExamStatus.INTERVIEW, ExamStatus.RANKED):
        return [_("考试还没有成绩可以更正。")]
    return []


def admission_blockers(exam) -> list[str]:
    """Why recruitment's admission (录用) cannot be done now: only a recruitment exam, once,
    after its scores and rankings are published."""
    if exam.channel != ExamChannel.RECRUITMENT:
        return [_("只有公开招录在成绩公布后办理录用；其他渠道的人选经选任案件任职。")]
    if exam.admitted_at is not None:
        return [_("本次招录已于 %(date)s 办理录用，不能重复录用。") % {
            "date": timezone.localdate(exam.admitted_at).isoformat()}]
    if exam.status != ExamStatus.PUBLISHED:
        return [_("成绩和排名公布后才能办理录用（当前：%(s)s）。") % {"s": exam.get_status_display()}]
    return []
