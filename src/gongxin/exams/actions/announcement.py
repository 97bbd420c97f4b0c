"""The announcement: drafted with its posts and the rule row's weights and ratios, then published."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongxin.core.errors import DomainError
from gongxin.ledger.recording import record_event

from ..models import (
    Exam,
    ExamChannel,
    ExamPost,
    ExamStatus,
)
from ..rules import exam_rule
from .common import _locked, _move, clean_weights

# ---- announcement -------------------------------------------------------------------------------

@transaction.atomic
def announce_exam(*, acting_user, channel: str, title: str, org_unit, posts: list[dict],
                  registration_closes: dt.date, written_on: dt.date | None = None,
                  interview_on: dt.date | None = None, qualifications: str = "", requirements: dict | None = None,
                  weights: dict | None = None, interview_ratio: int | None = None, inspection_ratio: int | None = None,
                  venue: str = "", case=None) -> Exam:
    """An announcement in draft: its posts (title, code, count, post, veterans_only), its
    qualifications, and the weights, ratios and tie order of the EXM rule row (the weights may
    be set for this exam; they must sum to 1)."""
    if channel not in ExamChannel.values:
        raise DomainError("exam.channel", _("未知的考试渠道。"))
    title = (title or "").strip()
    if not title:
        raise DomainError("exam.title", _("请填写考试公告的名称。"))
    if not posts:
        raise DomainError("exam.posts", _("请至少列出一个招考职位。"))
    params, name, source = exam_rule("", rule_set=case.rule_set if case is not None else None)
    weights = clean_weights(weights or {"written": params["written_weight"], "interview": params["interview_weight"]})
    interview_ratio = int(interview_ratio or params["interview_ratio"])
    inspection_ratio = int(inspection_ratio or params["inspection_ratio"])
    if not 1 <= interview_ratio <= 10 or not 1 <= inspection_ratio <= interview_ratio:
        raise DomainError("exam.ratio", _("面试比例应在 1 至 10 之间，考察比例不能大于面试比例。"))
    if written_on and written_on <= registration_closes:
        raise DomainError("exam.dates", _("笔试日期应在报名截止日期之后。"))
    if case is not None and channel not in case.channels:
        raise DomainError("exam.case_channel", _("关联案件“%(case)s”的提名渠道中没有“%(channel)s”。") % {
            "case": case, "channel": ExamChannel(channel).label})
    exam = Exam.objects.create(
        channel=channel, title=title, org_unit=org_unit, case=case, qualifications=qualifications.strip(),
        requirements=requirements or {}, weights=weights, interview_ratio=interview_ratio,
        inspection_ratio=inspection_ratio, tie_order=list(params.get("tie_order", ["written", "interview"])),
        name_order=params.get("name_order", "rank"), rule_source=f"{name}：{source}"[:500],
        registration_closes=registration_closes, written_on=written_on, interview_on=interview_on,
        venue=venue.strip(), created_by=acting_user)
    rows = []
    for i, p in enumerate(posts, start=1):
        post = p.get("post")
        code = str(p.get("code") or f"{i:02d}").strip()
        count = int(p.get("count") or 1)
        if count < 1:
            raise DomainError("exam.post_count", _("职位 %(code)s 的人数至少为 1。") % {"code": code})
        if post is not None and channel == ExamChannel.COMPETITIVE_POSTING and not (
                post.org_unit_id == org_unit.pk or post.org_unit.parent_id == org_unit.pk):
            raise DomainError("exam.post_unit", _("竞争上岗的职位须是 %(unit)s 的岗位。") % {"unit": org_unit})
        try:
            with transaction.atomic():
                ep = ExamPost.objects.create(exam=exam, post=post, title=(p.get("title") or str(post or "")).strip(),
                                             code=code, count=count, veterans_only=bool(p.get("veterans_only")))
        except IntegrityError:
            raise DomainError("exam.post_code", _("职位代码 %(code)s 重复。") % {"code": code}) from None
        rows.append({"id": ep.pk, "code": code, "title": ep.title, "post": post.pk if post else None,
                     "count": count, "veterans_only": ep.veterans_only})
    record_event(kind="exams.exam.announced", subject=exam, actor=acting_user, payload={
        "channel": channel, "title": title, "org_unit": org_unit.pk, "case": case.pk if case else None,
        "posts": rows, "weights": weights, "interview_ratio": interview_ratio, "inspection_ratio": inspection_ratio,
        "tie_order": exam.tie_order, "requirements": exam.requirements, "rule_source": exam.rule_source,
        "registration_closes": registration_closes.isoformat()})
    return exam


@transaction.atomic
def publish_exam(*, acting_user, exam: Exam) -> Exam:
    """The announcement goes on the portal; registration opens."""
    exam = _locked(exam)
    _move(exam, ExamStatus.REGISTRATION)
    exam.published_at = timezone.now()
    exam.save(update_fields=["status", "published_at"])
    record_event(kind="exams.exam.published", subject=exam, actor=acting_user, public=True, payload={
        "title": exam.title, "channel": exam.channel, "qualifications": exam.qualifications,
        "posts": [{"code": p.code, "title": p.title, "count": p.count, "veterans_only": p.veterans_only}
                  for p in exam.posts.all()],
        "weights": exam.weights, "interview_ratio": exam.interview_ratio, "inspection_ratio": exam.inspection_ratio,
        "tie_order": exam.tie_order, "registration_closes": exam.registration_closes.isoformat()})
    return exam
