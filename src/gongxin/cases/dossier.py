"""全程纪实: the dossier of a case, assembled from the ledger (every event whose subject is the
case, its candidates, meetings, notices, applications, or a subject other apps register) and
the attachments, with each stage's facts."""

import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongxin.ledger.labels import kind_label, people_by_username
from gongxin.ledger.models import Event

from . import guards
from .checks import translated_reason
from .models import STAGE_ORDER, Case, CaseStage, Channel

KIND_LABELS = {
    "cases.case.opened": gettext_lazy("动议"),
    "cases.case.advanced": gettext_lazy("推进阶段"),
    "cases.case.suspended": gettext_lazy("暂停案件"),
    "cases.case.resumed": gettext_lazy("恢复案件"),
    "cases.case.withdrawn": gettext_lazy("撤销案件"),
    "cases.attachment.added": gettext_lazy("上传附件"),
    "cases.candidate.added": gettext_lazy("提名人选"),
    "cases.candidate.eligibility_checked": gettext_lazy("资格审查"),
    "cases.candidate.exception_recorded": gettext_lazy("破格审批"),
    "cases.candidate.suspended": gettext_lazy("暂停人选"),
    "cases.candidate.resumed": gettext_lazy("恢复人选"),
    "cases.candidate.disqualified": gettext_lazy("取消人选资格"),
    "cases.candidate.withdrawn": gettext_lazy("人选退出"),
    "cases.candidate.appointed": gettext_lazy("任职"),
    "cases.vacancy_notice.published": gettext_lazy("发布职位空缺公告"),
    "cases.vacancy_notice.closed": gettext_lazy("公告截止"),
    "cases.application.submitted": gettext_lazy("自荐报名"),
    "cases.application.accepted": gettext_lazy("接受自荐"),
    "cases.application.rejected": gettext_lazy("不接受自荐"),
    "cases.decision_meeting.created": gettext_lazy("召开讨论决定会议"),
    "cases.decision_meeting.attendance_recorded": gettext_lazy("登记出席"),
    "cases.decision_meeting.votes_recorded": gettext_lazy("登记表态"),
    "cases.decision_meeting.counts_recorded": gettext_lazy("登记计票"),
    "cases.decision.taken": gettext_lazy("形成决定"),
    # Other apps' events that belong in a case's record
    "inspection.inspection.opened": gettext_lazy("开始考察"),
    "inspection.interview.recorded": gettext_lazy("考察谈话"),
    "inspection.vote.recorded": gettext_lazy("民主测评"),
    "inspection.tracking_record.added": gettext_lazy("跟踪考察记录"),
    "inspection.source_place.added": gettext_lazy("溯源考察地点"),
    "inspection.source_place.visited": gettext_lazy("溯源走访"),
    "inspection.report.saved": gettext_lazy("保存考察报告"),
    "inspection.report.signed": gettext_lazy("考察报告签发"),
    "inspection.report_finding.recorded": gettext_lazy("考察发现"),
    "inspection.review.sent": gettext_lazy("发出联审函"),
    "inspection.review.answered": gettext_lazy("联审单位答复"),
    "inspection.four_check.done": gettext_lazy("凡提四必查核"),
    "meetings.meeting.created": gettext_lazy("创建推荐会议"),
    "meetings.meeting.opened": gettext_lazy("推荐会议开始"),
    "meetings.check_in.recorded": gettext_lazy("推荐会议签到"),
    "meetings.meeting.closed": gettext_lazy("推荐会议结束"),
    "meetings.seed.revealed": gettext_lazy("公布随机种子"),
    "meetings.meeting.published": gettext_lazy("公布推荐结果"),
    "publicity.notice.created": gettext_lazy("生成任前公示"),
    "publicity.notice.entry_added": gettext_lazy("添加公示对象"),
    "publicity.notice.published": gettext_lazy("发布任前公示"),
    "publicity.notice.closed": gettext_lazy("公示结束"),
    "publicity.feedback.received": gettext_lazy("收到公示反馈"),
    "publicity.feedback.resolved": gettext_lazy("公示反馈办结"),
    "publicity.appointment.recorded": gettext_lazy("登记任职"),
}


@dataclass
class DossierEntry:
    seq: int
    at: object
    actor: str
    kind: str
    label: str
    stage: str
    summary: str
    payload: dict = field(default_factory=dict)


def case_subjects(case: Case) -> list[tuple[str, str]]:
    subjects = [("cases.case", str(case.pk))]
    subjects += [("cases.candidate", str(pk)) for pk in case.candidates.values_list("pk", flat=True)]
    subjects += [("cases.decisionmeeting", str(pk)) for pk in case.decision_meetings.values_list("pk", flat=True)]
    notices = list(case.vacancy_notices.values_list("pk", flat=True))
    subjects += [("cases.vacancynotice", str(pk)) for pk in notices]
    from .models import Application

    subjects += [("cases.application", str(pk))
                 for pk in Application.objects.filter(notice__in=notices).values_list("pk", flat=True)]
    for fn in guards.dossier_subject_fns():
        subjects += [(str(t), str(i)) for t, i in (fn(case) or [])]
    return subjects


def _channel(code) -> str:
    return str(Channel(code).label) if code in Channel.values else str(code or "")


def _summary(kind: str, p: dict) -> str:
    if kind == "cases.case.advanced":
        return _("从“%(a)s”进入“%(b)s”") % {"a": CaseStage(p["from"]).label, "b": CaseStage(p["to"]).label}
    if kind == "cases.case.opened":
        return _("职位：%(posts)s；规则版本 v%(v)s；理由：%(r)s") % {
            "posts": "、".join(x["title"] for x in p.get("posts", [])), "v": p.get("rule_set", {}).get("version"),
            "r": p.get("motion_reason", "")}
    if kind == "cases.candidate.added":
        e = p.get("eligibility", {})
        return _("%(name)s（%(channel)s），资格审查%(result)s") % {
            "name": p.get("name"), "channel": _channel(p.get("channel")), "result": _("通过") if e.get("passed") else _("未通过")}
    if kind == "cases.decision.taken":
        parts = [_("应到 %(m)s 人，实到 %(p)s 人") % {"m": p.get("members"), "p": p.get("present")}]
        for c in p.get("candidates", []):
            parts.append(_("%(name)s 同意 %(a)s、不同意 %(d)s、缓议 %(f)s，%(r)s") % {
                "name": c.get("name"), "a": c.get("agree"), "d": c.get("disagree"), "f": c.get("defer"),
                "r": _("通过") if c.get("passed") else _("未通过")})
        return "；".join(parts)
    if kind == "cases.candidate.appointed":
        return _("任职日期 %(start)s，试用期至 %(end)s") % {"start": p.get("start"), "end": p.get("probation_end") or "—"}
    keys = ("reason", "name", "title", "post", "deadline", "approval")
    bits = [f"{p[k]}" for k in keys if p.get(k) not in (None, "", [], {})]
    return "；".join(bits)


def entries(case: Case) -> list[DossierEntry]:
    subjects = case_subjects(case)
    by_type: dict[str, list[str]] = {}
    for t, i in subjects:
        by_type.setdefault(t, []).append(i)
    from django.db.models import Q

    q = Q(pk__in=[])
    for t, ids in by_type.items():
        q |= Q(subject_type=t, subject_id__in=ids)
    stage = CaseStage.MOTION
    out = []
    events = list(Event.objects.filter(q).order_by("seq"))
    people = people_by_username(ev.actor_name for ev in events)  # a person's name and role, not the account name
    for ev in events:
        envelope = json.loads(bytes(ev.data))
        payload = envelope.get("payload", {})
        if ev.kind == "cases.case.advanced":
            stage = payload.get("to", stage)
        out.append(DossierEntry(seq=ev.seq, at=ev.recorded_at, actor=people.get(ev.actor_name) or _("系统"), kind=ev.kind,
                                label=str(KIND_LABELS.get(ev.kind) or kind_label(ev.kind)), stage=stage,
                                summary=_summary(ev.kind, payload), payload=payload))
    return out


def build(case: Case) -> dict:
    """Everything the dossier page prints, by stage."""
    items = entries(case)
    candidates = list(case.candidates.select_related("cadre__org_unit", "post__org_unit").order_by("id"))
    for c in candidates:
        c.checks = [{**r, "text": translated_reason(r)} for r in c.eligibility]
    meetings = list(case.decision_meetings.prefetch_related("members").order_by("held_on", "id"))
    stages = []
    for s in STAGE_ORDER:
        stages.append({"stage": s, "label": CaseStage(s).label, "entries": [e for e in items if e.stage == s]})
    return {
        "case": case, "posts": list(case.case_posts.select_related("post__org_unit", "post__rank")),
        "rules": list(case.rule_set.rules.all()), "candidates": candidates, "meetings": meetings,
        "attachments": list(case.attachments.all()), "stages": stages, "entries": items,
        "ledger_range": (items[0].seq, items[-1].seq) if items else None,
        "channel_labels": [_channel(c) for c in case.channels],
    }
